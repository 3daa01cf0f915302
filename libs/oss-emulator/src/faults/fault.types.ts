import type { OperationName } from '../protocol/operation-name';

/** OSS error codes a fault may answer with (rendered as XML on OSS endpoints). */
export type OssFaultErrorCode =
  'InternalError' | 'ServiceUnavailable' | 'MetaOperationQpsLimitExceeded' | 'QpsLimitExceeded';

/** OSS Tables error types a fault may answer with (rendered as JSON on Tables endpoints). */
export type TablesFaultErrorCode =
  'InternalServerErrorException' | 'ServiceUnavailableException' | 'TooManyRequestsException';

/**
 * Either product's code; on the other product's endpoint it is translated to the equivalent code
 * (InternalError <-> InternalServerErrorException, ServiceUnavailable and
 * MetaOperationQpsLimitExceeded <-> ServiceUnavailableException, QpsLimitExceeded <->
 * TooManyRequestsException), so one rule can throttle both products.
 */
export type FaultErrorCode = OssFaultErrorCode | TablesFaultErrorCode;

/** What a matching request gets instead of (or, for latency, before) its normal answer. */
export type Fault =
  /** Delay the answer; the request is then served normally (or by a later terminal fault). */
  | { readonly kind: 'latency'; readonly fixedMs: number; readonly jitterMs?: number }
  /** A service error; status defaults to the code's usual status (500, 503 or 429). */
  | {
      readonly kind: 'error';
      readonly code: FaultErrorCode;
      readonly status?: number;
      readonly message?: string;
    }
  /** Reset the TCP connection (RST) without answering. */
  | { readonly kind: 'reset' }
  /** Never answer; the socket is released when the client gives up or the emulator closes. */
  | { readonly kind: 'hang' }
  /** 200 with a truncated, unparseable XML or JSON body. */
  | { readonly kind: 'malformed' }
  /** 200 with a well-formed but huge body (default 10 MiB). */
  | { readonly kind: 'oversized'; readonly bytes?: number }
  /** 200 with an XML entity-expansion ("billion laughs") document. */
  | { readonly kind: 'billionLaughs' }
  /** 200 with a deeply nested XML or JSON document (default depth 50). */
  | { readonly kind: 'deepNesting'; readonly depth?: number };

export type FaultKind = Fault['kind'];

/** Which requests a rule applies to; every given field must match, absent fields match anything. */
export interface FaultMatch {
  readonly accountId?: string;
  /** OSS bucket name or table bucket name. */
  readonly bucket?: string;
  readonly operation?: OperationName;
  /** Region of the endpoint the request addressed (or of the bucket it targets). */
  readonly region?: string;
}

export interface FaultRule {
  readonly match: FaultMatch;
  readonly fault: Fault;
  /** Chance that a matching request is affected, 0..1; default 1. */
  readonly probability?: number;
  /** The rule stops after affecting this many requests; unlimited when absent. */
  readonly times?: number;
}
