/**
 * Digest schedules: standard five-field cron (minute hour day-of-month month day-of-week)
 * in a time zone. cron-parser would also take six fields (seconds first) and fill in
 * missing ones, so "0 9 * *" ran every minute of 09:00 and "0 9 * * 1-5 *" hourly at :09:
 * the field count is checked here before the expression is parsed.
 */
import cron from 'cron-parser';

const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

/** Why a schedule is not usable, in one phrase; undefined when it is. */
export function scheduleProblem(schedule: string, timezone: string): string | undefined {
  const fields = schedule.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== FIELDS.length)
    return `"${schedule}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; a schedule has exactly 5 (${FIELDS.join(', ')}), like "0 9 * * 1-5"`;
  try {
    cron.parseExpression(schedule, { tz: timezone });
    return undefined;
  } catch (error) {
    return `"${schedule}" is not a cron schedule like "0 9 * * 1-5" (${(error as Error).message})`;
  }
}

/** The first time after `after` the schedule fires. */
export function nextRun(schedule: string, timezone: string, after: Date): Date {
  return cron.parseExpression(schedule, { tz: timezone, currentDate: after }).next().toDate();
}
