/**
 * The figures of a period: what `summary --json` prints and what the HTML
 * report shows, from one function so the two cannot disagree.
 */
import type { Db } from '../store/db.js';
import { type Bucket, begun, buckets, byHour, dayBuckets, hourBuckets } from './buckets.js';
import type { Period } from './period.js';
import { type Summary, summarise, totals, userWeight_kg } from './summary.js';

/** Version of the `summary --json` shape: bump when a field changes meaning. */
export const SUMMARY_JSON_VERSION = 1;

export interface PeriodSummary {
  period: Period;
  summary: Summary;
  /** hours for a period of a day or less, local calendar days otherwise (or days always, with `byDay`) */
  buckets: Bucket[];
}

export function periodSummary(db: Db, period: Period, podId?: string, opts: { byDay?: boolean } = {}): PeriodSummary {
  const summary = summarise(totals(db, { from_s: period.from_s, to_s: period.to_s, pod_id: podId }), userWeight_kg(db));
  return { period, summary, buckets: opts.byDay ? dayBuckets(db, period, podId) : buckets(db, period, podId) };
}

/** The `summary --json` document. */
export function summaryJson(p: PeriodSummary): object {
  return { schema_version: SUMMARY_JSON_VERSION, period: p.period, summary: p.summary, buckets: p.buckets.map((x) => ({ label: x.label, from_s: x.from_s, to_s: x.to_s, ...x.totals })) };
}

/**
 * What `summary`'s chart draws: the period's buckets; but a period of days of which only the first has begun
 * (this month on its 1st, a week given as ending six days from now) as that day's hours, as `--day`
 * draws it. The chart stops at today, and one day's column was no chart at all: nothing was drawn.
 */
export function chartBuckets(db: Db, p: PeriodSummary, podId?: string, now = new Date()): Bucket[] {
  const days = begun(p.buckets, now);
  if (byHour(p.buckets) || days.length !== 1) return p.buckets;
  const day = days[0];
  return hourBuckets(db, { from_s: day.from_s, to_s: day.to_s, label: day.label }, podId);
}
