import { createHash } from 'node:crypto';

import { bearerToken, hashMatches, issueApiKeyToken, parseApiKeyToken } from './api-key-token';

const fixedRandom = (size: number): Buffer => Buffer.alloc(size, 7);

describe('API key tokens', () => {
  it('issues seed_ + 43 base64url characters, stores its SHA-256 and an 8-character prefix', () => {
    const issued = issueApiKeyToken(fixedRandom);
    expect(issued.token).toMatch(/^seed_[A-Za-z0-9_-]{43}$/);
    expect(issued.prefix).toBe(issued.token.slice(5, 13));
    expect(issued.hash.equals(createHash('sha256').update(issued.token).digest())).toBe(true);
  });

  it('draws a different token each time from the real random source', () => {
    expect(issueApiKeyToken().token).not.toBe(issueApiKeyToken().token);
  });

  it('parses a token back to the same prefix and hash', () => {
    const issued = issueApiKeyToken(fixedRandom);
    expect(parseApiKeyToken(issued.token)).toEqual({ prefix: issued.prefix, hash: issued.hash });
  });

  it.each([
    '',
    'seed_',
    'seed_short',
    `other_${'a'.repeat(43)}`,
    `seed_${'a'.repeat(44)}`,
    `seed_${'!'.repeat(43)}`,
  ])('refuses %j as a token', (token) => {
    expect(parseApiKeyToken(token)).toBeNull();
  });

  it('reads the token of a Bearer header, case-insensitively', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('matches hashes of equal bytes only, whatever their lengths', () => {
    const hash = createHash('sha256').update('x').digest();
    expect(hashMatches(hash, Buffer.from(hash))).toBe(true);
    expect(hashMatches(hash, createHash('sha256').update('y').digest())).toBe(false);
    expect(hashMatches(hash, hash.subarray(0, 16))).toBe(false);
  });
});
