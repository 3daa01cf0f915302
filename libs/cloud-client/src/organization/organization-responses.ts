import { decodeUtf8, isRecord, MalformedDocumentError, parseSafeJson } from '../parsing/safe-documents';

/** One member of a resource directory, as ListAccounts reports it. */
export interface DirectoryAccount {
  /** The member's uid (digits). */
  readonly accountId: string;
  readonly displayName: string;
  /** The folder the member sits in (`fd-...`); null at the root. */
  readonly folderId: string | null;
  /** `CreateSuccess`, `InviteSuccess`, `PromoteSuccess`, ...; members still joining are not auditable yet. */
  readonly status: string | null;
}

/** One page of ListAccounts. */
export interface ListAccountsPage {
  readonly accounts: readonly DirectoryAccount[];
  readonly totalCount: number;
  readonly pageNumber: number;
  readonly pageSize: number;
  readonly requestId: string | null;
}

/** Temporary credentials STS issued, and when they stop working. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string;
  readonly expiration: Date;
  readonly requestId: string | null;
}

function jsonObject(body: Buffer): Record<string, unknown> {
  const document = parseSafeJson(decodeUtf8(body));
  if (!isRecord(document)) throw new MalformedDocumentError('JSON answer is not an object');
  return document;
}

function text(object: Record<string, unknown>, key: string): string | null {
  const value = object[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new MalformedDocumentError(`"${key}" is not a string`);
  return value;
}

function requiredText(object: Record<string, unknown>, key: string): string {
  const value = text(object, key);
  if (value === null) throw new MalformedDocumentError(`"${key}" is missing`);
  return value;
}

function count(object: Record<string, unknown>, key: string): number {
  const value = object[key];
  // RPC answers carry numbers, but some gateways render them as strings.
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
    throw new MalformedDocumentError(`"${key}" is not a count`);
  }
  return number;
}

/**
 * Parses a Resource Manager ListAccounts (2020-03-31) answer:
 * `{"RequestId","PageNumber","PageSize","TotalCount","Accounts":{"Account":[{"AccountId","DisplayName","FolderId","Status",...}]}}`.
 */
export function parseListAccounts(body: Buffer): ListAccountsPage {
  const document = jsonObject(body);
  const container = document['Accounts'];
  const list = isRecord(container) ? (container['Account'] ?? []) : [];
  if (!Array.isArray(list)) throw new MalformedDocumentError('"Accounts.Account" is not a list');
  const accounts = list.map((entry: unknown): DirectoryAccount => {
    if (!isRecord(entry)) throw new MalformedDocumentError('an account is not an object');
    const accountId = requiredText(entry, 'AccountId');
    if (!/^\d+$/.test(accountId)) throw new MalformedDocumentError('"AccountId" is not an account uid');
    return {
      accountId,
      displayName: text(entry, 'DisplayName') ?? accountId,
      folderId: text(entry, 'FolderId'),
      status: text(entry, 'Status'),
    };
  });
  return {
    accounts,
    totalCount: count(document, 'TotalCount'),
    pageNumber: count(document, 'PageNumber'),
    pageSize: count(document, 'PageSize'),
    requestId: text(document, 'RequestId'),
  };
}

/**
 * Parses an STS AssumeRole (2015-04-01) answer:
 * `{"RequestId","AssumedRoleUser":{...},"Credentials":{"AccessKeyId","AccessKeySecret","SecurityToken","Expiration"}}`.
 */
export function parseAssumeRole(body: Buffer): IssuedCredentials {
  const document = jsonObject(body);
  const credentials = document['Credentials'];
  if (!isRecord(credentials)) throw new MalformedDocumentError('"Credentials" is missing or not an object');
  const expiration = new Date(requiredText(credentials, 'Expiration'));
  if (Number.isNaN(expiration.getTime())) throw new MalformedDocumentError('"Expiration" is not a time');
  return {
    accessKeyId: requiredText(credentials, 'AccessKeyId'),
    accessKeySecret: requiredText(credentials, 'AccessKeySecret'),
    securityToken: requiredText(credentials, 'SecurityToken'),
    expiration,
    requestId: text(document, 'RequestId'),
  };
}
