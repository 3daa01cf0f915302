import { SEVERITIES, type Severity } from './domain';

/** Orders severities from `info` (lowest) to `critical`: negative when `a` is lower than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** True when `severity` is `minimum` or above, e.g. for routing alerts by a channel's threshold. */
export function isSeverityAtLeast(severity: Severity, minimum: Severity): boolean {
  return compareSeverity(severity, minimum) >= 0;
}
