import { z } from 'zod';

import type { FleetState } from '../fleet/fleet-state';
import {
  describeIssues,
  namespaceSpecSchema,
  tableEncryptionSchema,
  tableSpecSchema,
} from '../fleet/fleet.schema';

/**
 * The admin routes of namespaces and tables (under `/__emulator/`, Bearer token checked by the
 * caller). Path parameters are percent-encoded, one segment each (the ARN's `/` as `%2F`):
 *
 * - `POST /__emulator/namespaces` `{"tableBucketArn", "namespace": NamespaceSpec}` -> 201
 * - `DELETE /__emulator/namespaces/{arn}/{namespace}` -> 204 (its tables go with it)
 * - `POST /__emulator/tables` `{"tableBucketArn", "namespace", "table": TableSpec}` -> 201; without
 *   `encryption` the table takes its table bucket's current default, as the service does
 * - `DELETE /__emulator/tables/{arn}/{namespace}/{name}` -> 204
 * - `PUT /__emulator/tables/{arn}/{namespace}/{name}/encryption` `{"encryption": spec | null}` ->
 *   200: changes a table's encryption behind the service's back, for drift tests
 */

/** What to answer: a status and, except for 204, a JSON payload. */
export interface AdminAnswer {
  readonly status: number;
  readonly payload?: unknown;
}

/** A request body the route cannot use: answered 400 `InvalidBody`. */
export class AdminBodyError extends Error {}

const createNamespaceBody = z.strictObject({
  tableBucketArn: z.string().min(1),
  namespace: namespaceSpecSchema,
});
const createTableBody = z.strictObject({
  tableBucketArn: z.string().min(1),
  namespace: z.string().min(1),
  table: tableSpecSchema,
});
const setEncryptionBody = z.strictObject({ encryption: tableEncryptionSchema });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminBodyError(describeIssues(parsed.error));
  return parsed.data;
}

function decodeSegments(raw: string): string[] | undefined {
  try {
    return raw.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

const notFound = (message: string): AdminAnswer => ({
  status: 404,
  payload: { error: { code: 'NotFound', message } },
});

/**
 * Serves one namespace or table admin request; undefined when the path is none of these routes.
 * `path` is the raw path after `/__emulator/`; domain errors throw EmulatorError as the fleet does.
 */
export async function handleCatalogAdmin(
  state: FleetState,
  method: string,
  path: string,
  readBody: () => Promise<unknown>,
): Promise<AdminAnswer | undefined> {
  const segments = decodeSegments(path);
  if (segments === undefined) return undefined;
  const [resource, arn, namespace, name, leaf] = segments;
  const catalog = state.tableCatalog;
  const route = `${method} ${resource ?? ''} ${segments.length}${leaf === undefined ? '' : ` ${leaf}`}`;
  switch (route) {
    case 'POST namespaces 1': {
      const body = parse(createNamespaceBody, await readBody());
      const record = catalog.addNamespace(body.tableBucketArn, body.namespace);
      return { status: 201, payload: { tableBucketArn: record.tableBucketArn, namespace: record.name } };
    }
    case 'DELETE namespaces 3':
      return catalog.removeNamespace(arn ?? '', namespace ?? '')
        ? { status: 204 }
        : notFound('No such namespace.');
    case 'POST tables 1': {
      const body = parse(createTableBody, await readBody());
      const record = catalog.addTable(body.tableBucketArn, body.namespace, body.table);
      return {
        status: 201,
        payload: { tableArn: record.tableArn, encryption: record.encryption },
      };
    }
    case 'DELETE tables 4':
      return catalog.removeTable(arn ?? '', namespace ?? '', name ?? '')
        ? { status: 204 }
        : notFound('No such table.');
    case 'PUT tables 5 encryption': {
      const { encryption } = parse(setEncryptionBody, await readBody());
      if (!catalog.setTableEncryption(arn ?? '', namespace ?? '', name ?? '', encryption)) {
        return notFound('No such table.');
      }
      return { status: 200, payload: { encryption } };
    }
    default:
      return undefined;
  }
}
