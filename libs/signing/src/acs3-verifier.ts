import { timingSafeEqual } from 'node:crypto';
import { parseAcs3Authorization } from './acs3-authorization';
import {
  acs3StringToSign,
  buildAcs3CanonicalRequest,
  computeAcs3Signature,
  normalizeAcs3Headers,
  sha256Hex,
  type Acs3Headers,
} from './acs3-canonical-request';
import {
  accessKeyNotFound,
  illegalTimestamp,
  incompleteSignature,
  invalidTimestampFormat,
  missingSecurityToken,
  missingSignatureNonce,
  securityTokenExpired,
  securityTokenMismatch,
  signatureDoesNotMatch,
  timestampExpired,
  type Acs3SigningError,
} from './acs3-errors';
import type { Acs3Request } from './acs3-signer';
import { parseIsoSeconds } from './dates';
import { DEFAULT_MAX_SKEW_MS, type CredentialRecord } from './verifier';

/** A received request: the decoded path and query, the headers as they arrived, and the body. */
export interface Acs3ReceivedRequest extends Acs3Request {
  /** The body as received (its SHA-256 is the payload the server signs). */
  readonly body: string | Uint8Array;
}

/** The server's side of a V3 verification: its clock and its credential store. */
export interface Acs3VerifyOptions {
  readonly now: Date;
  readonly resolveCredential: (accessKeyId: string) => CredentialRecord | undefined;
  /** Allowed difference between `x-acs-date` and `now`; default 900000 (15 min). */
  readonly maxSkewMs?: number;
}

/** Who signed and what they asked for, or the error the gateway would answer with. */
export type Acs3VerifyResult =
  | {
      readonly ok: true;
      readonly accessKeyId: string;
      /** The STS token the request carried, if any. */
      readonly securityToken?: string;
      readonly nonce: string;
      readonly signedAt: Date;
      /** `x-acs-action` / `x-acs-version` as sent (signed); the service checks them. */
      readonly action: string | undefined;
      readonly version: string | undefined;
    }
  | { readonly ok: false; readonly error: Acs3SigningError };

const REDACTED = '<redacted>';
const TOKEN_HEADER = 'x-acs-security-token';

function isError(value: object): value is Acs3SigningError {
  return 'httpStatus' in value;
}

function constantTimeEquals(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The documentation requires every common header present (`host` and each `x-acs-*`) to be
 * signed, and nothing can be verified over a header that did not arrive.
 */
function checkSignedHeaders(
  signedHeaders: readonly string[],
  headers: Acs3Headers,
): Acs3SigningError | undefined {
  const signed = new Set(signedHeaders);
  for (const name of signed) {
    if (!headers.has(name)) return incompleteSignature(`The signed header ${name} is not in the request.`);
  }
  if (!signed.has('host')) return incompleteSignature('The host header must be signed.');
  for (const name of headers.keys()) {
    if (name.startsWith('x-acs-') && !signed.has(name)) {
      return incompleteSignature(`The header ${name} must be signed.`);
    }
  }
  return undefined;
}

function readSigningTime(headers: Acs3Headers): Date | Acs3SigningError {
  const value = headers.get('x-acs-date');
  if (value === undefined || value === '') return illegalTimestamp();
  return parseIsoSeconds(value) ?? invalidTimestampFormat(value);
}

function checkCredential(
  accessKeyId: string,
  presentedToken: string | undefined,
  record: CredentialRecord | undefined,
  now: Date,
): CredentialRecord | Acs3SigningError {
  if (record === undefined) return accessKeyNotFound(accessKeyId);
  if (record.securityToken === undefined) {
    return presentedToken === undefined ? record : securityTokenMismatch(accessKeyId);
  }
  if (presentedToken === undefined) return missingSecurityToken(accessKeyId);
  if (!constantTimeEquals(presentedToken, record.securityToken)) return securityTokenMismatch(accessKeyId);
  const expiresAt = record.securityTokenExpiresAt;
  if (expiresAt !== undefined && now.getTime() >= expiresAt.getTime())
    return securityTokenExpired(accessKeyId);
  return record;
}

/**
 * Server side: checks a received request's ACS3-HMAC-SHA256 signature as the API gateway does.
 * Order: Authorization form and signed-header coverage (400 IncompleteSignature), `x-acs-date`
 * (400), nonce presence (400), the AccessKey and its STS token, the 15-minute window (400
 * InvalidTimeStamp.Expired), then the signature, recomputed with the payload hash of the body as
 * received and compared in constant time. Nonce reuse needs memory and is the caller's to refuse
 * (after success: {@link Acs3VerifyResult} gives the nonce). Pass headers as received, repeats as arrays.
 */
export function verifyAcs3Request(
  request: Acs3ReceivedRequest,
  options: Acs3VerifyOptions,
): Acs3VerifyResult {
  const headers = normalizeAcs3Headers(request.headers);
  const authorizationValue = headers.get('authorization') ?? '';
  if (authorizationValue === '') {
    return { ok: false, error: incompleteSignature('The Authorization header is missing.') };
  }
  const parsed = parseAcs3Authorization(authorizationValue);
  if (!parsed.ok) return { ok: false, error: incompleteSignature(parsed.reason) };
  const { accessKeyId, signedHeaders, signature } = parsed.value;
  const coverage = checkSignedHeaders(signedHeaders, headers);
  if (coverage !== undefined) return { ok: false, error: coverage };

  const signedAt = readSigningTime(headers);
  if (isError(signedAt)) return { ok: false, error: signedAt };
  const nonce = headers.get('x-acs-signature-nonce') ?? '';
  if (nonce === '') return { ok: false, error: missingSignatureNonce() };

  const presentedToken = headers.get(TOKEN_HEADER);
  const record = checkCredential(
    accessKeyId,
    presentedToken,
    options.resolveCredential(accessKeyId),
    options.now,
  );
  if (isError(record)) return { ok: false, error: record };
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(options.now.getTime() - signedAt.getTime()) > maxSkewMs) {
    return { ok: false, error: timestampExpired(signedAt, options.now, maxSkewMs) };
  }

  const build = (signed: Acs3Headers) =>
    buildAcs3CanonicalRequest({
      method: request.method,
      path: request.path,
      query: request.query,
      headers: signed,
      signedHeaders,
      hashedPayload: sha256Hex(request.body),
    });
  const canonicalRequest = build(headers);
  const stringToSign = acs3StringToSign(canonicalRequest);
  if (!constantTimeEquals(signature, computeAcs3Signature(record.accessKeySecret, stringToSign))) {
    const redacted = new Map(headers);
    if (redacted.has(TOKEN_HEADER)) redacted.set(TOKEN_HEADER, REDACTED);
    return {
      ok: false,
      error: signatureDoesNotMatch({
        accessKeyId,
        signatureProvided: signature,
        stringToSign,
        canonicalRequest: build(redacted),
      }),
    };
  }
  return {
    ok: true,
    accessKeyId,
    ...(presentedToken === undefined ? {} : { securityToken: presentedToken }),
    nonce,
    signedAt,
    action: headers.get('x-acs-action'),
    version: headers.get('x-acs-version'),
  };
}
