import { readFile } from 'node:fs/promises';

import {
  DEFAULT_CATALOGUE,
  parseExceptionsFile,
  type ComplianceException,
  type ExceptionPolicy,
} from '@app/compliance';
import { ConfigError, type AuditConfig } from '@app/config';
import { parse as parseYaml } from 'yaml';

/** The exceptions file as read: its exceptions, or every problem that rejects it (each by path). */
export type ExceptionsFileReading =
  | { readonly ok: true; readonly exceptions: ComplianceException[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Reads the exceptions file (YAML, docs/compliance.md) and validates every entry against the
 * catalogue and the policy. Any problem rejects the whole file: a half-read file would silently
 * drop accepted risks, or keep some that were meant to go.
 */
export async function readExceptionsFile(
  path: string,
  policy: ExceptionPolicy,
): Promise<ExceptionsFileReading> {
  let document: unknown;
  try {
    document = parseYaml(await readFile(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [`${path}: ${reason}`] };
  }
  const parsed = parseExceptionsFile(document, {
    policy,
    knownControlIds: DEFAULT_CATALOGUE.controls.map((control) => control.id),
  });
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.problems.map((problem) => `${path}: ${problem.field}: ${problem.message}`),
    };
  }
  return { ok: true, exceptions: parsed.value };
}

/**
 * At startup: the exceptions file the configuration names must read and validate, or the process
 * stops with a configuration error naming `exceptions.file` and every problem. (Later edits that do
 * not validate are reported at each scan and change nothing.)
 */
export async function assertExceptionsFileValid(config: AuditConfig, source: string): Promise<void> {
  const path = config.exceptions.file;
  if (path === null) return;
  const reading = await readExceptionsFile(path, { maxDurationDays: config.exceptions.maxDurationDays });
  if (!reading.ok) {
    throw new ConfigError(
      'CONFIG_INVALID',
      source,
      reading.problems.map((problem) => ({ path: 'exceptions.file', message: problem })),
    );
  }
}
