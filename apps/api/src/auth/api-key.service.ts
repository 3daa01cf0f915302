import type { ApiKeyCredential, ApiKeyRecord, ApiKeyRepository, ApiKeyRole } from '@app/persistence';
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
/**
 * How long a key row read from the database is trusted before it is read again: saves a query per
 * request, and bounds how long a revoked key keeps working in a running process.
 */
const CREDENTIAL_TTL_MS = 5_000;
/** Draws before giving up on a free prefix (a clash of 48 random bits is already rare). */
const PREFIX_ATTEMPTS = 3;

/** Issues and checks API keys; the token exists in plain text only in `create`'s answer. */
export class ApiKeyService {
  private readonly logger = new Logger('ApiKeyService');
  private readonly lastRecordedUse = new Map<number, number>();
  private readonly credentials = new Map<string, { credential: ApiKeyCredential; readAt: number }>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The active key an `Authorization` header carries, or null. The row is found by the token's
   * public prefix (kept for `CREDENTIAL_TTL_MS`); the token's SHA-256 is then compared with the
   * stored one in constant time.
   */
  async authenticate(authorization: string | undefined): Promise<AuthenticatedKey | null> {
    const token = bearerToken(authorization);
    const parsed = token === null ? null : parseApiKeyToken(token);
    if (parsed === null) {
      return null;
    }
    const credential = await this.credential(parsed.prefix);
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

  private async credential(prefix: string): Promise<ApiKeyCredential | null> {
    const now = this.now();
    const cached = this.credentials.get(prefix);
    if (cached !== undefined && now - cached.readAt < CREDENTIAL_TTL_MS) {
      return cached.credential;
    }
    const credential = await this.keys.findCredential(prefix);
    if (credential === null) {
      this.credentials.delete(prefix);
    } else {
      this.credentials.set(prefix, { credential, readAt: now });
    }
    return credential;
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
