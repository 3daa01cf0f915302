import { timingSafeEqual } from 'node:crypto';
import {
  isV4SignatureShape,
  parseAdditionalHeaders,
  parseAuthorizationHeader,
  parseV4Credential,
  type ParseResult,
  type V4Credential,
} from './authorization-parser';
import { normalizeHeaders, type NormalizedHeaders } from './canonical-headers';
import { parseIsoBasic, parseRfc1123 } from './dates';
import {
  anonymousAccessDenied,
  invalidAccessKeyId,
  invalidArgument,
  invalidDate,
  invalidSecurityToken,
  missingDate,
  requestExpired,
  requestTimeTooSkewed,
  securityTokenExpired,
  securityTokenMissing,
  signatureDoesNotMatch,
  type SigningError,
} from './signing-errors';
import type { QueryParam, SignableRequest, SigningTarget } from './types';
import { computeV1Signature, v1StringToSign, type V1SigningTarget } from './v1-string-to-sign';
import {
  buildV4CanonicalRequest,
  computeV4Signature,
  MAX_PRESIGN_SECONDS,
  V4_ALGORITHM,
} from './v4-canonical-request';

/** What the server knows about an AccessKey ID. Never echoed in errors. */
export interface CredentialRecord {
  readonly accessKeySecret: string;
  /** Present => an STS key: this token must accompany every request made with it. */
  readonly securityToken?: string;
  /** When the STS token stops being accepted (403 SecurityTokenExpired from then on). */
  readonly securityTokenExpiresAt?: Date;
}

/** The server's side of a verification: its clock and its credential store. */
export interface VerifyOptions {
  /** The server's clock, injected. */
  readonly now: Date;
  readonly resolveCredential: (accessKeyId: string) => CredentialRecord | undefined;
  /** Allowed difference between request time and `now`; default 900000 (15 min). */
  readonly maxSkewMs?: number;
}

/** Who signed and how, or the error OSS would answer with. */
export type VerifyResult =
  | {
      readonly ok: true;
      readonly accessKeyId: string;
      readonly version: 'v1' | 'v4';
      readonly mode: 'header' | 'query';
      /** V4 only: the scope's region and product. */
      readonly region?: string;
      readonly product?: string;
      /** The STS token the request carried, if any. */
      readonly securityToken?: string;
    }
  | { readonly ok: false; readonly error: SigningError };

/** OSS's 15-minute limit on the difference between request time and server time. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
const REDACTED = '<redacted>';

/** When a request was made: a point in time (header mode) or a presigned validity window. */
type RequestTiming =
  | { readonly kind: 'signed-at'; readonly time: Date }
  | { readonly kind: 'presigned'; readonly signedAt?: Date; readonly expiresAt: Date };

interface ClaimBase {
  readonly mode: 'header' | 'query';
  readonly accessKeyId: string;
  readonly signature: string;
  readonly presentedToken: string | undefined;
  readonly timing: RequestTiming;
}

interface V1Claim extends ClaimBase {
  readonly version: 'v1';
  readonly target: V1SigningTarget;
  readonly dateLine: string;
}

interface V4Claim extends ClaimBase {
  readonly version: 'v4';
  readonly credential: V4Credential;
  readonly dateTime: string;
  readonly additionalHeaders: readonly string[];
  /** The signed query: in query mode, everything but `x-oss-signature`. */
  readonly signedQuery: readonly QueryParam[];
}

type Claim = V1Claim | V4Claim;

function firstQueryValue(query: readonly QueryParam[], name: string): string | undefined {
  return query.find(([candidate]) => candidate === name)?.[1];
}

function hasQueryParam(query: readonly QueryParam[], names: readonly string[]): boolean {
  return query.some(([name]) => names.includes(name));
}

function fromParse<T>(result: ParseResult<T>): T | SigningError {
  return result.ok ? result.value : invalidArgument(result.reason);
}

function isError(value: object): value is SigningError {
  return 'httpStatus' in value;
}

function requireV1Target(target: SigningTarget): V1SigningTarget | SigningError {
  return target.product === 'osstables' ? invalidArgument('OSS Tables accepts V4 signatures only.') : target;
}

