import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Marks the token as this service's (secret scanners can match it) and ends before the random part. */
const TOKEN_MARK = 'seed_';
/** Random bytes of a token: 256 bits. */
const TOKEN_BYTES = 32;
/** Characters of the random part kept as the public prefix that finds the key's row. */
const PREFIX_LENGTH = 8;
const TOKEN_PATTERN = /^seed_([A-Za-z0-9_-]{43})$/;

/** A freshly drawn token with what is stored of it. The token itself is shown once, then forgotten. */
export interface IssuedToken {
  readonly token: string;
  readonly prefix: string;
  readonly hash: Buffer;
}

/** Draws a new API key token: `seed_` + 32 random bytes in base64url. */
export function issueApiKeyToken(random: (size: number) => Buffer = randomBytes): IssuedToken {
  const token = `${TOKEN_MARK}${random(TOKEN_BYTES).toString('base64url')}`;
  const parsed = parseApiKeyToken(token);
  if (parsed === null) {
    throw new Error('The random source returned the wrong number of bytes');
  }
  return { token, prefix: parsed.prefix, hash: parsed.hash };
}

/** The prefix and hash of a presented token; null when it is not shaped like one of ours. */
export function parseApiKeyToken(token: string): { prefix: string; hash: Buffer } | null {
  const match = TOKEN_PATTERN.exec(token);
  if (match?.[1] === undefined) {
    return null;
  }
  return { prefix: match[1].slice(0, PREFIX_LENGTH), hash: sha256(token) };
}

/** The token of an `Authorization: Bearer <token>` header; null without one. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) {
    return null;
  }
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1] ?? null;
}

/** Whether the presented token's hash is the stored one, compared in constant time. */
export function hashMatches(presented: Buffer, stored: Buffer): boolean {
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
