const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEK = 7 * 24 * 60;
const DAILY = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKLY = /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/;

/** A time window as [start, end) in minutes; `end` may exceed the period when it wraps. */
export interface MinuteWindow {
  readonly start: number;
  readonly end: number;
}

/** `hh:mm-hh:mm` (UTC, daily) as minutes of the day, or undefined when malformed. */
export function parseDailyWindow(text: string): MinuteWindow | undefined {
  const m = DAILY.exec(text);
  if (!m) return undefined;
  const start = +m[1] * 60 + +m[2];
  const end = +m[3] * 60 + +m[4];
  return { start, end: end > start ? end : end + 24 * 60 };
}

/** `ddd:hh:mm-ddd:hh:mm` (UTC, weekly) as minutes of the week, or undefined when malformed. */
export function parseWeeklyWindow(text: string): MinuteWindow | undefined {
  const m = WEEKLY.exec(text.toLowerCase());
  if (!m) return undefined;
  const start = DAYS.indexOf(m[1]) * 1440 + +m[2] * 60 + +m[3];
  const end = DAYS.indexOf(m[4]) * 1440 + +m[5] * 60 + +m[6];
  return { start, end: end > start ? end : end + WEEK };
}

/** Length of a window in minutes. */
export function windowMinutes(w: MinuteWindow): number {
  return w.end - w.start;
}

/** Whether the weekly window overlaps the daily window on any day. */
export function weeklyOverlapsDaily(weekly: MinuteWindow, daily: MinuteWindow): boolean {
  for (let day = -1; day <= 7; day++) {
    const start = daily.start + day * 1440;
    const end = daily.end + day * 1440;
    for (const shift of [0, WEEK, -WEEK]) {
      if (start + shift < weekly.end && weekly.start < end + shift) return true;
    }
  }
  return false;
}
