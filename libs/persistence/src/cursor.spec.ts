import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { PersistenceError } from './persistence-error';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof PersistenceError ? error.code : undefined;
  }
  return undefined;
}

describe('cursor', () => {
  it('decodes what it encodes', () => {
    const cursor = encodeCursor(['2026-03-01T02:00:00.123456Z', 42]);
    expect(decodeCursor(cursor, ['string', 'number'])).toEqual(['2026-03-01T02:00:00.123456Z', 42]);
  });

  it.each([
    ['garbage', 'not base64 JSON'],
    [encodeCursor([42]), 'too short'],
    [encodeCursor(['42', 42]), 'wrong element type'],
    [Buffer.from('{"a":1}').toString('base64url'), 'not an array'],
  ])('rejects %s (%s) with INVALID_CURSOR', (cursor) => {
    expect(codeOf(() => decodeCursor(cursor, ['number', 'number']))).toBe('INVALID_CURSOR');
  });

  it.each([0, -1, 1.5, 501])('rejects page size %s', (limit) => {
    expect(codeOf(() => pageSize(limit))).toBe('INVALID_INPUT');
  });

  it('accepts page sizes from 1 to the maximum', () => {
    expect([pageSize(1), pageSize(500)]).toEqual([1, 500]);
  });
});
