import type { FleetSpec } from '@app/oss-emulator';

/** A configuration document and the environment that completes it. */
export interface FleetAuditConfig {
  readonly document: Record<string, unknown>;
  readonly env: Record<string, string>;
}

export interface FleetAuditConfigOptions {
  readonly emulatorUrl: string;
  readonly databaseUrl: string;
  readonly signatureVersion?: 'v4' | 'v1';
  /** Extra keys merged into `scan` (batch size, concurrency...). */
  readonly scan?: Record<string, unknown>;
  /** Extra keys merged into each account's `rate`. */
  readonly rate?: Record<string, unknown>;
  /** Extra top-level keys (e.g. `alerts`, `api`). */
  readonly extra?: Record<string, unknown>;
  readonly extraEnv?: Record<string, string>;
}

/**
 * The auditor's configuration for an emulated fleet: one account per fleet account (alias
 * `account-<n>`, its first AccessKey from the environment), every region the fleet uses, the
 * emulator as the endpoint of both products. Used by the integration tests and the demo.
 */
export function fleetAuditConfig(fleet: FleetSpec, options: FleetAuditConfigOptions): FleetAuditConfig {
  const env: Record<string, string> = { DATABASE_URL: options.databaseUrl, ...options.extraEnv };
  const accounts = fleet.accounts.map((account, index) => {
    const alias = `account-${(index + 1).toString()}`;
    const key = account.accessKeys[0];
    if (key === undefined) throw new Error(`Fleet account ${account.id} has no AccessKey`);
    const prefix = `SEED_ACCOUNT_${(index + 1).toString()}`;
    env[`${prefix}_ACCESS_KEY_ID`] = key.accessKeyId;
    env[`${prefix}_ACCESS_KEY_SECRET`] = key.accessKeySecret;
    const regions = [
      ...new Set([...account.buckets.map((b) => b.region), ...account.tableBuckets.map((t) => t.region)]),
    ].sort();
    return {
      alias,
      accountId: account.id,
      credentials: {
        type: 'access_key',
        accessKeyIdEnv: `${prefix}_ACCESS_KEY_ID`,
        accessKeySecretEnv: `${prefix}_ACCESS_KEY_SECRET`,
      },
      regions: regions.length > 0 ? regions : ['cn-hangzhou'],
      endpoints: {
        oss: options.emulatorUrl,
        tables: options.emulatorUrl,
        kms: options.emulatorUrl,
        addressing: 'path',
        allowInsecureHttp: true,
      },
      signatureVersion: options.signatureVersion ?? 'v4',
      ...(options.rate === undefined ? {} : { rate: options.rate }),
    };
  });
  return {
    document: {
      accounts,
      schedule: { enabled: false },
      // Several replicas share one machine in tests: each metrics server takes a free port.
      worker: { metricsPort: 0 },
      ...(options.scan === undefined ? {} : { scan: options.scan }),
      ...options.extra,
    },
    env,
  };
}