function checkV4Scope(credential: V4Credential, target: SigningTarget): SigningError | undefined {
  return credential.product === target.product
    ? undefined
    : invalidArgument(`Invalid signing product '${credential.product}': expected '${target.product}'.`);
}

/** The V4 `x-oss-date`: present, ISO 8601 basic, on the credential's day. */
function readV4Date(value: string | undefined, credential: V4Credential): Date | SigningError {
  if (value === undefined || value === '') return missingDate('x-oss-date');
  const time = parseIsoBasic(value);
  if (time === undefined)
    return invalidDate('x-oss-date', value, "ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'");
  if (value.slice(0, 8) !== credential.date) {
    return invalidDate('x-oss-date', value, `a time on the credential's date ${credential.date}`);
  }
  return time;
}

function v1HeaderClaim(
  request: SignableRequest,
  headers: NormalizedHeaders,
  accessKeyId: string,
  signature: string,
): Claim | SigningError {
  const target = requireV1Target(request.target);
  if (isError(target)) return target;
  const dateName = headers.has('x-oss-date') ? 'x-oss-date' : 'date';
  const dateLine = headers.get(dateName);
  if (dateLine === undefined || dateLine === '') return missingDate('Date or x-oss-date');
  const time = parseRfc1123(dateLine);
  if (time === undefined) return invalidDate(dateName, dateLine, 'an RFC 1123 GMT date');
  return {
    version: 'v1',
    mode: 'header',
    accessKeyId,
    signature,
    presentedToken: headers.get('x-oss-security-token'),
    timing: { kind: 'signed-at', time },
    target,
    dateLine,
  };
}

function v4HeaderClaim(
  request: SignableRequest,
  headers: NormalizedHeaders,
  credential: V4Credential,
  additionalHeaders: readonly string[],
  signature: string,
): Claim | SigningError {
  const scopeError = checkV4Scope(credential, request.target);
  if (scopeError !== undefined) return scopeError;
  const dateTime = headers.get('x-oss-date');
  const time = readV4Date(dateTime, credential);
  if (isError(time)) return time;
  return {
    version: 'v4',
    mode: 'header',
    accessKeyId: credential.accessKeyId,
    signature,
    presentedToken: headers.get('x-oss-security-token'),
    timing: { kind: 'signed-at', time },
    credential,
    dateTime: dateTime ?? '',
    additionalHeaders,
    signedQuery: request.query,
  };
}

function v4QueryClaim(request: SignableRequest): Claim | SigningError {
  const { query } = request;
  const version = firstQueryValue(query, 'x-oss-signature-version');
  if (version !== V4_ALGORITHM) return invalidArgument(`x-oss-signature-version must be ${V4_ALGORITHM}.`);
  const credential = fromParse(parseV4Credential(firstQueryValue(query, 'x-oss-credential') ?? ''));
  if (isError(credential)) return credential;
  const scopeError = checkV4Scope(credential, request.target);
  if (scopeError !== undefined) return scopeError;
  const signature = firstQueryValue(query, 'x-oss-signature') ?? '';
  if (!isV4SignatureShape(signature)) return invalidArgument('Missing or invalid x-oss-signature.');
  const expires = firstQueryValue(query, 'x-oss-expires') ?? '';
  const expiresSeconds = /^\d{1,7}$/.test(expires) ? Number(expires) : 0;
  if (expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_SECONDS) {
    return invalidArgument(`x-oss-expires must be an integer from 1 to ${MAX_PRESIGN_SECONDS}.`);
  }
  const additionalHeaders = fromParse(
    parseAdditionalHeaders(firstQueryValue(query, 'x-oss-additional-headers') ?? ''),
  );
  if (isError(additionalHeaders)) return additionalHeaders;
  const dateTime = firstQueryValue(query, 'x-oss-date');
  const signedAt = readV4Date(dateTime, credential);
  if (isError(signedAt)) return signedAt;
  return {
    version: 'v4',
    mode: 'query',
    accessKeyId: credential.accessKeyId,
    signature,
    presentedToken: firstQueryValue(query, 'x-oss-security-token'),
    timing: { kind: 'presigned', signedAt, expiresAt: new Date(signedAt.getTime() + expiresSeconds * 1000) },
    credential,
    dateTime: dateTime ?? '',
    additionalHeaders,
    signedQuery: query.filter(([name]) => name !== 'x-oss-signature'),
  };
}

