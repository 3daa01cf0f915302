import { inspect } from 'node:util';

import type { SigningCredentials } from '@app/signing';

/**
 * Where a client gets the credentials it signs with. Called before every attempt, so a source
 * that caches must answer from its cache and refresh temporary credentials before they expire.
 */
export interface CredentialSource {
  getCredentials(): Promise<SigningCredentials>;
}

/** Masks an AccessKey id for display: the first 4 characters, then `***`. */
function maskAccessKeyId(accessKeyId: string): string {
  return `${accessKeyId.slice(0, 4)}***`;
}

/**
 * Fixed credentials (tests, the emulator, short jobs holding an STS token). The secret lives in a
 * private field and the object renders as `StaticCredentialSource(LTAI***)` in logs, `inspect` and
 * JSON, so it can be passed around without leaking.
 */
export class StaticCredentialSource implements CredentialSource {
  readonly #credentials: SigningCredentials;

  constructor(credentials: SigningCredentials) {
    this.#credentials = {
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
    };
  }

  getCredentials(): Promise<SigningCredentials> {
    return Promise.resolve(this.#credentials);
  }

  toString(): string {
    return `StaticCredentialSource(${maskAccessKeyId(this.#credentials.accessKeyId)})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
