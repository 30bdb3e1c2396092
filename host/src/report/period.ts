/**
 * Turns --day / --week / --month / --from / --to into a [from_s, to_s) range of Unix
 * seconds in the user's local time zone.
 */
import { InputError } from '../errors.js';

export interface Period {
  from_s: number;
  to_s: number;
  label: string;
}

function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/**
 * A year before 1970 is refused: nothing is stored that early, and Date reads 0000-0099 as 1900-1999 (0026, a
 * slip for 2026, was 1926).
 */
function checkYear(year: number, s: string, flag: string): void {
  if (year < 1970) throw new InputError(`${flag} "${s}" is before 1970: no walk is stored that early`);
}

function parseDay(s: string, flag: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  if (!d || d.getMonth() !== Number(m![2]) - 1) throw new InputError(`${flag} "${s}" is not a date like 2026-11-22`);
  checkYear(Number(m![1]), s, flag);
  return d;
}

/** A local date as 2026-11-22. */
export const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Is the period one local calendar day (--day, or --from and --to the same day)? */
export function isOneDay(p: Period): boolean {
  return localDate(new Date(p.from_s * 1000)) === localDate(new Date(p.to_s * 1000 - 1));
}

/** A local minute as 2026-11-22 09:13, from Unix seconds. */
export function localMinute(s: number): string {
  const d = new Date(s * 1000);
  return `${localDate(d)} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function parseMonth(s: string): Date {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new InputError(`--month "${s}" is not a month like 2026-11`);
  checkYear(Number(m[1]), s, '--month');
  return new Date(Number(m[1]), Number(m[2]) - 1, 1);
}

export interface PeriodOptions {
  day?: string | boolean;
  week?: string | boolean;
  /** a calendar month, 2026-11 (true: this month) */
  month?: string | boolean;
  from?: string;
  to?: string;
}

/**
 * A period that starts after today is refused, whichever flag gave it: nothing is walked there yet, and the
 * likelier reading is a slip in the year (--month 2027-11 for 2026-11), which a summary of zeros would hide.
 * A period that only ends in the future (this week, this month) is fine.
 */
function checkNotFuture(p: Period, flag: string, given: string, now: Date): Period {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  if (p.from_s * 1000 >= tomorrow.getTime()) throw new InputError(`${flag} ${given} is after today: nothing is walked there yet`);
  return p;
}

/**
 * The furthest after today a period may end (days): this year, --from 2026-01-01 --to 2026-12-31, ends up to a year
 * on. A --to past it is a slip in the year (2062 for 2026, or 9999): its days, summed one by one, made megabytes of
 * zeros, and `summary --json --to 9999-12-31` ran a minute to fail with "Invalid string length".
 */
const MAX_DAYS_AFTER_TODAY = 366;

/** The periods just before the usual ones: `week`, the 7 days before the last 7; `month`, the calendar month before this one. */
export const EARLIER_PERIODS = ['week', 'month'] as const;
export type EarlierPeriod = (typeof EARLIER_PERIODS)[number];

/**
 * The period before the last 7 days or before this month, from `now`'s local day: the options `resolvePeriod` takes
 * for it (--week DATE, --month YYYY-MM). The web page asks for these by name and its server works out the dates, in
 * the time zone it draws the report's days in: the page worked them out in the browser's, so with the two a day
 * apart (TZ set for `retrostep web`) "the 7 days before" ended two days before "the last 7 days" began.
 */
export function earlierPeriod(which: EarlierPeriod, now = new Date()): PeriodOptions {
  if (which === 'week') return { week: localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 7)) };
  return { month: localDate(new Date(now.getFullYear(), now.getMonth() - 1, 1)).slice(0, 7) };
}

export function resolvePeriod(o: PeriodOptions, now = new Date()): Period {
  // an empty value (`--day "$DAY"`, DAY unset) is not the flag left out: said, not read as the last 7 days
  for (const k of ['day', 'week', 'month', 'from', 'to'] as const) {
    if (o[k] === '') throw new InputError(`--${k} is empty: give a ${k === 'month' ? 'month like 2026-11' : 'date like 2026-11-22'}`);
  }
  // one period: two would be a guess at which one was meant
  const given = [o.day && '--day', o.week && '--week', o.month && '--month', (o.from || o.to) && '--from/--to'].filter(Boolean);
  if (given.length > 1) throw new InputError(`choose one period: ${given.join(' and ')} were both given`);
  if (o.from || o.to) {
    const from = o.from ? parseDay(o.from, '--from') : new Date(1970, 0, 1);
    const to = o.to ? parseDay(o.to, '--to') : startOfDay(now);
    const end = new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1);
    if (end <= from) throw new InputError(o.to ? '--to is before --from' : `--from ${o.from} is after today, where the period ends without --to`);
    const p = checkNotFuture({ from_s: from.getTime() / 1000, to_s: end.getTime() / 1000, label: `${o.from ? localDate(from) : 'start'} to ${localDate(to)}` }, '--from', o.from ?? '', now);
    if (to > new Date(now.getFullYear(), now.getMonth(), now.getDate() + MAX_DAYS_AFTER_TODAY)) throw new InputError(`--to ${o.to} is more than a year after today: nothing is walked there yet (a slip in the year?)`);
    return p;
  }
  if (o.day) {
    const d = typeof o.day === 'string' ? parseDay(o.day, '--day') : startOfDay(now);
    const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
    return checkNotFuture({ from_s: d.getTime() / 1000, to_s: end.getTime() / 1000, label: localDate(d) }, '--day', String(o.day), now);
  }
  if (o.month) {
    const first = typeof o.month === 'string' ? parseMonth(o.month) : new Date(now.getFullYear(), now.getMonth(), 1);
    const end = new Date(first.getFullYear(), first.getMonth() + 1, 1);
    return checkNotFuture({ from_s: first.getTime() / 1000, to_s: end.getTime() / 1000, label: `month ${localDate(first).slice(0, 7)}` }, '--month', String(o.month), now);
  }
  // default and --week: the 7 days ending today
  const endDay = typeof o.week === 'string' ? parseDay(o.week, '--week') : startOfDay(now);
  const end = new Date(endDay.getFullYear(), endDay.getMonth(), endDay.getDate() + 1);
  const start = new Date(endDay.getFullYear(), endDay.getMonth(), endDay.getDate() - 6);
  return checkNotFuture({ from_s: start.getTime() / 1000, to_s: end.getTime() / 1000, label: `week ${localDate(start)} to ${localDate(endDay)}` }, '--week', String(o.week), now);
}