function v1QueryClaim(request: SignableRequest): Claim | SigningError {
  const { query } = request;
  const accessKeyId = firstQueryValue(query, 'OSSAccessKeyId');
  const expires = firstQueryValue(query, 'Expires');
  const signature = firstQueryValue(query, 'Signature');
  if (accessKeyId === undefined || accessKeyId === '' || signature === undefined || signature === '') {
    return invalidArgument('A presigned URL needs OSSAccessKeyId, Expires and Signature.');
  }
  if (expires === undefined || !/^\d{1,12}$/.test(expires)) {
    return invalidArgument('Expires must be a unix time in seconds.');
  }
  const target = requireV1Target(request.target);
  if (isError(target)) return target;
  return {
    version: 'v1',
    mode: 'query',
    accessKeyId,
    signature,
    presentedToken: firstQueryValue(query, 'security-token'),
    timing: { kind: 'presigned', expiresAt: new Date(Number(expires) * 1000) },
    target,
    dateLine: expires,
  };
}

const V4_QUERY_AUTH = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-signature'];
const V1_QUERY_AUTH = ['OSSAccessKeyId', 'Signature', 'Expires'];

/** Reads who claims to sign the request and how; the Authorization header wins over query auth. */
function readClaim(request: SignableRequest, headers: NormalizedHeaders): Claim | SigningError {
  const authorization = headers.get('authorization') ?? '';
  if (authorization !== '') {
    const parsed = fromParse(parseAuthorizationHeader(authorization));
    if (isError(parsed)) return parsed;
    return parsed.version === 'v1'
      ? v1HeaderClaim(request, headers, parsed.accessKeyId, parsed.signature)
      : v4HeaderClaim(request, headers, parsed.credential, parsed.additionalHeaders, parsed.signature);
  }
  if (hasQueryParam(request.query, V4_QUERY_AUTH)) return v4QueryClaim(request);
  if (hasQueryParam(request.query, V1_QUERY_AUTH)) return v1QueryClaim(request);
  return anonymousAccessDenied();
}

