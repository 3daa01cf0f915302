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
/** Draws before giving up on a free prefix (a clash of 48 random bits is already rare). */
const PREFIX_ATTEMPTS = 3;
/**
 * How long a key row read while key changes are announced is used without reading it again. The
 * announcement drops it at once; this bounds the trust in a row should announcements stop arriving
 * without the listening connection noticing (a silent network partition).
 */
export const CREDENTIAL_TRUST_MS = 5_000;

/**
 * Issues and checks API keys; the token exists in plain text only in `create`'s answer.
 *
 * A key's row is read by the token's public prefix (a unique index) and the token's SHA-256 then
 * compared with the stored one in constant time, on every request, unless key changes are being
 * announced (`keyChangesAnnounced(true)`, from ApiKeyChangeFeed): then an active key's row is kept
 * until a change to any key is announced (`keysChanged()`) or for CREDENTIAL_TRUST_MS at most, and
 * a revocation committed anywhere reaches this process as soon as its announcement does.
 */
export class ApiKeyService {
  private readonly logger = new Logger('ApiKeyService');
  private readonly lastRecordedUse = new Map<number, number>();
  private readonly trusted = new Map<string, { credential: ApiKeyCredential; readAt: number }>();
  private announced = false;
  /** Moves on every announced change: a row read across one is not kept (it may predate the change). */
  private generation = 0;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** The active key an `Authorization` header carries, or null. */
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

  /**
   * Whether every change to the keys is now announced to this process (true once it listens, false
   * when that connection is lost). Either way the rows kept so far are dropped: changes made while
   * nobody listened were not announced.
   */
  keyChangesAnnounced(announced: boolean): void {
    this.announced = announced;
    this.keysChanged();
  }

  /** A key was revoked, changed or deleted somewhere: no row kept so far is trusted any more. */
  keysChanged(): void {
    this.generation += 1;
    this.trusted.clear();
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
    const readAt = this.now();
    const kept = this.announced ? this.trusted.get(prefix) : undefined;
    if (kept !== undefined && readAt - kept.readAt < CREDENTIAL_TRUST_MS) {
      return kept.credential;
    }
    const generation = this.generation;
    const credential = await this.keys.findCredential(prefix);
    if (
      this.announced &&
      generation === this.generation &&
      credential !== null &&
      credential.revokedAt === null
    ) {
      this.trusted.set(prefix, { credential, readAt });
    } else {
      this.trusted.delete(prefix);
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
