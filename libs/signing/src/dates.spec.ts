import {
  formatIsoBasic,
  formatIsoSeconds,
  formatRfc1123,
  parseIsoBasic,
  parseIsoSeconds,
  parseRfc1123,
} from './dates';

const TIME = new Date('2023-12-16T16:20:57.123Z');

describe('dates', () => {
  it('formats the V4 x-oss-date in ISO 8601 basic form, whole seconds', () => {
    expect(formatIsoBasic(TIME)).toBe('20231216T162057Z');
  });

  it('formats RFC 1123 with a two-digit day', () => {
    expect(formatRfc1123(new Date('2025-04-07T08:30:00Z'))).toBe('Mon, 07 Apr 2025 08:30:00 GMT');
  });

  it('parses what it formats', () => {
    expect(parseIsoBasic('20231216T162057Z')).toEqual(new Date('2023-12-16T16:20:57Z'));
    expect(parseRfc1123('Wed, 28 Dec 2022 10:27:41 GMT')).toEqual(new Date('2022-12-28T10:27:41Z'));
  });

  it.each([
    '',
    'Wed, 28 Dec 2022 10:27:41 GMT',
    '20231216T162057',
    '2023-12-16T16:20:57Z',
    '20231332T000000Z',
    '20230230T000000Z',
  ])('rejects %j as an x-oss-date', (value) => {
    expect(parseIsoBasic(value)).toBeUndefined();
  });

  it.each([
    '',
    '20231216T162057Z',
    'Wed, 28 Dec 2022 10:27:41 UTC',
    'Wed, 32 Dec 2022 10:27:41 GMT',
    '28 Dec 2022 10:27:41 GMT',
  ])('rejects %j as an RFC 1123 date', (value) => {
    expect(parseRfc1123(value)).toBeUndefined();
  });

  it('formats the ACS3 x-acs-date in ISO 8601 extended form without milliseconds', () => {
    expect(formatIsoSeconds(TIME)).toBe('2023-12-16T16:20:57Z');
    expect(parseIsoSeconds('2023-12-16T16:20:57Z')).toEqual(new Date('2023-12-16T16:20:57Z'));
  });

  it.each([
    '',
    '2023-12-16T16:20:57.123Z',
    '2023-12-16 16:20:57Z',
    '20231216T162057Z',
    '2023-02-30T00:00:00Z',
  ])('rejects %j as an x-acs-date', (value) => {
    expect(parseIsoSeconds(value)).toBeUndefined();
  });
});
