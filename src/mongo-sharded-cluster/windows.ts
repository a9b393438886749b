/**
 * DocumentDB's backup and maintenance windows, derived from and checked against the portable
 * backup schedule. Pure.
 */

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY = 24 * 60;
const WEEK = 7 * DAY;
/** DocumentDB's shortest window. */
export const MIN_WINDOW_MINUTES = 30;

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (minutes: number) => `${pad(Math.floor(minutes / 60) % 24)}:${pad(minutes % 60)}`;

/** Minute of the day of a daily cron (`M H * * *`), or undefined for any other schedule. */
export function dailyStartMinute(schedule: string): number | undefined {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(schedule.trim().replace(/\s+/g, ' '));
  if (!match) return undefined;
  const [minute, hour] = [Number(match[1]), Number(match[2])];
  return minute < 60 && hour < 24 ? hour * 60 + minute : undefined;
}

/** `hh24:mi-hh24:mi`: the 30-minute backup window starting at `startMinute`. */
export function backupWindow(startMinute: number): string {
  return `${clock(startMinute)}-${clock((startMinute + MIN_WINDOW_MINUTES) % DAY)}`;
}

/** Start and length in minutes of the week of `ddd:hh24:mi-ddd:hh24:mi`, or undefined when malformed. */
export function parseWeeklyWindow(window: string): { start: number; length: number } | undefined {
  const match = /^([a-z]{3}):(\d{2}):(\d{2})-([a-z]{3}):(\d{2}):(\d{2})$/.exec(window.toLowerCase());
  if (!match) return undefined;
  const at = (day: string, hour: string, minute: string) => {
    const d = DAYS.indexOf(day);
    return d < 0 || Number(hour) > 23 || Number(minute) > 59 ? undefined : d * DAY + Number(hour) * 60 + Number(minute);
  };
  const start = at(match[1], match[2], match[3]);
  const end = at(match[4], match[5], match[6]);
  if (start === undefined || end === undefined) return undefined;
  return { start, length: (end - start + WEEK) % WEEK };
}

/** Whether the weekly window overlaps the daily window starting at `dailyStart` (any day). */
export function overlapsDaily(weekly: { start: number; length: number }, dailyStart: number): boolean {
  for (let day = 0; day < 8; day++) {
    // Day 7 is the next week's Monday, for a weekly window that wraps past Sunday midnight.
    const daily = day * DAY + dailyStart;
    if (daily < weekly.start + weekly.length && weekly.start < daily + MIN_WINDOW_MINUTES) return true;
    if (daily - WEEK < weekly.start + weekly.length && weekly.start < daily - WEEK + MIN_WINDOW_MINUTES) return true;
  }
  return false;
}
