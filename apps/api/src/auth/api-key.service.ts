import type { ApiKeyRecord, ApiKeyRepository, ApiKeyRole } from '@app/persistence';
import { Logger } from '@nestjs/common';

import { bearerToken, hashMatches, issueApiKeyToken, parseApiKeyToken } from './api-key-token';

/** The key a request was authenticated with (never its token). */
export interface AuthenticatedKey {
  readonly id: number;
  readonly name: string;
  readonly role: ApiKeyRole;
}

/** `last_used_at` is written at most this often per key and process: it is a write on a read path. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Draws before giving up on a free prefix (a clash of 48 random bits is already rare). */
const PREFIX_ATTEMPTS = 3;

/** Issues and checks API keys; the token exists in plain text only in `create`'s answer. */
export class ApiKeyService {
  private readonly logger = new Logger('ApiKeyService');
  private readonly lastRecordedUse = new Map<number, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The active key an `Authorization` header carries, or null. The row is read by the token's
   * public prefix on every request (one lookup by a unique index), so a revoked key is refused from
   * the next request on; the token's SHA-256 is then compared with the stored one in constant time.
   */
  async authenticate(authorization: string | undefined): Promise<AuthenticatedKey | null> {
    const token = bearerToken(authorization);
    const parsed = token === null ? null : parseApiKeyToken(token);
    if (parsed === null) {
      return null;
    }
    const credential = await this.keys.findCredential(parsed.prefix);
    if (credential === null || credential.revokedAt !== null || !hashMatches(parsed.hash, credential.hash)) {
      return null;
    }
    await this.recordUse(credential.id);
    return { id: credential.id, name: credential.name, role: credential.role };
  }

  /** Creates a key; the returned token is the only copy there will ever be. */
  async create(name: string, role: ApiKeyRole): Promise<{ key: ApiKeyRecord; token: string }> {
    for (let attempt = 0; attempt < PREFIX_ATTEMPTS; attempt += 1) {
      const issued = issueApiKeyToken();
      const key = await this.keys.create({ name, role, prefix: issued.prefix, hash: issued.hash });
      if (key !== null) {
        return { key, token: issued.token };
      }
    }
    throw new Error(`No free key prefix after ${PREFIX_ATTEMPTS} draws`);
  }

  private async recordUse(id: number): Promise<void> {
    const now = this.now();
    const last = this.lastRecordedUse.get(id);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) {
      return;
    }
    this.lastRecordedUse.set(id, now);
    try {
      await this.keys.recordUse(id, new Date(now));
    } catch (error) {
      // Bookkeeping only: the request it belongs to must not fail for it.
      this.logger.warn(`Could not record the use of API key ${id}: ${(error as Error).message}`);
    }
  }
}
