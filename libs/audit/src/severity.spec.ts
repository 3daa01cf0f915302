import { SEVERITIES, type Severity } from './domain';
import { compareSeverity, isSeverityAtLeast } from './severity';

describe('severity order', () => {
  it('orders info < low < medium < high < critical', () => {
    const shuffled: Severity[] = ['high', 'info', 'critical', 'low', 'medium'];
    expect([...shuffled].sort(compareSeverity)).toEqual(['info', 'low', 'medium', 'high', 'critical']);
  });

  it.each(SEVERITIES.flatMap((severity) => SEVERITIES.map((minimum) => [severity, minimum] as const)))(
    '%s is at least %s exactly when it is not lower',
    (severity, minimum) => {
      expect(isSeverityAtLeast(severity, minimum)).toBe(
        SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minimum),
      );
    },
  );
});
