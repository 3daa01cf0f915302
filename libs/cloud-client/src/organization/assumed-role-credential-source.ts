import { inspect } from 'node:util';

import type { SigningCredentials } from '@app/signing';

import type { CredentialSource } from '../credentials/credential-source';
import { OssError } from '../errors';
import type { AssumeRoleRequest, StsClient } from './organization-clients';

export interface AssumedRoleCredentialSourceOptions {
  readonly sts: Pick<StsClient, 'assumeRole'>;
  readonly request: AssumeRoleRequest;
  /**
   * Credentials are renewed this long before they expire (capped at half their lifetime), so a
   * request in flight never carries a token that runs out under it. Default 300 s.
   */
  readonly refreshMarginSeconds?: number;
  readonly now?: () => number;
}

interface Held {
  readonly credentials: SigningCredentials;
  readonly renewAtMs: number;
}

const DEFAULT_REFRESH_MARGIN_SECONDS = 300;

/**
 * A member account's credentials: AssumeRole on the member's role with the management account's
 * STS client, held until shortly before their `Expiration` and renewed then (one AssumeRole at a
 * time however many requests ask at once). A refused AssumeRole throws the {@link OssError} of
 * the answer (EntityNotExist.Role, NoPermission, ...), which the executor reports as the failure
 * of the call that needed the credentials; it is asked again next time, never cached.
 */
export class AssumedRoleCredentialSource implements CredentialSource {
  readonly #options: AssumedRoleCredentialSourceOptions;
  #held: Held | null = null;
  #pending: Promise<SigningCredentials> | null = null;

  constructor(options: AssumedRoleCredentialSourceOptions) {
    this.#options = options;
  }

  getCredentials(): Promise<SigningCredentials> {
    const now = (this.#options.now ?? Date.now)();
    if (this.#held !== null && now < this.#held.renewAtMs) return Promise.resolve(this.#held.credentials);
    this.#pending ??= this.#assume().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #assume(): Promise<SigningCredentials> {
    const issuedAt = (this.#options.now ?? Date.now)();
    const result = await this.#options.sts.assumeRole(this.#options.request);
    if (result.outcome === 'error') throw new OssError(result.error);
    const { credentials } = result;
    const lifetimeMs = Math.max(0, credentials.expiration.getTime() - issuedAt);
    const marginMs = Math.min(
      (this.#options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS) * 1000,
      lifetimeMs / 2,
    );
    const signing: SigningCredentials = {
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken,
    };
    this.#held = { credentials: signing, renewAtMs: credentials.expiration.getTime() - marginMs };
    return signing;
  }

  toString(): string {
    return `AssumedRoleCredentialSource(${this.#options.request.roleArn})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