function constantTimeEquals(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key's record once the key exists and the request carries exactly its STS token, if it has one. */
function checkCredential(
  claim: Claim,
  record: CredentialRecord | undefined,
  now: Date,
): CredentialRecord | SigningError {
  const { accessKeyId, presentedToken } = claim;
  if (record === undefined) return invalidAccessKeyId(accessKeyId, presentedToken !== undefined);
  if (record.securityToken === undefined) {
    return presentedToken === undefined ? record : invalidAccessKeyId(accessKeyId, true);
  }
  if (presentedToken === undefined) return securityTokenMissing(accessKeyId);
  if (!constantTimeEquals(presentedToken, record.securityToken)) return invalidSecurityToken(accessKeyId);
  if (
    record.securityTokenExpiresAt !== undefined &&
    now.getTime() >= record.securityTokenExpiresAt.getTime()
  ) {
    return securityTokenExpired(accessKeyId);
  }
  return record;
}

function checkTiming(timing: RequestTiming, now: Date, maxSkewMs: number): SigningError | undefined {
  switch (timing.kind) {
    case 'signed-at':
      return Math.abs(now.getTime() - timing.time.getTime()) > maxSkewMs
        ? requestTimeTooSkewed(timing.time, now, maxSkewMs)
        : undefined;
    case 'presigned':
      if (timing.signedAt !== undefined && timing.signedAt.getTime() - now.getTime() > maxSkewMs) {
        return requestTimeTooSkewed(timing.signedAt, now, maxSkewMs);
      }
      return now.getTime() > timing.expiresAt.getTime() ? requestExpired(timing.expiresAt, now) : undefined;
  }
}

/** The same request with every STS token value replaced, to build error details that carry none. */
function withoutTokens(headers: NormalizedHeaders, query: readonly QueryParam[]) {
  const redactedHeaders = new Map(headers);
  if (redactedHeaders.has('x-oss-security-token')) redactedHeaders.set('x-oss-security-token', REDACTED);
  const tokenParams = ['x-oss-security-token', 'security-token'];
  const redactedQuery = query.map(([name, value]): QueryParam => [
    name,
    tokenParams.includes(name) ? REDACTED : value,
  ]);
  return { headers: redactedHeaders, query: redactedQuery };
}

function checkV1Signature(
  claim: V1Claim,
  request: SignableRequest,
  headers: NormalizedHeaders,
  secret: string,
): SigningError | undefined {
  const build = (signedHeaders: NormalizedHeaders, query: readonly QueryParam[]) =>
    v1StringToSign({
      method: request.method,
      target: claim.target,
      query,
      headers: signedHeaders,
      dateLine: claim.dateLine,
    });
  const expected = computeV1Signature(secret, build(headers, request.query));
  if (constantTimeEquals(claim.signature, expected)) return undefined;
  const redacted = withoutTokens(headers, request.query);
  return signatureDoesNotMatch({
    accessKeyId: claim.accessKeyId,
    signatureProvided: claim.signature,
    stringToSign: build(redacted.headers, redacted.query),
  });
}

function checkV4Signature(
  claim: V4Claim,
  request: SignableRequest,
  headers: NormalizedHeaders,
  secret: string,
): SigningError | undefined {
  const build = (signedHeaders: NormalizedHeaders, query: readonly QueryParam[]) =>
    buildV4CanonicalRequest({
      method: request.method,
      target: request.target,
      region: claim.credential.region,
      query,
      headers: signedHeaders,
      additionalHeaders: claim.additionalHeaders,
    });
  const { stringToSign, signature } = computeV4Signature({
    accessKeySecret: secret,
    dateTime: claim.dateTime,
    region: claim.credential.region,
    product: claim.credential.product,
    canonicalRequest: build(headers, claim.signedQuery),
  });
  if (constantTimeEquals(claim.signature, signature)) return undefined;
  const redacted = withoutTokens(headers, claim.signedQuery);
  return signatureDoesNotMatch({
    accessKeyId: claim.accessKeyId,
    signatureProvided: claim.signature,
    // The V4 string to sign holds only a hash of the canonical request, so it stays exact.
    stringToSign,
    canonicalRequest: build(redacted.headers, redacted.query),
  });
}

/**
 * Server side: checks a received request's V1 or V4 signature, in header or query (presigned)
 * form, as OSS does (docs/wire/oss.md §8, §5.2). Order: parse (400 InvalidArgument, or 403 AccessDenied when
 * anonymous), date form (403 AccessDenied), key and STS token, time window, then the signature,
 * recomputed from what arrived with the same canonicalisation the signer uses and compared in
 * constant time. Pass decoded query pairs ({@link decodeQueryString}) and the received headers,
 * repeated ones as arrays.
 */
export function verifyRequest(request: SignableRequest, options: VerifyOptions): VerifyResult {
  const headers = normalizeHeaders(request.headers);
  const claim = readClaim(request, headers);
  if (isError(claim)) return { ok: false, error: claim };

  const record = checkCredential(claim, options.resolveCredential(claim.accessKeyId), options.now);
  if (isError(record)) return { ok: false, error: record };
  const timingError = checkTiming(claim.timing, options.now, options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
  if (timingError !== undefined) return { ok: false, error: timingError };

  const signatureError =
    claim.version === 'v1'
      ? checkV1Signature(claim, request, headers, record.accessKeySecret)
      : checkV4Signature(claim, request, headers, record.accessKeySecret);
  if (signatureError !== undefined) return { ok: false, error: signatureError };

  const token = claim.presentedToken === undefined ? {} : { securityToken: claim.presentedToken };
  return claim.version === 'v1'
    ? { ok: true, accessKeyId: claim.accessKeyId, version: 'v1', mode: claim.mode, ...token }
    : {
        ok: true,
        accessKeyId: claim.accessKeyId,
        version: 'v4',
        mode: claim.mode,
        region: claim.credential.region,
        product: claim.credential.product,
        ...token,
      };
}
