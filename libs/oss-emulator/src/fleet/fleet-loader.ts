import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

import { parse as parseYaml } from 'yaml';

import { EmulatorError } from '../emulator-error';
import { FleetState } from './fleet-state';
import { describeIssues, fleetSpecSchema } from './fleet.schema';
import type { FleetSpec } from './fleet.types';

/** The sample fleet `npm run emulator` serves by default: a few accounts of every encryption class. */
export const SAMPLE_FLEET_FILE = join(__dirname, '../../fixtures/sample-fleet.yaml');

/**
 * Validates a parsed fleet document: shape (zod) and consistency (unique bucket names and keys,
 * valid names and regions). `source` names the document in error messages.
 */
export function parseFleetDocument(document: unknown, source: string): FleetSpec {
  const parsed = fleetSpecSchema.safeParse(document);
  if (!parsed.success) {
    throw new EmulatorError('INVALID_FLEET', `Invalid fleet in ${source}: ${describeIssues(parsed.error)}`);
  }
  try {
    new FleetState(parsed.data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmulatorError('INVALID_FLEET', `Invalid fleet in ${source}: ${reason}`, { cause: error });
  }
  return parsed.data;
}

/** Reads a fleet from a `.json`, `.yaml` or `.yml` file and validates it. */
export function loadFleetFile(path: string): FleetSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EmulatorError('FLEET_FILE_UNREADABLE', `Cannot read fleet file ${path}.`, { cause: error });
  }
  let document: unknown;
  try {
    document = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmulatorError('INVALID_FLEET', `Fleet file ${path} is not valid JSON/YAML: ${reason}`, {
      cause: error,
    });
  }
  return parseFleetDocument(document, path);
}
