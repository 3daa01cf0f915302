import type { EncryptionClass, EncryptionObservation } from './domain';

/**
 * A service error as the client reports it after retries. Only the fields classification reads; the
 * client's own error type (with status, EC, ...) is structurally compatible.
 */
export interface ServiceErrorInput {
  readonly code: string;
  readonly message?: string | null;
  readonly requestId?: string | null;
}

/** The rule of a GetBucketEncryption answer (docs/wire/oss.md §7.1); fields may be absent or empty. */
export interface BucketEncryptionRuleInput {
  readonly sseAlgorithm?: string | null;
  readonly kmsMasterKeyId?: string | null;
  readonly kmsDataEncryption?: string | null;
}

/** Outcome of GetBucketEncryption: a rule, 404 `NoSuchServerSideEncryptionRule`, or a failure. */
export type BucketEncryptionResult =
  | { readonly outcome: 'rule'; readonly rule: BucketEncryptionRuleInput; readonly requestId?: string | null }
  | { readonly outcome: 'no_rule'; readonly requestId?: string | null }
  | { readonly outcome: 'error'; readonly error: ServiceErrorInput };

/** The `encryptionConfiguration` of a GetTableBucketEncryption answer (docs/wire/oss.md §7.3). */
export interface TableBucketEncryptionConfigurationInput {
  readonly sseAlgorithm?: string | null;
  readonly kmsKeyArn?: string | null;
}

/**
 * Outcome of GetTableBucketEncryption. A table bucket that no longer exists is the scanner's
 * "disappeared" case and is never classified.
 */
export type TableBucketEncryptionResult =
  | {
      readonly outcome: 'configuration';
      readonly configuration: TableBucketEncryptionConfigurationInput;
      readonly requestId?: string | null;
    }
  | { readonly outcome: 'no_configuration'; readonly requestId?: string | null }
  | { readonly outcome: 'error'; readonly error: ServiceErrorInput };

/** Error code recorded when the service names an algorithm this auditor does not know. */
export const UNRECOGNISED_ALGORITHM = 'UnrecognisedAlgorithm';

/** Error code recorded when the client reported an error without a code. */
export const UNSPECIFIED_ERROR = 'UnspecifiedError';

// Matched case-insensitively: the value is the class an algorithm yields when no KMS key decides it.
const KNOWN_ALGORITHMS: ReadonlyMap<string, EncryptionClass> = new Map<string, EncryptionClass>([
  ['KMS', 'kms_default'],
  ['AES256', 'oss_aes256'],
  ['SM4', 'oss_sm4'],
]);

/** Classifies an OSS bucket's GetBucketEncryption outcome (docs/architecture.md, Domain). */
export function classifyBucketEncryption(result: BucketEncryptionResult): EncryptionObservation {
  switch (result.outcome) {
    case 'rule':
      return classifyAlgorithm({
        algorithm: result.rule.sseAlgorithm,
        kmsKeyId: result.rule.kmsMasterKeyId,
        kmsDataEncryption: result.rule.kmsDataEncryption,
        requestId: result.requestId,
      });
    case 'no_rule':
      return unencrypted(result.requestId);
    case 'error':
      return unobservable(result.error);
  }
}

/**
 * Classifies a table bucket's GetTableBucketEncryption outcome. The same algorithm names as OSS are
 * recognised: a table bucket has no `KMSDataEncryption`, so it is always null.
 */
export function classifyTableBucketEncryption(result: TableBucketEncryptionResult): EncryptionObservation {
  switch (result.outcome) {
    case 'configuration':
      return classifyAlgorithm({
        algorithm: result.configuration.sseAlgorithm,
        kmsKeyId: result.configuration.kmsKeyArn,
        kmsDataEncryption: null,
        requestId: result.requestId,
      });
    case 'no_configuration':
      return unencrypted(result.requestId);
    case 'error':
      return unobservable(result.error);
  }
}

interface RawEncryption {
  readonly algorithm: string | null | undefined;
  readonly kmsKeyId: string | null | undefined;
  readonly kmsDataEncryption: string | null | undefined;
  readonly requestId: string | null | undefined;
}

function classifyAlgorithm(raw: RawEncryption): EncryptionObservation {
  const algorithm = presentOrNull(raw.algorithm);
  const kmsKeyId = presentOrNull(raw.kmsKeyId);
  const evidence = {
    algorithm,
    kmsKeyId,
    kmsDataEncryption: presentOrNull(raw.kmsDataEncryption),
    requestId: presentOrNull(raw.requestId),
  };
  if (algorithm === null) {
    return { ...evidence, encryptionClass: 'none', errorCode: null, errorMessage: null };
  }
  const known = KNOWN_ALGORITHMS.get(algorithm.trim().toUpperCase());
  if (known === undefined) {
    // A new algorithm must be looked at by a person before it can count as compliant.
    return {
      ...evidence,
      encryptionClass: 'unknown',
      errorCode: UNRECOGNISED_ALGORITHM,
      errorMessage: `The service reported the unrecognised SSE algorithm "${algorithm}"`,
    };
  }
  const encryptionClass = known === 'kms_default' && kmsKeyId !== null ? 'kms_cmk' : known;
  return { ...evidence, encryptionClass, errorCode: null, errorMessage: null };
}

function unencrypted(requestId: string | null | undefined): EncryptionObservation {
  return {
    encryptionClass: 'none',
    algorithm: null,
    kmsKeyId: null,
    kmsDataEncryption: null,
    errorCode: null,
    errorMessage: null,
    requestId: presentOrNull(requestId),
  };
}

function unobservable(error: ServiceErrorInput): EncryptionObservation {
  return {
    encryptionClass: 'unknown',
    algorithm: null,
    kmsKeyId: null,
    kmsDataEncryption: null,
    errorCode: presentOrNull(error.code) ?? UNSPECIFIED_ERROR,
    errorMessage: presentOrNull(error.message),
    requestId: presentOrNull(error.requestId),
  };
}

// The services send empty strings for "not set" (e.g. Tables' `kmsKeyArn: ""`).
function presentOrNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}
