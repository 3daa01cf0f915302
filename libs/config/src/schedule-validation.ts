import { CronTime } from 'cron';

/**
 * Why a cron expression cannot schedule the scan, or null when it can. It must have 5 fields (or 6,
 * seconds first), parse with `cron` (the parser `@nestjs/schedule` runs, so what passes here is what
 * will run) and fire at least once: `0 2 31 2 *` parses but never fires. Whether it fires does not
 * depend on the time zone, so UTC stands in for the configured one.
 */
export function cronExpressionProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${fields}`;
  }
  let cronTime: CronTime;
  try {
    cronTime = new CronTime(expression, 'UTC');
  } catch (error) {
    return `not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    cronTime.sendAt();
    return null;
  } catch {
    return 'never fires: no date matches it';
  }
}

/** The canonical spelling of an IANA time zone (e.g. `utc` -> `UTC`), or null when Intl does not know it. */
export function canonicalTimeZone(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
