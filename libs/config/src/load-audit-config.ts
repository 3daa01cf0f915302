import { readFileSync } from 'node:fs';

import { parseDocument } from 'yaml';

import type { AuditConfig } from './audit-config.types';
import { createAuditConfigSchema, type ConfigEnvironment } from './audit-config.schema';
import { ConfigError } from './config-error';
import { configIssueMessage, toConfigIssues } from './config-issues';
import { deepFreeze } from './deep-freeze';
import { databaseUrlProblem } from './settings.schema';
import { Secret } from './secret';

/**
 * Aliases a document may expand. A configuration needs a handful at most; the cap stops an
 * "alias bomb" (aliases of aliases, exponential in size) before it exhausts memory.
 */
export const MAX_YAML_ALIASES = 100;

/** Where the configuration file is looked for when neither `path` nor `AUDIT_CONFIG` says. */
export const DEFAULT_AUDIT_CONFIG_PATH = './audit.config.yaml';

/** Where to read the configuration, and the environment secrets are resolved from. */
export interface LoadAuditConfigOptions {
  /** The file; default `AUDIT_CONFIG` from `env`, else `./audit.config.yaml`. */
  readonly path?: string;
  /**
   * Default `process.env`. Services read their environment only through here; the exceptions are
   * the tools that run without a configuration file and take `DATABASE_URL` alone (`migrate`, the
   * demo, the build smoke).
   */
  readonly env?: ConfigEnvironment;
}

/**
 * Loads, validates and freezes the configuration: the YAML (or JSON) file plus the environment.
 * Throws `ConfigError` listing every issue with its key path.
 */
export function loadAuditConfig(options: LoadAuditConfigOptions = {}): AuditConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? nonEmpty(env.AUDIT_CONFIG) ?? DEFAULT_AUDIT_CONFIG_PATH;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'read failed';
    throw new ConfigError(
      'CONFIG_FILE_UNREADABLE',
      path,
      [{ path: '(file)', message: `cannot be read (${reason})` }],
      {
        cause: error,
      },
    );
  }
  return parseAuditConfigText(text, { env, source: path });
}

/** Where a document being parsed came from, and its environment. */
export interface ParseAuditConfigOptions {
  readonly env: ConfigEnvironment;
  /** Named in error messages, e.g. the file path. */
  readonly source?: string;
}

/** Parses configuration text (YAML, or JSON which is YAML) and validates it; see `parseAuditConfig`. */
export function parseAuditConfigText(text: string, options: ParseAuditConfigOptions): AuditConfig {
  const source = options.source ?? 'configuration';
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      'CONFIG_FILE_MALFORMED',
      source,
      document.errors.map((error) => ({
        path: '(file)',
        message: error.message.split('\n', 1)[0] ?? error.code,
      })),
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // yaml throws a ReferenceError past maxAliasCount ("Excessive alias count..."), before expanding.
    throw new ConfigError(
      'CONFIG_FILE_MALFORMED',
      source,
      [
        {
          path: '(file)',
          message: `expands too many aliases (more than ${MAX_YAML_ALIASES.toString()}); write the values out`,
        },
      ],
      { cause: error },
    );
  }
  return parseAuditConfig(value, options);
}

/**
 * Validates an already-parsed document against the schema, resolves secrets from the environment
 * and returns the frozen configuration. Throws `ConfigError` (`CONFIG_INVALID`) with every issue.
 */
export function parseAuditConfig(document: unknown, options: ParseAuditConfigOptions): AuditConfig {
  const result = createAuditConfigSchema(options.env).safeParse(document, { error: configIssueMessage });
  if (!result.success) {
    throw new ConfigError(
      'CONFIG_INVALID',
      options.source ?? 'configuration',
      toConfigIssues(result.error.issues),
    );
  }
  const config: AuditConfig = result.data;
  return deepFreeze(config);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/**
 * `DATABASE_URL` alone, for the processes that need nothing else of the configuration (`migrate`,
 * the demo): the same check as the `database` section. Throws `ConfigError` naming `database.url`.
 */
export function loadDatabaseUrl(env: ConfigEnvironment = process.env): Secret {
  const url = env.DATABASE_URL;
  const problem = databaseUrlProblem(url);
  if (problem !== null || url === undefined) {
    throw new ConfigError('CONFIG_INVALID', 'environment', [
      { path: 'database.url', message: problem ?? 'DATABASE_URL is not set' },
    ]);
  }
  return new Secret(url);
}
