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
/**
 * How long a process trusts a key it verified without reading its row again: the bound within
 * which a revocation reaches every API process. Per request, the lookup was a second database
 * round trip beside the one the route needs (docs/operations.md, "API performance").
 */
export const VERIFIED_KEY_TTL_MS = 2_000;
/** Verified keys kept at most: keys are few, the bound only stops a process from growing. */
const MAX_VERIFIED_KEYS = 1_000;
/** Draws before giving up on a free prefix (a clash of 48 random bits is already rare). */
const PREFIX_ATTEMPTS = 3;

/** Issues and checks API keys; the token exists in plain text only in `create`'s answer. */
export class ApiKeyService {
  private readonly logger = new Logger('ApiKeyService');
  private readonly lastRecordedUse = new Map<number, number>();
  /** Keys verified against their row, by the token's SHA-256 (hex): never the token itself. */
  private readonly verified = new Map<string, { readonly key: AuthenticatedKey; readonly at: number }>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The active key an `Authorization` header carries, or null. The row is read by the token's
   * public prefix (one lookup by a unique index) and the token's SHA-256 compared with the stored
   * one in constant time; a key that passed is trusted for `VERIFIED_KEY_TTL_MS` by its hash, so a
   * revoked key is refused at most that long after its revocation. Failures are never cached:
   * a key refused once is looked up again (and throttled per address by the guard).
   */
  async authenticate(authorization: string | undefined): Promise<AuthenticatedKey | null> {
    const token = bearerToken(authorization);
    const parsed = token === null ? null : parseApiKeyToken(token);
    if (parsed === null) {
      return null;
    }
    const hash = parsed.hash.toString('hex');
    const cached = this.verified.get(hash);
    if (cached !== undefined && this.now() - cached.at < VERIFIED_KEY_TTL_MS) {
      await this.recordUse(cached.key.id);
      return cached.key;
    }
    this.verified.delete(hash);
    const credential = await this.keys.findCredential(parsed.prefix);
    if (credential === null || credential.revokedAt !== null || !hashMatches(parsed.hash, credential.hash)) {
      return null;
    }
    const key: AuthenticatedKey = { id: credential.id, name: credential.name, role: credential.role };
    this.remember(hash, key);
    await this.recordUse(credential.id);
    return key;
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

  private remember(hash: string, key: AuthenticatedKey): void {
    if (this.verified.size >= MAX_VERIFIED_KEYS) {
      // The oldest entry (Maps iterate in insertion order): at worst one more lookup for it.
      const [oldest] = this.verified.keys();
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(hash, { key, at: this.now() });
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
