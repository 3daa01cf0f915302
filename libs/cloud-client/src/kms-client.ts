import type { Dispatcher } from 'undici';

import { ClientOptions, createClientRuntime } from './client-options';
import { endpointConfig, EndpointConfig, kmsTarget } from './endpoints';
import { OssArgumentError, type OssErrorInfo } from './errors';
import { parseKmsKeyReference, type KmsKeyReference } from './kms-key-id';
import { parseDescribeKey, parseKmsError } from './parsing/kms-responses';
import { MalformedDocumentError } from './parsing/safe-documents';
import type { RequestExecutor } from './request-executor';
import type { DescribeKeyResult, KmsKeyMetadata } from './results';

/** KMS is signed with the OpenAPI V3 signature (ACS3-HMAC-SHA256) and addressed RPC style. */
export type KmsClientOptions = ClientOptions;

/** The KMS API version whose DescribeKey the client speaks. */
export const KMS_API_VERSION = '2016-01-20';

type DescribeKeyValue =
  | { readonly outcome: 'key'; readonly metadata: KmsKeyMetadata; readonly requestId: string | null }
  | { readonly outcome: 'key_not_found'; readonly code: string; readonly requestId: string | null };

// KMS common errors (docs/wire/kms-and-acs3.md §2.3): no such key or alias in this account and region.
const KEY_NOT_FOUND_CODES = new Set(['Forbidden.KeyNotFound', 'Forbidden.AliasNotFound']);
// Denials of the read itself: the KMS permission system, RAM, or the gateway's action check.
const ACCESS_DENIED_CODES = new Set([
  'Forbidden.NoPermission',
  'Forbidden.RAM',
  'Forbidden.NotSupportRAM',
  'ActionUnauthorized',
  'NoPermission',
]);

function isAccessDenied(error: OssErrorInfo): boolean {
  if (error.kind !== 'service') return false;
  return (
    ACCESS_DENIED_CODES.has(error.code) || (error.httpStatus === 403 && error.code.startsWith('Forbidden.'))
  );
}

/** The key the answer describes must be the one asked for, when the KeyId names it. */
function assertDescribesRequestedKey(reference: KmsKeyReference, metadata: KmsKeyMetadata): void {
  const expected =
    reference.kind === 'id' ? reference.keyId : reference.kind === 'arn' ? reference.arn.keyId : null;
  if (expected !== null && metadata.keyId !== expected) {
    throw new MalformedDocumentError(`KeyMetadata describes key ${metadata.keyId}, not ${expected}`);
  }
}

/**
 * The KMS client of one account: DescribeKey, signed with ACS3-HMAC-SHA256, paced by the
 * account's rate limiter and retried within its retry budget, on the same transport as the OSS
 * clients. Ask in the key's own region ({@link kmsKeyRegion}).
 */
export class KmsClient {
  readonly #executor: RequestExecutor;
  readonly #ownedDispatcher: Dispatcher | null;
  readonly #endpoints: EndpointConfig;

  constructor(options: KmsClientOptions) {
    this.#endpoints = endpointConfig(options);
    const runtime = createClientRuntime(options, 'v4');
    this.#executor = runtime.executor;
    this.#ownedDispatcher = runtime.ownedDispatcher;
  }

  /**
   * The metadata of a key (`KeyId`: id, ARN or `alias/...`) in `region`, or why there is none.
   * Never throws for service, network or parse failures (`key_not_found`, `access_denied`,
   * `error`); throws {@link OssArgumentError} for an invalid region or KeyId, or an ARN of
   * another region.
   */
  async describeKey(region: string, keyId: string): Promise<DescribeKeyResult> {
    const reference = parseKmsKeyReference(keyId);
    const target = kmsTarget(region, this.#endpoints);
    if (reference.kind === 'arn' && reference.arn.region !== region) {
      throw new OssArgumentError(`the key ${keyId} lives in ${reference.arn.region}, not ${region}`);
    }
    const outcome = await this.#executor.execute<DescribeKeyValue>({
      operation: 'DescribeKey',
      method: 'POST',
      // The batch that named the key is recorded once it is described.
      lane: 'gating',
      signing: { scheme: 'acs3', action: 'DescribeKey', version: KMS_API_VERSION },
      target,
      query: [['KeyId', keyId]],
      headers: { accept: 'application/json' },
      parseSuccess: (response) => {
        const answer = parseDescribeKey(response.body);
        assertDescribesRequestedKey(reference, answer.metadata);
        return { outcome: 'key', ...answer };
      },
      parseError: parseKmsError,
      recognizeError: (error) =>
        KEY_NOT_FOUND_CODES.has(error.code)
          ? { outcome: 'key_not_found', code: error.code, requestId: error.requestId }
          : undefined,
    });
    if (outcome.ok) return outcome.value;
    return isAccessDenied(outcome.error)
      ? { outcome: 'access_denied', error: outcome.error }
      : { outcome: 'error', error: outcome.error };
  }

  /** Closes the dispatcher the client created (an injected one stays open). */
  async close(): Promise<void> {
    await this.#ownedDispatcher?.close();
  }
}
