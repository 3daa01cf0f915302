import type { z } from 'zod';

import type { ConfigIssue } from './config-error';

// Keys that would put a secret in the file; each points at the environment instead.
const SECRET_KEY_HINTS: Readonly<Record<string, string>> = {
  accessKeyId: 'accessKeyIdEnv',
  accessKeySecret: 'accessKeySecretEnv',
  securityToken: 'securityTokenEnv',
  url: 'urlEnv',
  secret: 'secretEnv',
};

/** Messages for the issues whose zod wording would not say what to change. */
export function configIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `expected ${issue.expected}, got ${describeType(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' | ')}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? `expected one of: ${issue.options.map(String).join(', ')}`
        : undefined;
    default:
      return undefined;
  }
}

/** Flattens zod issues into one `ConfigIssue` per problem, one per unknown key. */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') {
      return [{ path: formatPath(issue.path), message: issue.message }];
    }
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: unknownKeyMessage(issue.path, key),
    }));
  });
}

/** `accounts[1].credentials.type`; `(root)` for the document itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else {
      const key = String(segment);
      text += /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
        ? `${text === '' ? '' : '.'}${key}`
        : `[${JSON.stringify(key)}]`;
    }
  }
  return text === '' ? '(root)' : text;
}

function unknownKeyMessage(parentPath: readonly PropertyKey[], key: string): string {
  if (key === 'url' && parentPath.at(-1) === 'database') {
    return 'unknown key: the database URL comes from the DATABASE_URL environment variable, never from this file';
  }
  // @alicloud/credentials' profile provider takes no path: it reads this variable, process-wide.
  if (key === 'profileFile' && parentPath.at(-1) === 'credentials') {
    return 'unknown key: the profile file is ~/.alibabacloud/credentials, or the path in the ALIBABA_CLOUD_CREDENTIALS_FILE environment variable';
  }
  const envKey = SECRET_KEY_HINTS[key];
  return envKey === undefined
    ? 'unknown key'
    : `unknown key: secrets are never written in this file; put the value in an environment variable and name it in ${envKey}`;
}

function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'array' : typeof value;
}
