import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  decodeQueryString,
  signatureNonceUsed,
  verifyAcs3Request,
  type Acs3VerifyResult,
} from '@app/signing';

import { isDenied, type AccessKeyRecord } from '../fleet/fleet-state';
import type { ResourceDirectory } from '../fleet/resource-directory';
import {
  apiNotFound,
  fromAcs3Error,
  invalidVersion,
  kmsFaultError,
  missingParameter,
  renderKmsError,
  unreadableParameters,
  unsupportedHttpMethod,
  type KmsError,
} from '../protocol/kms-json';
import {
  invalidDurationSeconds,
  invalidPageSize,
  invalidRoleArn,
  notAuthorized,
  renderAssumeRole,
  renderListAccounts,
  roleNotFound,
} from '../protocol/organization-json';
import { queryParam } from '../protocol/request-routing';
import { NonceWindow, type KmsArrival, type KmsServiceHost } from './kms-service';
import { readBody } from './request-body';

/** The API versions and actions served, by product. */
const ACTIONS = {
  ListAccounts: { version: '2020-03-31', product: 'ResourceManager' },
  AssumeRole: { version: '2015-04-01', product: 'Sts' },
} as const;
type OrganizationAction = keyof typeof ACTIONS;

const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_PAGE_SIZE = 10;

/** Whether a request is for this service: its host, or (on a neutral host) its action. */
export function isOrganizationRequest(hostname: string, action: string | undefined): boolean {
  return (
    /^(sts|resourcemanager)(\.[a-z0-9-]+)?\.aliyuncs\.com$/.test(hostname) ||
    action === 'ListAccounts' ||
    action === 'AssumeRole'
  );
}

/**
 * The emulated Resource Manager (ListAccounts 2020-03-31, paged) and STS (AssumeRole 2015-04-01)
 * of the fleet's Resource Directory. Requests are verified with ACS3-HMAC-SHA256 and their nonce
 * checked exactly as KMS's are; AssumeRole issues temporary credentials that OSS, OSS Tables and
 * KMS of the member accept until their Expiration.
 */
export class OrganizationService {
  private readonly nonces = new NonceWindow();

  constructor(
    private readonly host: KmsServiceHost,
    /** Most members one page holds, whatever PageSize asks (tests force many pages). */
    private readonly maxPageSize = 100,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse, arrival: KmsArrival): void {
    readBody(req, MAX_BODY_BYTES)
      .then((body) => {
        this.serve(req, res, arrival, body.ok ? body.body : undefined);
      })
      .catch(() => {
        this.fail(res, arrival, kmsFaultError('InternalError', undefined, undefined));
      });
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    arrival: KmsArrival,
    body: Buffer | undefined,
  ): void {
    const actionHeader = req.headers['x-acs-action'];
    const action: OrganizationAction | undefined =
      actionHeader === 'ListAccounts' || actionHeader === 'AssumeRole' ? actionHeader : undefined;
    this.host.recordRequest(action);
    if (body === undefined) {
      this.fail(res, arrival, unreadableParameters());
      return;
    }
    const method = req.method ?? 'GET';
    let claimed: AccessKeyRecord | undefined;
    const verification = verifyAcs3Request(
      { method, path: arrival.rawPath, query: arrival.query, headers: req.headersDistinct, body },
      {
        now: new Date(this.host.serverNow()),
        resolveCredential: (accessKeyId) => (claimed = this.host.state.accessKey(accessKeyId)),
      },
    );
    const decision =
      action === undefined
        ? undefined
        : this.host.faults.decide({
            accountId: claimed?.accountId,
            bucket: undefined,
            operation: action,
            region: undefined,
          });
    if (decision?.terminal !== undefined) {
      if (decision.terminal.kind === 'reset') {
        if (!req.socket.destroyed) req.socket.resetAndDestroy();
      } else if (decision.terminal.kind === 'error') {
        const { code, status, message } = decision.terminal;
        this.fail(res, arrival, kmsFaultError(code, status, message));
      } else {
        this.fail(res, arrival, kmsFaultError('ServiceUnavailable', undefined, undefined));
      }
      return;
    }
    const error = this.check(method, arrival.rawPath, verification, action);
    if (error !== undefined || action === undefined || claimed === undefined) {
      this.fail(res, arrival, error ?? apiNotFound());
      return;
    }
    const formParams =
      req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true
        ? decodeQueryString(body.toString('utf8'))
        : [];
    const param = (name: string) => queryParam(arrival.query, name) ?? queryParam(formParams, name);
    const directory = this.host.state.directory;
    const isManagement = directory !== null && claimed.accountId === directory.managementAccountId;
    if (
      directory === null ||
      !isManagement ||
      isDenied(this.host.state.accounts.get(claimed.accountId)?.deny, action)
    ) {
      this.fail(res, arrival, notAuthorized());
      return;
    }
    if (action === 'ListAccounts') this.listAccounts(res, arrival, directory, param);
    else this.assumeRole(res, arrival, directory, param);
  }

