import { keysetCursor, MAX_CURSOR_LENGTH, pageSize, sortKeysetCursor } from './cursor';
import { PersistenceError } from './persistence-error';

/** A cursor with any JSON inside, as a client could forge it. */
const forged = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof PersistenceError ? error.code : undefined;
  }
  return undefined;
}

const TIME = '2026-03-01T02:00:00.123456Z';
const UUID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('keyset cursors', () => {
  const int4 = keysetCursor('int4');
  const int8 = keysetCursor('int8');
  const timeAndId = keysetCursor('timestamptz', 'int8');
  const timeAndUuid = keysetCursor('timestamptz', 'uuid');

  it('decodes what they encode', () => {
    expect(int4.decode(int4.encode([2_147_483_647]))).toEqual([2_147_483_647]);
    expect(int8.decode(int8.encode([Number.MAX_SAFE_INTEGER]))).toEqual([Number.MAX_SAFE_INTEGER]);
    expect(timeAndId.decode(timeAndId.encode([TIME, 42]))).toEqual([TIME, 42]);
    expect(timeAndUuid.decode(timeAndUuid.encode([TIME, UUID]))).toEqual([TIME, UUID]);
  });

  it.each<[string, unknown]>([
    ['beyond int4', [2_147_483_648]],
    ['zero', [0]],
    ['negative', [-1]],
    ['a fraction', [1.5]],
    ['an exponent beyond any integer', [1e308]],
    ['a string', ['1']],
    ['null', [null]],
    ['nested', [[1]]],
    ['too long', [1, 2]],
    ['empty', []],
    ['an object', { id: 1 }],
    ['a bare number', 1],
  ])('refuses an int4 cursor that is %s', (_name, value) => {
    expect(codeOf(() => int4.decode(forged(value)))).toBe('INVALID_CURSOR');
  });

  it('refuses an int8 cursor beyond the integers JavaScript keeps exactly', () => {
    expect(codeOf(() => int8.decode(forged([2 ** 53])))).toBe('INVALID_CURSOR');
    expect(int8.decode(forged([2_147_483_648]))).toEqual([2_147_483_648]);
  });

  it.each([
    '2026-13-01T00:00:00.000000Z',
    '2026-02-30T00:00:00.000000Z',
    '2026-03-01T24:00:00.000000Z',
    '2026-03-01T23:60:00.000000Z',
    '2026-03-01T23:59:60.000000Z',
    '0000-01-01T00:00:00.000000Z',
    '2026-03-01T02:00:00Z',
    '2026-03-01T02:00:00.123Z',
    '2026-03-01T02:00:00.123456+08:00',
    ' 2026-03-01T02:00:00.123456Z',
    '2026-03-01T02:00:00.123456Z\u0000',
    'now',
    '',
  ])('refuses the timestamp %j', (timestamp) => {
    expect(codeOf(() => timeAndId.decode(forged([timestamp, 1])))).toBe('INVALID_CURSOR');
  });

  it('reads years 1 to 99 as themselves, not as 19xx as Date.UTC would', () => {
    expect(timeAndId.decode(forged(['0052-02-29T00:00:00.000000Z', 1]))).toEqual([
      '0052-02-29T00:00:00.000000Z',
      1,
    ]);
    expect(codeOf(() => timeAndId.decode(forged(['0051-02-29T00:00:00.000000Z', 1])))).toBe('INVALID_CURSOR');
  });

  it.each([
    'not-a-uuid',
    UUID.toUpperCase(),
    `${UUID}0`,
    "x'; DROP TABLE findings;--",
    '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  ])('refuses the uuid %j', (uuid) => {
    expect(codeOf(() => timeAndUuid.decode(forged([TIME, uuid])))).toBe('INVALID_CURSOR');
  });

  it.each<[string, string]>([
    ['not base64url', '!!!'],
    ['padded base64', `${forged([1])}=`],
    ['standard base64 with + and /', Buffer.from('[1]>>?').toString('base64')],
    ['not JSON', Buffer.from('[1').toString('base64url')],
    ['JSON spelt otherwise than it is issued', Buffer.from('[ 1 ]').toString('base64url')],
    ['a number written with a decimal point', Buffer.from('[1.0]').toString('base64url')],
    ['empty', ''],
    ['longer than any cursor issued', 'A'.repeat(MAX_CURSOR_LENGTH + 1)],
  ])('refuses a cursor that is %s', (_name, cursor) => {
    expect(codeOf(() => int4.decode(cursor))).toBe('INVALID_CURSOR');
  });

  it('says nothing about the cursor but that it was not issued here', () => {
    expect(() => int4.decode(forged(['secret']))).toThrow('The cursor is not one this service issued');
  });
});

describe('cursors of one sort order among several', () => {
  const byName = sortKeysetCursor('name', 'text', 'int8', 'uuid');
  const bySeverity = sortKeysetCursor('severity', 'int4', 'timestamptz', 'uuid');

  it('decode what they encode, names with any characters included', () => {
    const name = 'ns/表格 "quoted", 100%_';
    expect(byName.decode(byName.encode([name, 42, UUID]))).toEqual([name, 42, UUID]);
    expect(bySeverity.decode(bySeverity.encode([4, TIME, UUID]))).toEqual([4, TIME, UUID]);
  });

  it('refuse a cursor issued for another sort order, saying so', () => {
    const cursor = bySeverity.encode([4, TIME, UUID]);
    expect(codeOf(() => byName.decode(cursor))).toBe('INVALID_CURSOR');
    expect(() => byName.decode(cursor)).toThrow('The cursor was issued for another sort order than name');
  });

  it('refuse a cursor of an unsorted list, and a name holding NUL', () => {
    expect(codeOf(() => byName.decode(keysetCursor('timestamptz', 'uuid').encode([TIME, UUID])))).toBe(
      'INVALID_CURSOR',
    );
    expect(codeOf(() => byName.decode(forged(['name', 'a\u0000b', 1, UUID])))).toBe('INVALID_CURSOR');
  });

  it('hold a table name of 511 characters of three-byte UTF-8 within the longest cursor accepted', () => {
    const cursor = byName.encode(['表'.repeat(511), Number.MAX_SAFE_INTEGER, UUID]);
    expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
  });
});

describe('page sizes', () => {
  it.each([0, -1, 1.5, 501])('rejects page size %s', (limit) => {
    expect(codeOf(() => pageSize(limit))).toBe('INVALID_INPUT');
  });

  it('accepts page sizes from 1 to the maximum', () => {
    expect([pageSize(1), pageSize(500)]).toEqual([1, 500]);
  });
});
