import { parseArgs } from 'node:util';

import { loadAuditConfig } from '@app/config';
import { failureReport, USAGE_ERROR_EXIT_CODE } from '@app/entrypoint';
import {
  ApiKeyRepository,
  type ApiKeyRecord,
  assertDatabaseMigrated,
  createDataSource,
} from '@app/persistence';

import { ApiKeyService } from './auth/api-key.service';

const USAGE = `Usage: npm run api-key -- <command> [options]

Manages the API keys of the REST API, in the database at DATABASE_URL (the configuration:
$AUDIT_CONFIG, else ./audit.config.yaml, or --config <file>).

Commands:
  create --name <name> --role reader|admin   prints the new key's token, once
  revoke --id <id>
  list                                       ids, names, roles, prefixes; never tokens

Options:
  --config <file>  the configuration file
  -h, --help       this help`;

class UsageError extends Error {}

type Command = (
  | { readonly name: 'create'; readonly keyName: string; readonly role: 'reader' | 'admin' }
  | { readonly name: 'revoke'; readonly id: number }
  | { readonly name: 'list' }
) & { readonly configPath?: string };

/** `--help` or `-h` anywhere: the help, and nothing else happens. */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.some((argument) => argument === '--help' || argument === '-h');
}

/** Parses the command line; throws `UsageError` with what is wrong. */
export function parseCommand(argv: readonly string[]): Command {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      id: { type: 'string' },
      config: { type: 'string' },
    },
  });
  const config = values.config === undefined ? {} : { configPath: values.config };
  const [command, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest.join(' ')}`);
  switch (command) {
    case 'create': {
      const keyName = values.name?.trim() ?? '';
      if (keyName.length < 1 || keyName.length > 100)
        throw new UsageError('--name must have 1 to 100 characters');
      if (values.role !== 'reader' && values.role !== 'admin')
        throw new UsageError('--role must be reader or admin');
      return { name: 'create', keyName, role: values.role, ...config };
    }
    case 'revoke': {
      const id = Number(values.id);
      if (values.id === undefined || !/^\d{1,10}$/.test(values.id) || id < 1 || id > 2_147_483_647) {
        throw new UsageError('--id must be a key id (see `api-key list`)');
      }
      return { name: 'revoke', id, ...config };
    }
    case 'list':
      return { name: 'list', ...config };
    default:
      throw new UsageError(command === undefined ? 'A command is required' : `Unknown command: ${command}`);
  }
}

function describe(key: ApiKeyRecord): string {
  const state = key.revokedAt === null ? 'active' : `revoked ${key.revokedAt.toISOString()}`;
  const used = key.lastUsedAt === null ? 'never used' : `last used ${key.lastUsedAt.toISOString()}`;
  return `${key.id.toString()}\t${key.name}\t${key.role}\tseed_${key.prefix}…\t${state}\t${used}`;
}

async function run(command: Command): Promise<number> {
  const config = loadAuditConfig(command.configPath === undefined ? {} : { path: command.configPath });
  await assertDatabaseMigrated(config.database.url.reveal());
  const dataSource = await createDataSource({ url: config.database.url.reveal(), poolSize: 1 }).initialize();
  try {
    const keys = new ApiKeyRepository(dataSource);
    switch (command.name) {
      case 'create': {
        const { key, token } = await new ApiKeyService(keys).create(command.keyName, command.role);
        console.log(
          `Created API key ${key.id.toString()} (${key.name}, ${key.role}). Its token, shown only now:`,
        );
        console.log(token);
        return 0;
      }
      case 'revoke': {
        const key = await keys.revoke(command.id);
        if (key === null) {
          console.error(`No API key has id ${command.id.toString()}`);
          return 1;
        }
        console.log(`Revoked: ${describe(key)}`);
        return 0;
      }
      case 'list': {
        for (const key of await keys.list()) console.log(describe(key));
        return 0;
      }
    }
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (asksForHelp(argv)) {
    console.log(USAGE);
    return;
  }
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = USAGE_ERROR_EXIT_CODE;
    return;
  }
  process.exitCode = await run(command);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(failureReport('api-key', error));
    process.exitCode = 1;
  });
}