  private check(
    method: string,
    rawPath: string,
    verification: Acs3VerifyResult,
    action: OrganizationAction | undefined,
  ): KmsError | undefined {
    if (method !== 'GET' && method !== 'POST') return unsupportedHttpMethod();
    if (!verification.ok) return fromAcs3Error(verification.error);
    if (!this.nonces.accept(verification.accessKeyId, verification.nonce, this.host.serverNow())) {
      return fromAcs3Error(signatureNonceUsed());
    }
    if (verification.action === undefined) return missingParameter('x-acs-action');
    if (action === undefined || rawPath !== '/') return apiNotFound();
    if (verification.version !== ACTIONS[action].version) return invalidVersion();
    return undefined;
  }

  private listAccounts(
    res: ServerResponse,
    arrival: KmsArrival,
    directory: ResourceDirectory,
    param: (name: string) => string | undefined,
  ): void {
    const pageNumber = Number(param('PageNumber') ?? '1');
    const pageSize = Number(param('PageSize') ?? String(DEFAULT_PAGE_SIZE));
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      this.fail(res, arrival, invalidPageSize());
      return;
    }
    if (!Number.isInteger(pageNumber) || pageNumber < 1) {
      this.fail(res, arrival, {
        code: 'InvalidParameter.PageNumber',
        status: 400,
        message: 'The PageNumber is invalid.',
      });
      return;
    }
    const members = directory.list();
    const served = Math.min(pageSize, this.maxPageSize);
    const start = (pageNumber - 1) * served;
    const requestId = randomUUID().toUpperCase();
    const body = renderListAccounts(
      members.slice(start, start + served),
      { pageNumber, pageSize, totalCount: members.length },
      `rd-${directory.managementAccountId.slice(0, 6)}`,
      requestId,
    );
    this.send(res, 200, body, requestId);
  }

  private assumeRole(
    res: ServerResponse,
    arrival: KmsArrival,
    directory: ResourceDirectory,
    param: (name: string) => string | undefined,
  ): void {
    const roleArn = param('RoleArn');
    const sessionName = param('RoleSessionName');
    if (roleArn === undefined || roleArn === '') {
      this.fail(res, arrival, missingParameter('RoleArn'));
      return;
    }
    if (sessionName === undefined || !/^[\w.@-]{2,64}$/.test(sessionName)) {
      this.fail(res, arrival, missingParameter('RoleSessionName'));
      return;
    }
    const lookup = directory.lookupRole(roleArn);
    if (lookup === undefined) {
      this.fail(res, arrival, invalidRoleArn());
      return;
    }
    if (lookup.kind === 'no_role') {
      this.fail(res, arrival, roleNotFound(roleArn));
      return;
    }
    if (lookup.kind === 'not_trusted') {
      this.fail(res, arrival, notAuthorized());
      return;
    }
    const max = directory.maxSessionSeconds(lookup.role);
    const duration = Number(param('DurationSeconds') ?? '3600');
    if (!Number.isInteger(duration) || duration < directory.minDurationSeconds || duration > max) {
      this.fail(res, arrival, invalidDurationSeconds(directory.minDurationSeconds, max));
      return;
    }
    // Expiration is stated to the second (rounded up: the token lives at least DurationSeconds)
    // and the token is refused from that instant on.
    const expiresAt = new Date(Math.ceil((this.host.serverNow() + duration * 1000) / 1000) * 1000);
    const issued = this.host.state.issueTemporaryCredentials(lookup.accountId, expiresAt);
    const requestId = randomUUID().toUpperCase();
    const body = renderAssumeRole(
      {
        accessKeyId: issued.accessKeyId,
        accessKeySecret: issued.accessKeySecret,
        securityToken: issued.securityToken ?? '',
        expiresAt,
      },
      roleArn,
      sessionName,
      requestId,
    );
    this.send(res, 200, body, requestId);
  }

  private fail(res: ServerResponse, arrival: KmsArrival, error: KmsError): void {
    const requestId = randomUUID().toUpperCase();
    this.send(res, error.status, renderKmsError(error, requestId, arrival.hostId), requestId);
  }

  private send(res: ServerResponse, status: number, body: string, requestId: string): void {
    const buffer = Buffer.from(body, 'utf8');
    res.writeHead(status, [
      'Date',
      this.host.stamps.date(),
      'Content-Type',
      'application/json;charset=utf-8',
      'Content-Length',
      String(buffer.length),
      'x-acs-request-id',
      requestId,
    ]);
    res.end(buffer);
  }
}
