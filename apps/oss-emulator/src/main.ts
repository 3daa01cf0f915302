import { resolve } from 'node:path';

import { failureReport, readCommandLine, USAGE_ERROR_EXIT_CODE } from '@app/entrypoint';

import {
  generateFleet,
  loadFleetFile,
  SAMPLE_FLEET_FILE,
  startEmulator,
  type FleetSpec,
} from '@app/oss-emulator';

/**
 * `npm run emulator -- [--fleet file | --generate N] [--port P] [--host H] [--seed S]
 * [--accounts A] [--tables T] [--admin-token T]`: serves a fleet and prints how to reach it. The keys printed are
 * the emulator's own fixture keys, printed on purpose so clients can be configured.
 */

const DEFAULT_FLEET = SAMPLE_FLEET_FILE;
const DEFAULT_PORT = 9000;
const GENERATED_REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'];

const USAGE = `Usage: npm run emulator -- [--fleet <file.yaml|file.json> | --generate <buckets>] [--port <n>]
                [--host <addr>] [--seed <n>] [--accounts <n>] [--tables <n>] [--admin-token <token>]

Serves an emulated fleet of OSS buckets and OSS Tables table buckets over HTTP, checking every V1/V4
signature, and prints how to reach it (its fixture AccessKeys included). Ctrl-C stops it.

Options:
  --fleet        fleet file (default ${DEFAULT_FLEET})
  --generate     generate a fleet with this many OSS buckets instead (deterministic from --seed)
  --accounts     accounts of a generated fleet (default 3)
  --tables       tables in each table bucket of a generated fleet (default 0)
  --port         listening port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host         listening address (default 127.0.0.1)
  --seed         seed of the generated fleet and of the fault dice (default 1)
  --admin-token  bearer token of the /__emulator/ admin API (default: random)
  -h, --help     this help
`;

/** A command line that parsed but does not make sense: exit 2 with the usage. */
class UsageError extends Error {}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new UsageError(`--${name} must be a non-negative integer.`);
  return parsed;
}

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function countTables(tableBuckets: FleetSpec['accounts'][number]['tableBuckets']): number {
  return tableBuckets
    .flatMap((tableBucket) => tableBucket.namespaces ?? [])
    .reduce((sum, namespace) => sum + (namespace.tables?.length ?? 0), 0);
}

function describeFleet(fleet: FleetSpec): void {
  print(
    'Accounts (endpoint: use region oss-<region>, e.g. ali-oss { region: "oss-cn-hangzhou", endpoint, sldEnable: true }):',
  );
  for (const account of fleet.accounts) {
    const regions = new Set(account.buckets.map((bucket) => bucket.region));
    print(
      `  ${account.id}${account.displayName === undefined ? '' : ` (${account.displayName})`}: ` +
        `${account.buckets.length} buckets in ${[...regions].sort().join(', ') || 'no region'}, ` +
        `${account.tableBuckets.length} table buckets with ${countTables(account.tableBuckets)} tables, ` +
        `${(account.kmsKeys ?? []).length} KMS keys`,
    );
    for (const key of account.accessKeys) print(`    AccessKey ${key.accessKeyId} / ${key.accessKeySecret}`);
    for (const sts of account.stsCredentials ?? []) {
      print(`    STS key   ${sts.accessKeyId} / ${sts.accessKeySecret} (token: GET /__emulator/fleet)`);
    }
  }
}

const EMULATOR_COMMAND = {
  help: USAGE,
  options: {
    fleet: { type: 'string' },
    generate: { type: 'string' },
    accounts: { type: 'string' },
    tables: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    'admin-token': { type: 'string' },
  },
} as const;

/** Starts the emulator; resolves to an exit code when it ends at once (help, usage error). */
async function main(): Promise<number | null> {
  const command = readCommandLine(EMULATOR_COMMAND);
  if (!command.run) return command.exitCode;
  const { values } = command;
  if (values.fleet !== undefined && values.generate !== undefined) {
    throw new UsageError('Give either --fleet or --generate, not both.');
  }
  const seed = integer('seed', values.seed, 1);
  const fleetFile = values.fleet === undefined ? DEFAULT_FLEET : resolve(values.fleet);
  const buckets = values.generate === undefined ? undefined : integer('generate', values.generate, 0);
  const fleet =
    buckets === undefined
      ? loadFleetFile(fleetFile)
      : generateFleet({
          accounts: Math.max(1, integer('accounts', values.accounts, 3)),
          regions: GENERATED_REGIONS,
          buckets,
          tableBuckets: Math.max(3, Math.ceil(buckets / 100)),
          deniedBuckets: Math.floor(buckets / 100),
          deniedTableBuckets: 1,
          tablesPerTableBucket: integer('tables', values.tables, 0),
          seed,
        });
  const emulator = await startEmulator({
    fleet,
    port: integer('port', values.port, DEFAULT_PORT),
    host: values.host ?? '127.0.0.1',
    seed,
    ...(values['admin-token'] === undefined ? {} : { adminToken: values['admin-token'] }),
  });

  print(`OSS + OSS Tables + KMS emulator listening on ${emulator.url}`);
  print(`  fleet: ${buckets === undefined ? fleetFile : `generated, ${buckets} buckets, seed ${seed}`}`);
  print(
    `  admin API: ${emulator.url}/__emulator/ with header "Authorization: Bearer ${emulator.adminToken}"`,
  );
  describeFleet(fleet);

  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return null;
}

main().then(
  (exitCode) => {
    if (exitCode !== null) process.exitCode = exitCode;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exit(USAGE_ERROR_EXIT_CODE);
    }
    process.stderr.write(failureReport('emulator', error));
    process.exit(1);
  },
);
