/**
 * The figures of a period: what `summary --json` prints and what the HTML
 * report shows, from one function so the two cannot disagree.
 */
import { type Db, demoAmongOthers, podsWalkingTogether } from '../store/db.js';
import { type Bucket, begun, buckets, byHour, dayBuckets, hourBuckets } from './buckets.js';
import type { Period } from './period.js';
import { type Summary, summarise, totals, userWeight_kg } from './summary.js';

/** Version of the `summary --json` shape: bump when a field changes meaning. */
const SUMMARY_JSON_VERSION = 1;

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

/** Whose walking a period's totals sum, as summary and export say it: one pod's (`pod`), the demo's among others', two pods' on the same minutes. */
export interface TotalsOf {
  pod: string | null;
  /** the demo's pod, when its made-up walk is summed in with other pods' (null with --pod) */
  demo_included: string | null;
  /** pods that walked the same minutes (two feet: every step counted twice), null with --pod */
  pods_together: { pods: string[]; minutes: number } | null;
}

export function totalsOf(db: Db, period: Period, podId?: string): TotalsOf {
  // (the demo's made-up walk, summed in with a real pod's, was not told apart; two pods walking the same minutes are
  // two feet, or two shoes: summed, every step counts twice)
  if (podId !== undefined) return { pod: podId, demo_included: null, pods_together: null };
  return { pod: null, demo_included: demoAmongOthers(db, period.from_s, period.to_s), pods_together: podsWalkingTogether(db, period.from_s, period.to_s) };
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
