import type { Dispatcher } from 'undici';

import { createClientRuntime, type ClientOptions } from '../client-options';
import { endpointConfig, type EndpointConfig, type RequestTarget } from '../endpoints';
import { OssArgumentError, OssError, type OssErrorInfo } from '../errors';
import { parseKmsError } from '../parsing/kms-responses';
import type { RequestExecutor } from '../request-executor';
import type { ListingPageReport } from '../results';
import {
  parseAssumeRole,
  parseListAccounts,
  type DirectoryAccount,
  type IssuedCredentials,
  type ListAccountsPage,
} from './organization-responses';

/** Resource Manager API version whose ListAccounts lists a resource directory's members. */
export const RESOURCE_MANAGER_API_VERSION = '2020-03-31';
/** STS API version whose AssumeRole issues a member role's temporary credentials. */
export const STS_API_VERSION = '2015-04-01';
/** The service hosts (both are global endpoints; the emulator answers on them too). */
export const RESOURCE_MANAGER_HOST = 'resourcemanager.aliyuncs.com';
export const STS_HOST = 'sts.aliyuncs.com';
/** ListAccounts accepts 1-100 members per page. */
const MAX_ACCOUNTS_PAGE_SIZE = 100;

function globalTarget(host: string, config: EndpointConfig): RequestTarget {
  return { origin: config.overrideOrigin ?? `https://${host}`, host, path: '/' };
}

export interface ListAccountsOptions {
  /** Members per page, 1-100; default 100. */
  readonly pageSize?: number;
  readonly onPage?: (page: ListingPageReport) => void;
}

/**
 * Resource Manager of the management (or delegated administrator) account: ListAccounts
 * (2020-03-31, RPC, ACS3-HMAC-SHA256) through the shared executor, so it is paced, retried and
 * size-capped like every other call.
 */
export class ResourceManagerClient {
  readonly #executor: RequestExecutor;
  readonly #ownedDispatcher: Dispatcher | null;
  readonly #target: RequestTarget;

  constructor(options: ClientOptions) {
    this.#target = globalTarget(RESOURCE_MANAGER_HOST, endpointConfig(options));
    const runtime = createClientRuntime(options, 'v4');
    this.#executor = runtime.executor;
    this.#ownedDispatcher = runtime.ownedDispatcher;
  }

  /** Every member of the resource directory, page by page; throws {@link OssError} when a page fails. */
  async *listAccounts(options: ListAccountsOptions = {}): AsyncIterable<DirectoryAccount> {
    const pageSize = options.pageSize ?? MAX_ACCOUNTS_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_ACCOUNTS_PAGE_SIZE) {
      throw new OssArgumentError(`pageSize must be an integer in 1..100, got ${pageSize}`);
    }
    let seen = 0;
    for (let pageNumber = 1; ; pageNumber += 1) {
      const outcome = await this.#executor.execute<ListAccountsPage>({
        operation: 'ListAccounts',
        method: 'POST',
        signing: { scheme: 'acs3', action: 'ListAccounts', version: RESOURCE_MANAGER_API_VERSION },
        target: this.#target,
        query: [
          ['PageNumber', String(pageNumber)],
          ['PageSize', String(pageSize)],
        ],
        headers: { accept: 'application/json' },
        listing: true,
        parseSuccess: (response) => parseListAccounts(response.body),
        parseError: parseKmsError,
      });
      if (!outcome.ok) throw new OssError(outcome.error, { cause: outcome.cause });
      const page = outcome.value;
      options.onPage?.({ requestId: page.requestId, items: page.accounts.length });
      yield* page.accounts;
      seen += page.accounts.length;
      // The last page is the one that reaches TotalCount (an empty page ends a shrinking directory).
      if (page.accounts.length === 0 || seen >= page.totalCount) return;
    }
  }

  async close(): Promise<void> {
    await this.#ownedDispatcher?.close();
  }
}

/** What AssumeRole gave: credentials, or the refusal (EntityNotExist.Role, NoPermission, ...). */
export type AssumeRoleResult =
  | { readonly outcome: 'credentials'; readonly credentials: IssuedCredentials }
  | { readonly outcome: 'error'; readonly error: OssErrorInfo };

export interface AssumeRoleRequest {
  /** `acs:ram::{uid}:role/{name}`. */
  readonly roleArn: string;
  readonly roleSessionName: string;
  /** 900-43200 in the service (the role's maximum session duration caps it). */
  readonly durationSeconds: number;
  readonly externalId?: string;
}

/** STS of the management account: AssumeRole (2015-04-01, RPC, ACS3-HMAC-SHA256). */
export class StsClient {
  readonly #executor: RequestExecutor;
  readonly #ownedDispatcher: Dispatcher | null;
  readonly #target: RequestTarget;

  constructor(options: ClientOptions) {
    this.#target = globalTarget(STS_HOST, endpointConfig(options));
    const runtime = createClientRuntime(options, 'v4');
    this.#executor = runtime.executor;
    this.#ownedDispatcher = runtime.ownedDispatcher;
  }

  /** Never throws for service, network or parse failures: they are an `error` outcome. */
  async assumeRole(request: AssumeRoleRequest): Promise<AssumeRoleResult> {
    const outcome = await this.#executor.execute<IssuedCredentials>({
      operation: 'AssumeRole',
      method: 'POST',
      signing: { scheme: 'acs3', action: 'AssumeRole', version: STS_API_VERSION },
      target: this.#target,
      query: [
        ['RoleArn', request.roleArn],
        ['RoleSessionName', request.roleSessionName],
        ['DurationSeconds', String(request.durationSeconds)],
        ...(request.externalId === undefined ? [] : [['ExternalId', request.externalId] as const]),
      ],
      headers: { accept: 'application/json' },
      parseSuccess: (response) => parseAssumeRole(response.body),
      parseError: parseKmsError,
    });
    return outcome.ok
      ? { outcome: 'credentials', credentials: outcome.value }
      : { outcome: 'error', error: outcome.error };
  }

  async close(): Promise<void> {
    await this.#ownedDispatcher?.close();
  }
}
