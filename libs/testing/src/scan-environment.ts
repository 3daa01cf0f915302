import { parseAuditConfig, type AuditConfig } from '@app/config';
import { startEmulator, type EmulatorHandle, type FleetSpec } from '@app/oss-emulator';
import type { ScanRecord } from '@app/persistence';
import { ScanRuntime, type ScanJobSettings } from '@app/scanner';

import { fleetAuditConfig, type FleetAuditConfig, type FleetAuditConfigOptions } from './fleet-audit-config';
import { organizationAuditConfig, type OrganizationAuditConfigOptions } from './organization-fleet';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A fleet on the emulator, a database of its own and a scanner pointed at both. */
export interface ScanEnvironment {
  readonly emulator: EmulatorHandle;
  readonly database: TestDatabase;
  readonly config: AuditConfig;
  readonly runtime: ScanRuntime;
  /** Runs one scan to its end in this process. */
  runScan(): Promise<ScanRecord>;
  /**
   * Runs one scan with the configuration document changed by `reshape` (e.g. a region removed), as
   * after an operator edited the file and restarted: a runtime of its own, closed after the scan.
   */
  runScanReconfigured(
    reshape: (document: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<ScanRecord>;
  close(): Promise<void>;
}

export interface ScanEnvironmentOptions extends Partial<
  Omit<FleetAuditConfigOptions, 'emulatorUrl' | 'databaseUrl'>
> {
  readonly fleet: FleetSpec;
  readonly jobs?: Partial<ScanJobSettings>;
  /** The scanner's clock (when scans are evaluated): move it to cross an exception's expiry. */
  readonly now?: () => Date;
}

/** Job settings for tests: quick polling; short expiry so a killed replica's jobs come back soon. */
export const TEST_JOB_SETTINGS: Partial<ScanJobSettings> = {
  pollingIntervalSeconds: 0.5,
  retryDelaySeconds: 1,
  maxConnections: 4,
};

/**
 * Starts the emulator with `fleet`, creates a migrated database and builds the scanner over both,
 * exactly as the worker does (real signing, HTTP, Postgres and job engine; nothing mocked).
 */
export function startScanEnvironment(options: ScanEnvironmentOptions): Promise<ScanEnvironment> {
  return startEnvironment(options, (urls) => fleetAuditConfig(options.fleet, { ...options, ...urls }));
}

export interface OrganizationScanEnvironmentOptions extends Omit<
  OrganizationAuditConfigOptions,
  'emulatorUrl' | 'databaseUrl'
> {
  /** A fleet with an `organization` (see `organizationFleet`). */
  readonly fleet: FleetSpec;
}

/**
 * The scan environment of an emulated organisation: the auditor configured with the
 * `organization` block only (plus any `accounts` given), discovering its members on every scan.
 */
export function startOrganizationScanEnvironment(
  options: OrganizationScanEnvironmentOptions,
): Promise<ScanEnvironment> {
  return startEnvironment({ fleet: options.fleet }, (urls) =>
    organizationAuditConfig({ ...options, ...urls }),
  );
}

async function startEnvironment(
  options: Pick<ScanEnvironmentOptions, 'fleet' | 'jobs' | 'now'>,
  configure: (urls: { emulatorUrl: string; databaseUrl: string }) => FleetAuditConfig,
): Promise<ScanEnvironment> {
  const database = await createTestDatabase();
  const emulator = await startEmulator({ fleet: options.fleet });
  const { document, env } = configure({ emulatorUrl: emulator.url, databaseUrl: database.url });
  const config = parseAuditConfig(document, { env, source: 'test environment' });
  const runtime = new ScanRuntime({
    config,
    dataSource: database.dataSource,
    jobs: { ...TEST_JOB_SETTINGS, ...options.jobs },
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    emulator,
    database,
    config,
    runtime,
    runScan: () => runtime.runScan('cli'),
    runScanReconfigured: async (reshape) => {
      const reconfigured = new ScanRuntime({
        config: parseAuditConfig(reshape(document), { env, source: 'test environment (reconfigured)' }),
        dataSource: database.dataSource,
        jobs: { ...TEST_JOB_SETTINGS, ...options.jobs },
      });
      try {
        return await reconfigured.runScan('cli');
      } finally {
        await reconfigured.close(5_000);
      }
    },
    close: async () => {
      await runtime.close(5_000);
      await emulator.close();
      await database.drop();
    },
  };
}
