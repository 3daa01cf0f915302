/** Products that share the OSS V4 algorithm; each names the scope's service part. */
export type SigningProduct = 'oss' | 'osstables' | 'oss-cloudbox';

/** An AccessKey pair, optionally with the STS token that belongs to it. Never logged. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

/**
 * What a request addresses. It decides the V4 canonical URI and the V1 canonical resource, which
 * is the only place the products differ.
 *
 * - `oss`: the bucket (absent for ListBuckets) and the object key (absent for bucket operations),
 *   both raw (not percent-encoded). The bucket is part of the canonical URI even when it travels in
 *   the Host header (virtual-hosted style).
 * - `osstables`: the request path as the service decodes it (once), without the leading `/`, e.g.
 *   `buckets/acs:osstables:cn-hangzhou:123:bucket/demo/encryption` or `buckets`; and the table
 *   bucket ARN when the operation targets one (absent for ListTableBuckets). The region is the
 *   signing region (needed for the ARN-less form).
 */
export type SigningTarget =
  | { readonly product: 'oss' | 'oss-cloudbox'; readonly bucket?: string; readonly key?: string }
  | { readonly product: 'osstables'; readonly path: string; readonly tableBucketArn?: string };

/** One query parameter, decoded. An empty value means the parameter is present without a value. */
export type QueryParam = readonly [name: string, value: string];

/** A request as the signer (client side) or verifier (server side) sees it. */
export interface SignableRequest {
  readonly method: string;
  readonly target: SigningTarget;
  /** Decoded query parameters in any order. */
  readonly query: readonly QueryParam[];
  /**
   * Header names in any case. Repeated headers as arrays (servers: Node's `headersDistinct`);
   * values are trimmed and joined by `,` before signing.
   */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** A signed request: what to send, plus the intermediate strings that make a mismatch debuggable. */
export interface SignedRequest {
  /**
   * Lowercase names: the caller's headers (values trimmed, repeats joined by `,`) plus, for V4,
   * `x-oss-date`, `x-oss-content-sha256` (`UNSIGNED-PAYLOAD` unless given),
   * `x-oss-security-token` (STS) and `authorization`; for V1, `date` (RFC 1123 of the signing
   * time), `x-oss-security-token` (STS) and `authorization`.
   */
  readonly headers: Record<string, string>;
  readonly authorization: string;
  /** The V4 canonical request; `''` for V1, which has none. */
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

/** A presigned request: the query to send instead of an Authorization header. */
export interface PresignedQuery {
  /** The request's parameters followed by the auth parameters, the signature last. */
  readonly query: QueryParam[];
  /** The V4 canonical request; `''` for V1. */
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}
