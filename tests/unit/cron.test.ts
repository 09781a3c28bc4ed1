import { describe, expect, it } from 'vitest';
import { nextRun, scheduleProblem } from '../../src/config/cron.ts';

describe('digest schedules', () => {
  it('accept standard five-field cron in a time zone', () => {
    expect(scheduleProblem('0 9 * * *', 'Asia/Tokyo')).toBeUndefined();
    expect(scheduleProblem('30 8 * * 1-5', 'Europe/London')).toBeUndefined();
  });

  it('refuse four or six fields, which cron-parser would read as another schedule', () => {
    expect(scheduleProblem('0 9 * *', 'Asia/Tokyo')).toMatch(/has 4 fields; a schedule has exactly 5/);
    expect(scheduleProblem('0 9 * * 1-5 *', 'Asia/Tokyo')).toMatch(/has 6 fields/);
    expect(scheduleProblem('61 9 * * *', 'Asia/Tokyo')).toMatch(/is not a cron schedule/);
  });

  it('give the next time in the channel’s zone', () => {
    const after = new Date('2026-12-06T01:00:00Z'); // 10:00 in Tokyo: today's 09:00 has passed
    expect(nextRun('0 9 * * *', 'Asia/Tokyo', after).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    // Monday to Friday only: Sunday 6 December → Monday 7 December.
    expect(nextRun('30 8 * * 1-5', 'UTC', after).toISOString()).toBe('2026-12-07T08:30:00.000Z');
  });
});
