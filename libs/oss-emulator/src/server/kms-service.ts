import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  decodeQueryString,
  DEFAULT_MAX_SKEW_MS,
  signatureNonceUsed,
  verifyAcs3Request,
  type Acs3VerifyResult,
  type QueryParam,
} from '@app/signing';

import type { FaultInjector } from '../faults/fault-injector';
import type { Fault } from '../faults/fault.types';
import { billionLaughsBody, deepNestingBody, oversizedBody } from '../faults/hostile-bodies';
import { isDenied, type AccessKeyRecord, type FleetState } from '../fleet/fleet-state';
import type { OperationName } from '../fleet/fleet.types';
import { parseKmsKeyIdentifier } from '../protocol/kms-key-ids';
import {
  aliasNotFound,
  apiNotFound,
  fromAcs3Error,
  invalidParameter,
  invalidVersion,
  keyNotFound,
  kmsFaultError,
  missingParameter,
  noPermission,
  ramDenied,
  renderDescribeKey,
  renderKmsError,
  unreadableParameters,
  unsupportedHttpMethod,
  type KmsError,
} from '../protocol/kms-json';
import { queryParam } from '../protocol/request-routing';
import { readBody } from './request-body';
import type { ResponseStamps } from './responses';

/** The DescribeKey API version the emulator serves. */
export const KMS_VERSION = '2016-01-20';
/** Form bodies of RPC calls are small; anything near this is not one. */
const MAX_KMS_BODY_BYTES = 64 * 1024;
/** A nonce is remembered for twice the accepted skew, so no valid replay slips through. */
const NONCE_WINDOW_MS = 2 * DEFAULT_MAX_SKEW_MS;
const NONCE_CAPACITY = 1_000_000;

/** What the KMS service needs from the emulator that hosts it. */
export interface KmsServiceHost {
  readonly state: FleetState;
  readonly faults: FaultInjector;
  readonly stamps: ResponseStamps;
  serverNow(): number;
  /** Counts a request (and its operation, when it is one the emulator knows). */
  recordRequest(operation: OperationName | undefined): void;
  /** Runs `action` after `delayMs` (latency faults); released when the emulator closes. */
  schedule(delayMs: number, action: () => void): void;
  /** Keeps a response open until the client gives up or the emulator closes (hang faults). */
  hold(res: ServerResponse): void;
}

/** Where a KMS request arrived. */
export interface KmsArrival {
  /** The Host header's name (HostId of errors). */
  readonly hostId: string;
  /** From a `kms.{region}` host; undefined on a neutral host (IP, localhost). */
  readonly region: string | undefined;
  /** The request target before `?`, still percent-encoded. */
  readonly rawPath: string;
  readonly query: readonly QueryParam[];
}

type TerminalFault = Exclude<Fault, { kind: 'latency' }>;

/**
 * Remembers the nonces of accepted requests, per AccessKey, for {@link NONCE_WINDOW_MS}. Entries
 * are kept in arrival order, so expired ones are dropped from the front.
 */
export class NonceWindow {
  private readonly seen = new Map<string, number>();

  /** False when the nonce was already used by this AccessKey within the window. */
  accept(accessKeyId: string, nonce: string, nowMs: number): boolean {
    for (const [key, expiresAt] of this.seen) {
      if (expiresAt > nowMs && this.seen.size < NONCE_CAPACITY) break;
      this.seen.delete(key);
    }
    const key = `${accessKeyId}\n${nonce}`;
    const expiresAt = this.seen.get(key);
    if (expiresAt !== undefined && expiresAt > nowMs) return false;
    this.seen.delete(key);
    this.seen.set(key, nowMs + NONCE_WINDOW_MS);
    return true;
  }
}

function decodePath(rawPath: string): string | undefined {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
}

/**
 * The emulated KMS: DescribeKey (2016-01-20) on `kms.{region}.aliyuncs.com`, `kms-vpc.{region}...`
 * and neutral hosts, verified with ACS3-HMAC-SHA256 exactly as the API gateway does, including
 * nonce reuse, with KMS's JSON errors and the emulator's fault rules.
 */
export class KmsService {
  private readonly nonces = new NonceWindow();

  constructor(private readonly host: KmsServiceHost) {}

  handle(req: IncomingMessage, res: ServerResponse, arrival: KmsArrival): void {
    readBody(req, MAX_KMS_BODY_BYTES)
      .then((body) => {
        this.serve(req, res, arrival, body.ok ? body.body : undefined);
      })
      .catch(() => {
        this.fail(res, arrival, kmsFaultError('InternalError', undefined, undefined));
      });
  }

  private requestId(): string {
    return randomUUID().toUpperCase();
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    arrival: KmsArrival,
    body: Buffer | undefined,
  ): void {
    const action = req.headers['x-acs-action'];
    const operation: OperationName | undefined = action === 'DescribeKey' ? 'DescribeKey' : undefined;
    this.host.recordRequest(operation);
    if (body === undefined) {
      this.fail(res, arrival, unreadableParameters());
      return;
    }
    const method = req.method ?? 'GET';
    const path = decodePath(arrival.rawPath);
    let claimed: AccessKeyRecord | undefined;
    const verification =
      path === undefined
        ? undefined
        : verifyAcs3Request(
            { method, path, query: arrival.query, headers: req.headersDistinct, body },
            {
              now: new Date(this.host.serverNow()),
              resolveCredential: (accessKeyId) => (claimed = this.host.state.accessKey(accessKeyId)),
            },
          );
    const decision =
      operation === undefined
        ? undefined
        : this.host.faults.decide({
            accountId: claimed?.accountId,
            bucket: undefined,
            operation,
            region: arrival.region ?? parseKmsKeyRegion(arrival.query),
          });
    const answer = () => {
      try {
        if (decision?.terminal !== undefined) {
          this.injectFault(req, res, arrival, decision.terminal);
          return;
        }
        const error = this.check(method, path, verification);
        if (error !== undefined) this.fail(res, arrival, error);
        else this.describeKey(res, arrival, claimed?.accountId ?? '', req, body);
      } catch {
        // A bug answers 500 instead of taking the emulator down.
        if (res.headersSent) res.destroy();
        else this.fail(res, arrival, kmsFaultError('InternalError', undefined, undefined));
      }
    };
    if (decision === undefined || decision.delayMs <= 0) answer();
    else this.host.schedule(decision.delayMs, answer);
  }

