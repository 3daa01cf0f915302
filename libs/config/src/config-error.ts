/** Why configuration could not be loaded. */
export type ConfigErrorCode = 'CONFIG_FILE_UNREADABLE' | 'CONFIG_FILE_MALFORMED' | 'CONFIG_INVALID';

/** One problem in the configuration: the key path (e.g. `accounts[1].credentials.type`) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Configuration that stops startup. The message lists every issue, one per line, each naming its key
 * path; it never contains a secret value (secrets only ever come from the environment and are not
 * echoed).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly code: ConfigErrorCode,
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
    options?: { readonly cause?: unknown },
  ) {
    super(
      `Invalid configuration (${source}):\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
      options,
    );
  }
}
