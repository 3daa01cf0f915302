import {
  acs3CanonicalQueryString,
  acs3SignedHeaderNames,
  acs3StringToSign,
  buildAcs3CanonicalRequest,
  computeAcs3Signature,
  formatAcs3Authorization,
  normalizeAcs3Headers,
  sha256Hex,
  type Acs3HeaderInput,
  type Acs3Headers,
} from './acs3-canonical-request';
import { formatIsoSeconds } from './dates';
import { SigningInputError } from './signing-input-error';
import type { QueryParam, SigningCredentials } from './types';

/** A request as the V3 signer (client) or verifier (server) sees it. */
export interface Acs3Request {
  readonly method: string;
  /** Decoded path; `/` for RPC-style APIs such as KMS. */
  readonly path: string;
  /** Decoded query parameters in any order. */
  readonly query: readonly QueryParam[];
  /** Names in any case, repeats as arrays; must carry `host` for {@link signAcs3}. */
  readonly headers: Acs3HeaderInput;
}

/** The signature of a request over the headers it already carries. */
export interface Acs3Signature {
  readonly authorization: string;
  readonly signedHeaders: readonly string[];
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}

/** Inputs of {@link acs3Authorization}: nothing is added to the request. */
export interface Acs3AuthorizationInput {
  readonly request: Acs3Request;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** The HashedRequestPayload, as the SDKs' `getAuthorization` takes it. */
  readonly hashedPayload: string;
}

/**
 * The V3 Authorization of a request exactly as given: the signed headers are the `host`,
 * `content-type` and `x-acs-*` headers it carries. The SDKs' `getAuthorization` step; use
 * {@link signAcs3} to sign a request to send.
 */
export function acs3Authorization(input: Acs3AuthorizationInput): Acs3Signature {
  return signNormalized(
    input.request,
    normalizeAcs3Headers(input.request.headers),
    input.hashedPayload,
    input.accessKeyId,
    input.accessKeySecret,
  );
}

function signNormalized(
  request: Acs3Request,
  headers: Acs3Headers,
  hashedPayload: string,
  accessKeyId: string,
  accessKeySecret: string,
): Acs3Signature {
  const signedHeaders = acs3SignedHeaderNames(headers);
  const canonicalRequest = buildAcs3CanonicalRequest({
    method: request.method,
    path: request.path,
    query: request.query,
    headers,
    signedHeaders,
    hashedPayload,
  });
  const stringToSign = acs3StringToSign(canonicalRequest);
  const signature = computeAcs3Signature(accessKeySecret, stringToSign);
  return {
    authorization: formatAcs3Authorization(accessKeyId, signedHeaders, signature),
    signedHeaders,
    canonicalRequest,
    stringToSign,
    signature,
  };
}

/** Inputs of a V3 signature. Time and nonce are inputs: the signer reads no clock and no dice. */
export interface SignAcs3Input {
  readonly request: Acs3Request;
  readonly credentials: SigningCredentials;
  /** `x-acs-action`, e.g. `DescribeKey`. */
  readonly action: string;
  /** `x-acs-version`, e.g. `2016-01-20`. */
  readonly version: string;
  readonly signingTime: Date;
  /** `x-acs-signature-nonce`: unique per request (the service refuses a reused one). */
  readonly nonce: string;
  /** The body sent; its SHA-256 is the payload hash. Default: empty. */
  readonly body?: string | Uint8Array;
}

/** A request signed with V3: the headers to send and the strings that make a mismatch debuggable. */
export interface Acs3SignedRequest extends Acs3Signature {
  /**
   * Lowercase names: the caller's headers (values trimmed, repeats sorted and joined by `,`) plus
   * `x-acs-action`, `x-acs-version`, `x-acs-date`, `x-acs-signature-nonce`,
   * `x-acs-content-sha256`, `x-acs-security-token` (STS) and `authorization`.
   */
  readonly headers: Record<string, string>;
  /** The query string to send (the canonical one, so what is signed is what travels). */
  readonly queryString: string;
}

const NONCE = /^[\x21-\x7e]{1,128}$/;

/**
 * Signs a request with ACS3-HMAC-SHA256 (header mode, the only mode V3 has): adds the `x-acs-*`
 * common headers and the Authorization. The caller gives the `host` header (it is signed).
 */
export function signAcs3(input: SignAcs3Input): Acs3SignedRequest {
  const { request, credentials } = input;
  const headers = normalizeAcs3Headers(request.headers);
  if ((headers.get('host') ?? '') === '') {
    throw new SigningInputError('MissingHost', 'An ACS3 request must carry its host header: it is signed.');
  }
  if (!NONCE.test(input.nonce)) {
    throw new SigningInputError('InvalidNonce', 'The nonce must be 1-128 visible ASCII characters.');
  }
  headers.delete('authorization');
  headers.set('x-acs-action', input.action);
  headers.set('x-acs-version', input.version);
  headers.set('x-acs-date', formatIsoSeconds(input.signingTime));
  headers.set('x-acs-signature-nonce', input.nonce);
  headers.set('x-acs-content-sha256', sha256Hex(input.body ?? ''));
  if (credentials.securityToken !== undefined) headers.set('x-acs-security-token', credentials.securityToken);
  else headers.delete('x-acs-security-token');

  const signature = signNormalized(
    request,
    headers,
    headers.get('x-acs-content-sha256') ?? '',
    credentials.accessKeyId,
    credentials.accessKeySecret,
  );
  headers.set('authorization', signature.authorization);
  return {
    ...signature,
    headers: Object.fromEntries(headers),
    queryString: acs3CanonicalQueryString(request.query),
  };
}
