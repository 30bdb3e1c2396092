/**
 * Totals per hour (for one day) or per local calendar day (longer periods):
 * what the summary's chart and the plan's day counts are made of; and days
 * summed into weeks, months or years, where a long period's chart (summary's
 * and the HTML report's) and the report's tables have more days than fit.
 */
import type { Db } from '../store/db.js';
import { localDate, type Period } from './period.js';
import { type Totals, totals } from './summary.js';

export interface Bucket {
  /** ISO day (2026-11-23) or hour (14h; 01h+ for the second 01h of a day the clocks go back); summed days: the span (2026-11-23 to 2026-11-29), or a whole month (2026-11) or year (2026) */
  label: string;
  /** what fits under a chart column: "Mon 23" or "14h"; summed days: "Nov 23" (a week's first day), "2026-11", "2026" */
  short: string;
  from_s: number;
  to_s: number;
  totals: Totals;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');
/** A bucket's day label: the local date, 2026-11-23 (period.ts's localDate, the one way days are named). */
export const dayLabel = localDate;
const HOUR_S = 3600;
/** The longest local day, the one the clocks go back on: a period up to this long is one day, drawn by the hour. */
const LONGEST_DAY_S = 25 * HOUR_S;

/** Local calendar days from `from_s` up to `to_s` (DST-safe: steps by calendar, not by 86 400 s). */
export function dayBuckets(db: Db, period: Period, podId?: string): Bucket[] {
  const out: Bucket[] = [];
  const first = new Date(period.from_s * 1000);
  for (let d = new Date(first.getFullYear(), first.getMonth(), first.getDate()); d.getTime() / 1000 < period.to_s; ) {
    const next = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
    const from_s = Math.max(period.from_s, d.getTime() / 1000), to_s = Math.min(period.to_s, next.getTime() / 1000);
    const short = `${WEEKDAYS[d.getDay()]} ${pad(d.getDate())}`;
    out.push({ label: dayLabel(d), short, from_s, to_s, totals: totals(db, { from_s, to_s, pod_id: podId }) });
    d = next;
  }
  return out;
}

/**
 * A day's hours, an hour of real time each (a day the clocks go forward has 23, one they go back 25), labelled by
 * the local hour each begins at.
 */
export function hourBuckets(db: Db, period: Period, podId?: string): Bucket[] {
  const out: Bucket[] = [];
  const seen = new Set<string>();
  for (let t = period.from_s; t < period.to_s; t += HOUR_S) {
    const to_s = Math.min(period.to_s, t + HOUR_S);
    const hour = `${pad(new Date(t * 1000).getHours())}h`;
    // the hour the clocks go back through a second time is "01h+": both were "01h", and `summary --json` had two
    // buckets of one label, its chart two equal ticks (an ordinary hour reads as it always did; from_s says when)
    const h = seen.has(hour) ? `${hour}+` : hour;
    seen.add(hour);
    out.push({ label: h, short: h, from_s: t, to_s, totals: totals(db, { from_s: t, to_s, pod_id: podId }) });
  }
  return out;
}

/** Hours for a period of a day or less, days otherwise. */
export function buckets(db: Db, period: Period, podId?: string): Bucket[] {
  return period.to_s - period.from_s <= LONGEST_DAY_S ? hourBuckets(db, period, podId) : dayBuckets(db, period, podId);
}

/** Are these a day's hours (hourBuckets), not days? (Their first is a plain hour: an 01h+ only follows an 01h.) */
export const byHour = (b: Bucket[]) => b.length > 0 && b[0].label.endsWith('h');

/** The buckets begun by now: days still to come left out; a day's hours all kept (its chart is of that one day). */
export const begun = (b: Bucket[], now: Date): Bucket[] => (byHour(b) ? b : b.filter((x) => x.from_s <= now.getTime() / 1000));

/** What one bucket of a chart or a table covers. */
export type BucketUnit = 'hour' | 'day' | 'week' | 'month' | 'year';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Two buckets' totals as one: counts and seconds added, the earliest folded minute kept. */
function addTotals(a: Totals, b: Totals): Totals {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof Totals)[]) {
    if (k === 'folded_from_s') out.folded_from_s = a.folded_from_s === null ? b.folded_from_s : b.folded_from_s === null ? a.folded_from_s : Math.min(a.folded_from_s, b.folded_from_s);
    else out[k] = a[k] + b[k];
  }
  return out;
}

