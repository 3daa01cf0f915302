import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { z } from 'zod';

import { EmulatorError } from '../emulator-error';
import {
  accountSpecSchema,
  bucketSpecSchema,
  describeIssues,
  memberSpecSchema,
  faultRulesSchema,
  tableBucketSpecSchema,
} from '../fleet/fleet.schema';
import { AdminBodyError, handleCatalogAdmin } from './admin-catalog';
import { kmsKeyPatchSchema, kmsKeySpecSchema } from '../fleet/kms-key.schema';
import type { FaultInjector } from '../faults/fault-injector';
import type { FleetState } from '../fleet/fleet-state';
import type { ResourceDirectory } from '../fleet/resource-directory';
import { readBody } from './request-body';

/** What the admin API changes and reads of a running emulator. */
export interface AdministeredEmulator {
  readonly state: FleetState;
  readonly faults: FaultInjector;
  readonly clockSkewMs: number;
  setClockSkewMs(ms: number): void;
  counters(): { total: number; byOperation: Record<string, number> };
}

/**
 * The emulator's own control API, under `/__emulator/` (no bucket can be named so: `_` is not a
 * bucket-name character). Every call needs `Authorization: Bearer <adminToken>`.
 *
 * - `GET|PUT|DELETE /__emulator/faults` (PUT body: `{"rules":[FaultRule...]}` or the bare array)
 * - `GET|PUT /__emulator/clock-skew` (PUT body: `{"ms": number}`)
 * - `GET /__emulator/counters`, `GET /__emulator/fleet`
 * - `POST /__emulator/buckets` (`{"accountId","bucket":BucketSpec}`), `DELETE /__emulator/buckets/{name}`
 * - `POST /__emulator/table-buckets` (`{"accountId","tableBucket":TableBucketSpec}`),
 *   `DELETE /__emulator/table-buckets/{arn, percent-encoded}`
 * - namespaces and tables: see `admin-catalog.ts`
 * - `POST /__emulator/directory-members` (`{"member":MemberSpec,"account"?:AccountSpec}`: the
 *   account, when given, is added to the fleet first), `DELETE /__emulator/directory-members/{uid}`
 *   (the member leaves the Resource Directory; its account stays)
 * - `GET /__emulator/kms-keys`, `POST /__emulator/kms-keys` (`{"accountId","key":KmsKeySpec}`),
 *   `PATCH /__emulator/kms-keys/{keyId}` (state, rotation, deletion protection, dates, deny; see
 *   `kmsKeyPatchSchema`)
 */
export const ADMIN_PATH_PREFIX = '/__emulator/';

const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

const faultsEnvelope = z.strictObject({ rules: z.array(z.unknown()) });
const clockSkewBody = z.strictObject({ ms: z.number() });
const addBucketBody = z.strictObject({ accountId: z.string().min(1), bucket: bucketSpecSchema });
const addKmsKeyBody = z.strictObject({ accountId: z.string().min(1), key: kmsKeySpecSchema });
const joinDirectoryBody = z.strictObject({ member: memberSpecSchema, account: accountSpecSchema.optional() });
const addTableBucketBody = z.strictObject({
  accountId: z.string().min(1),
  tableBucket: tableBucketSpecSchema,
});

class AdminRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  res.writeHead(status, ['Content-Type', 'application/json', 'Content-Length', String(body.length)]);
  res.end(body);
}

function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

export class AdminApi {
  private readonly tokenDigest: Buffer;

  constructor(
    private readonly emulator: AdministeredEmulator,
    token: string,
  ) {
    this.tokenDigest = digest(token);
  }

