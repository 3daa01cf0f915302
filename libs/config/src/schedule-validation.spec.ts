import { canonicalTimeZone, cronExpressionProblem } from './schedule-validation';

describe('cronExpressionProblem', () => {
  it.each(['0 2 * * *', '*/15 * * * *', '0 2 * * MON-FRI', '0 0 2 * * *', '30 1 1,15 * *'])(
    'accepts %j',
    (cron) => {
      expect(cronExpressionProblem(cron)).toBeNull();
    },
  );

  it.each([
    ['four fields', '* * * *', 'expected 5 fields'],
    ['seven fields', '0 0 0 2 * * *', 'got 7'],
    ['a preset', '@daily', 'got 1'],
    ['a minute out of range', '61 * * * *', 'out of range'],
    ['an hour out of range', '0 25 * * *', 'out of range'],
    ['a word', 'a b c d e', 'not a valid cron expression'],
    ['a date that never comes', '0 2 31 2 *', 'never fires'],
  ])('rejects %s (%j)', (_case, cron, reason) => {
    expect(cronExpressionProblem(cron)).toContain(reason);
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Asia/Shanghai', 'Asia/Shanghai'],
    ['asia/shanghai', 'Asia/Shanghai'],
  ])('canonicalises %j to %j', (zone, canonical) => {
    expect(canonicalTimeZone(zone)).toBe(canonical);
  });

  it.each(['Mars/Base', '+08:00', ''])('rejects %j', (zone) => {
    expect(canonicalTimeZone(zone)).toBeNull();
  });
});
