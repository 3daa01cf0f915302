import { formatCount, formatDuration, formatShare, formatTime, plural } from './format';

describe('console formatting', () => {
  it('writes times as date and minutes in the local zone', () => {
    expect(formatTime(new Date(2026, 2, 5, 2, 10, 59, 999).toISOString())).toBe('2026-03-05 02:10');
    expect(formatTime(null)).toBe('');
    expect(formatTime('not a time')).toBe('not a time');
  });

  it('writes shares as whole percents, small ones as <1%, none without a total', () => {
    expect(formatShare(1, 3)).toBe('33%');
    expect(formatShare(1, 1000)).toBe('<1%');
    expect(formatShare(0, 10)).toBe('0%');
    expect(formatShare(0, 0)).toBe('–');
  });

  it('writes durations in the unit a person would say', () => {
    expect(formatDuration(0.85)).toBe('850 ms');
    expect(formatDuration(42.04)).toBe('42 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7500)).toBe('2 h 5 min');
    expect(formatDuration(null)).toBe('');
  });

  it('groups thousands and agrees in number', () => {
    expect(formatCount(100000)).toBe('100,000');
    expect(plural(1, 'finding')).toBe('1 finding');
    expect(plural(2, 'finding')).toBe('2 findings');
    expect(plural(2, 'class', 'classes')).toBe('2 classes');
  });
});