  handle(req: IncomingMessage, res: ServerResponse, url: string): void {
    if (!this.authorised(req.headers.authorization)) {
      sendJson(res, 401, {
        error: { code: 'Unauthorized', message: 'A valid admin Bearer token is required.' },
      });
      return;
    }
    this.dispatch(req, res, url).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof AdminRequestError) {
        sendJson(res, error.status, { error: { code: error.code, message: error.message } });
      } else if (error instanceof AdminBodyError) {
        sendJson(res, 400, { error: { code: 'InvalidBody', message: error.message } });
      } else if (error instanceof EmulatorError) {
        const status = error.code.startsWith('UNKNOWN')
          ? 404
          : error.code.startsWith('DUPLICATE')
            ? 409
            : 400;
        sendJson(res, status, { error: { code: error.code, message: error.message } });
      } else {
        sendJson(res, 500, { error: { code: 'InternalError', message: 'The admin request failed.' } });
      }
    });
  }

  private directory(): ResourceDirectory {
    const directory = this.emulator.state.directory;
    if (directory === null) {
      throw new AdminRequestError(409, 'NoDirectory', 'The fleet has no organization section.');
    }
    return directory;
  }

  /** Compares SHA-256 digests in constant time, so neither content nor length leaks. */
  private authorised(header: string | undefined): boolean {
    if (header?.startsWith('Bearer ') !== true) return false;
    return timingSafeEqual(digest(header.slice('Bearer '.length)), this.tokenDigest);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const queryStart = url.indexOf('?');
    const path = (queryStart === -1 ? url : url.slice(0, queryStart)).slice(ADMIN_PATH_PREFIX.length);
    const slash = path.indexOf('/');
    const resource = slash === -1 ? path : path.slice(0, slash);
    const id = slash === -1 ? undefined : decodePathId(path.slice(slash + 1));
    const method = req.method ?? 'GET';
    const { emulator } = this;

    switch (`${method} ${resource}${id === undefined ? '' : '/:id'}`) {
      case 'GET faults':
        sendJson(res, 200, { rules: emulator.faults.list() });
        return;
      case 'PUT faults': {
        const body = await readJson(req);
        emulator.faults.set(
          parse(faultRulesSchema, Array.isArray(body) ? body : parse(faultsEnvelope, body).rules),
        );
        sendJson(res, 200, { rules: emulator.faults.list() });
        return;
      }
      case 'DELETE faults':
        emulator.faults.clear();
        sendNoContent(res);
        return;
      case 'GET clock-skew':
        sendJson(res, 200, { ms: emulator.clockSkewMs });
        return;
      case 'PUT clock-skew':
        emulator.setClockSkewMs(parse(clockSkewBody, await readJson(req)).ms);
        sendJson(res, 200, { ms: emulator.clockSkewMs });
        return;
      case 'GET counters':
        sendJson(res, 200, emulator.counters());
        return;
      case 'GET fleet':
        sendJson(res, 200, emulator.state.toSpec());
        return;
      case 'POST buckets': {
        const body = parse(addBucketBody, await readJson(req));
        const bucket = emulator.state.addBucket(body.accountId, body.bucket);
        sendJson(res, 201, { name: bucket.name, region: bucket.region, accountId: bucket.accountId });
        return;
      }
      case 'DELETE buckets/:id':
        if (!emulator.state.removeBucket(id ?? ''))
          throw new AdminRequestError(404, 'NotFound', 'No such bucket.');
        sendNoContent(res);
        return;
      case 'POST table-buckets': {
        const body = parse(addTableBucketBody, await readJson(req));
        const tableBucket = emulator.state.addTableBucket(body.accountId, body.tableBucket);
        sendJson(res, 201, { arn: tableBucket.arn, accountId: tableBucket.accountId });
        return;
      }
      case 'DELETE table-buckets/:id':
        if (!emulator.state.removeTableBucket(id ?? '')) {
          throw new AdminRequestError(404, 'NotFound', 'No such table bucket.');
        }
        sendNoContent(res);
        return;
      case 'POST directory-members': {
        const body = parse(joinDirectoryBody, await readJson(req));
        const directory = this.directory();
        if (body.account !== undefined) emulator.state.addAccount(body.account);
        sendJson(res, 201, directory.join(body.member));
        return;
      }
      case 'DELETE directory-members/:id':
        this.directory().leave(id ?? '');
        sendNoContent(res);
        return;
      case 'GET kms-keys':
        sendJson(res, 200, {
          keys: [...emulator.state.accounts.keys()].flatMap((accountId) =>
            emulator.state.kmsKeys.specsOf(accountId),
          ),
        });
        return;
      case 'POST kms-keys': {
        const body = parse(addKmsKeyBody, await readJson(req));
        sendJson(res, 201, emulator.state.addKmsKey(body.accountId, body.key));
        return;
      }
      case 'PATCH kms-keys/:id': {
        const updated = emulator.state.kmsKeys.update(
          id ?? '',
          parse(kmsKeyPatchSchema, await readJson(req)),
        );
        if (updated === undefined) throw new AdminRequestError(404, 'NotFound', 'No such KMS key.');
        sendJson(
          res,
          200,
          emulator.state.kmsKeys.specsOf(updated.accountId).find((key) => key.keyId === updated.keyId),
        );
        return;
      }
      default: {
        const answer = await handleCatalogAdmin(emulator.state, method, path, () => readJson(req));
        if (answer === undefined) {
          throw new AdminRequestError(
            404,
            'NotFound',
            `No admin route ${method} ${ADMIN_PATH_PREFIX}${path}.`,
          );
        }
        if (answer.payload === undefined) sendNoContent(res);
        else sendJson(res, answer.status, answer.payload);
        return;
      }
    }
  }
}

function decodePathId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AdminRequestError(400, 'InvalidPath', 'The path is not valid percent-encoding.');
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const result = await readBody(req, MAX_ADMIN_BODY_BYTES);
  if (!result.ok) throw new AdminRequestError(400, 'InvalidBody', 'The body is too large or was cut short.');
  try {
    return JSON.parse(result.body.toString('utf8')) as unknown;
  } catch {
    throw new AdminRequestError(400, 'InvalidBody', 'The body is not JSON.');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminRequestError(400, 'InvalidBody', describeIssues(parsed.error));
  return parsed.data;
}