/** A bucket with the hour or days it sums (itself, for a bucket as it was). */
export interface SpanBucket extends Bucket {
  days: Bucket[];
}

/** The label of days summed: a whole calendar month or year by its name, any other span as "first to last". */
function spanLabel(days: Bucket[], unit: 'week' | 'month' | 'year'): string {
  const first = days[0].label, last = days[days.length - 1].label;
  if (days.length === 1) return first;
  const [y, m] = [Number(last.slice(0, 4)), Number(last.slice(5, 7))];
  if (unit === 'month' && first.endsWith('-01') && Number(last.slice(8)) === new Date(y, m, 0).getDate()) return first.slice(0, 7);
  if (unit === 'year' && first.endsWith('-01-01') && last.endsWith('-12-31')) return first.slice(0, 4);
  return `${first} to ${last}`;
}

/** Days summed by `key` (a run of days with the same key is one bucket), its chart label `short` of its first day. */
function sumBy(days: Bucket[], unit: 'week' | 'month' | 'year', key: (x: Bucket, i: number) => string, short: (x: Bucket) => string): SpanBucket[] {
  const runs: Bucket[][] = [];
  let last = '';
  days.forEach((x, i) => {
    const k = key(x, i);
    if (runs.length && k === last) runs[runs.length - 1].push(x);
    else runs.push([x]);
    last = k;
  });
  return runs.map((r) => ({ label: spanLabel(r, unit), short: short(r[0]), from_s: r[0].from_s, to_s: r[r.length - 1].to_s, totals: r.slice(1).reduce((a, x) => addTotals(a, x.totals), r[0].totals), days: r }));
}

/**
 * A long period's days (more than `max`) from its first walk on: --from 1970-01-01 asks for all of it, not 50
 * empty years first. A shorter period, or one with no walk, as it is.
 */
export function fromFirstWalk(b: Bucket[], max: number): Bucket[] {
  const first = b.length > max ? b.findIndex((x) => x.totals.minutes > 0) : 0;
  return b.slice(Math.max(0, first));
}

/**
 * Hour or day buckets as they are if there are at most `max`, else days summed into the shortest unit that
 * gives at most `max`: weeks (7 days ending on the last day), calendar months, calendar years (however many).
 */
export function sumDays(b: Bucket[], max: number): { unit: BucketUnit; buckets: SpanBucket[] } {
  const unit = byHour(b) ? 'hour' : 'day';
  if (unit === 'hour' || b.length <= max) return { unit, buckets: b.map((x) => ({ ...x, days: [x] })) };
  // (day labels are ISO dates: 2026-11-23)
  // weeks counted back from the period's last day: the last row is the 7 days `summary --week` gives for that
  // day, and every row but the first (which holds the first walk) is a whole 7 days, so rows compare
  const weeks = sumBy(b, 'week', (_x, i) => String(Math.floor((b.length - 1 - i) / 7)), (x) => `${MONTHS[Number(x.label.slice(5, 7)) - 1]} ${x.label.slice(8, 10)}`);
  if (weeks.length <= max) return { unit: 'week', buckets: weeks };
  const months = sumBy(b, 'month', (x) => x.label.slice(0, 7), (x) => x.label.slice(0, 7));
  if (months.length <= max) return { unit: 'month', buckets: months };
  return { unit: 'year', buckets: sumBy(b, 'year', (x) => x.label.slice(0, 4), (x) => x.label.slice(0, 4)) };
}