  /** Method, authentication, replay, then the API's action, version and path. */
  private check(
    method: string,
    path: string | undefined,
    verification: Acs3VerifyResult | undefined,
  ): KmsError | undefined {
    if (method !== 'GET' && method !== 'POST') return unsupportedHttpMethod();
    if (verification === undefined || path === undefined) return apiNotFound();
    if (!verification.ok) return fromAcs3Error(verification.error);
    if (!this.nonces.accept(verification.accessKeyId, verification.nonce, this.host.serverNow())) {
      return fromAcs3Error(signatureNonceUsed());
    }
    if (verification.action === undefined) return missingParameter('x-acs-action');
    if (verification.action !== 'DescribeKey' || path !== '/') return apiNotFound();
    if (verification.version !== KMS_VERSION) return invalidVersion();
    return undefined;
  }

  private describeKey(
    res: ServerResponse,
    arrival: KmsArrival,
    accountId: string,
    req: IncomingMessage,
    body: Buffer,
  ): void {
    const formParams =
      req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true
        ? decodeQueryString(body.toString('utf8'))
        : [];
    const keyIdValue = queryParam(arrival.query, 'KeyId') ?? queryParam(formParams, 'KeyId');
    if (keyIdValue === undefined || keyIdValue === '') {
      this.fail(res, arrival, missingParameter('KeyId'));
      return;
    }
    if (isDenied(this.host.state.accounts.get(accountId)?.deny, 'DescribeKey')) {
      this.fail(res, arrival, ramDenied());
      return;
    }
    const identifier = parseKmsKeyIdentifier(keyIdValue);
    if (identifier === undefined) {
      this.fail(res, arrival, invalidParameter('KeyId'));
      return;
    }
    const resolution = this.host.state.kmsKeys.resolve(accountId, arrival.region, identifier);
    switch (resolution.kind) {
      case 'key_not_found':
        this.fail(res, arrival, keyNotFound());
        return;
      case 'alias_not_found':
        this.fail(res, arrival, aliasNotFound());
        return;
      case 'other_account':
        this.fail(res, arrival, noPermission());
        return;
      case 'key': {
        if (isDenied(resolution.key.deny, 'DescribeKey')) {
          this.fail(res, arrival, noPermission());
          return;
        }
        const requestId = this.requestId();
        this.send(res, 200, renderDescribeKey(resolution.key, requestId), requestId);
      }
    }
  }

  private fail(res: ServerResponse, arrival: KmsArrival, error: KmsError): void {
    const requestId = this.requestId();
    this.send(res, error.status, renderKmsError(error, requestId, arrival.hostId), requestId);
  }

  private send(
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    requestId?: string,
    contentType = 'application/json;charset=utf-8',
  ): void {
    const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const headers = [
      'Date',
      this.host.stamps.date(),
      'Content-Type',
      contentType,
      'Content-Length',
      String(buffer.length),
    ];
    if (requestId !== undefined) headers.push('x-acs-request-id', requestId);
    res.writeHead(status, headers);
    res.end(buffer);
  }

  private injectFault(
    req: IncomingMessage,
    res: ServerResponse,
    arrival: KmsArrival,
    fault: TerminalFault,
  ): void {
    switch (fault.kind) {
      case 'error':
        this.fail(res, arrival, kmsFaultError(fault.code, fault.status, fault.message));
        return;
      case 'reset':
        if (!req.socket.destroyed) req.socket.resetAndDestroy();
        return;
      case 'hang':
        this.host.hold(res);
        return;
      case 'malformed': {
        this.send(res, 200, '{"RequestId":"TRUNC","KeyMetadata":{"KeyId":"key-trunc","KeySta');
        return;
      }
      case 'oversized': {
        // The Tables JSON padding serves any JSON client: a well-formed document of the asked size.
        const hostile = oversizedBody('osstables', fault.bytes);
        this.send(res, 200, hostile.body, undefined, hostile.contentType);
        return;
      }
      case 'billionLaughs': {
        const hostile = billionLaughsBody();
        this.send(res, 200, hostile.body, undefined, hostile.contentType);
        return;
      }
      case 'deepNesting': {
        const hostile = deepNestingBody('osstables', fault.depth);
        this.send(res, 200, hostile.body, undefined, hostile.contentType);
        return;
      }
    }
  }
}

/** For fault matching on a neutral host: the region of an ARN KeyId, if that is what was sent. */
function parseKmsKeyRegion(query: readonly QueryParam[]): string | undefined {
  const identifier = parseKmsKeyIdentifier(queryParam(query, 'KeyId') ?? '');
  return identifier !== undefined && 'region' in identifier ? identifier.region : undefined;
}
