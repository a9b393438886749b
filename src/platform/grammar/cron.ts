/**
 * A five-field cron schedule as Kubernetes CronJobs read it (github.com/robfig/cron/v3,
 * standard parser): `minute hour day-of-month month day-of-week`, each field `*`, a value, a
 * range `a-b`, a step `*\/n` or `a-b/n` (n ≥ 1), or a comma list of those; month and weekday
 * names (JAN, MON) are accepted. A schedule whose day of month never occurs in the months it
 * lists (`0 3 30 2 *`) is refused too: Kubernetes would accept it and never run the job.
 */

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];
/** The longest month each month can be (February: 29). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The values a field selects, or undefined when the field is invalid. */
function fieldValues(text: string, field: Field): Set<number> | undefined {
  const values = new Set<number>();
  const value = (v: string): number | undefined => {
    const named = field.names?.indexOf(v.toUpperCase()) ?? -1;
    if (named >= 0) return named + field.min;
    if (!/^\d{1,2}$/.test(v)) return undefined;
    const n = Number(v);
    return n >= field.min && n <= field.max ? n : undefined;
  };
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return undefined;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return undefined;
    let from = field.min;
    let to = field.max;
    if (m[1] !== '*') {
      const [a, b] = m[1].split('-');
      const start = value(a);
      const end = b === undefined ? (m[2] === undefined ? start : field.max) : value(b);
      if (start === undefined || end === undefined || start > end) return undefined;
      from = start;
      to = end;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Why `schedule` is not a valid five-field schedule that runs, or undefined when it is. */
export function cronProblem(schedule: string): string | undefined {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 5) return 'is not a five-field cron expression';
  const values = parts.map((part, i) => fieldValues(part, FIELDS[i]));
  const bad = values.findIndex(v => v === undefined);
  if (bad >= 0) return `has an invalid ${['minute', 'hour', 'day-of-month', 'month', 'day-of-week'][bad]} field`;
  const [, , days, months] = values as Set<number>[];
  // With both day fields restricted cron runs on either; only a restricted day of month alone can never match.
  const dayOfMonthOnly = parts[2] !== '*' && parts[4] === '*';
  if (dayOfMonthOnly && ![...months].some(month => [...days].some(day => day <= DAYS_IN_MONTH[month - 1]))) {
    return 'never runs (no month it lists has that day)';
  }
  return undefined;
}

export const CRON_HINT = 'use "minute hour day-of-month month day-of-week" in UTC with values in range and steps ≥ 1, e.g. "0 3 * * *"';
