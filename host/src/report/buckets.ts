/**
 * Totals per hour (for one day) or per local calendar day (longer periods):
 * what the summary's chart and the plan's day counts are made of.
 */
import type { Db } from '../store/db.js';
import type { Period } from './period.js';
import { type Totals, totals } from './summary.js';

export interface Bucket {
  /** ISO day (2026-11-23) or hour (14h) */
  label: string;
  /** what fits under a chart column: "Mon 23" or "14h" */
  short: string;
  from_s: number;
  to_s: number;
  totals: Totals;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');
export const dayLabel = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

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

export function hourBuckets(db: Db, period: Period, podId?: string): Bucket[] {
  const out: Bucket[] = [];
  for (let t = period.from_s; t < period.to_s; t += 3600) {
    const to_s = Math.min(period.to_s, t + 3600);
    const h = `${pad(new Date(t * 1000).getHours())}h`;
    out.push({ label: h, short: h, from_s: t, to_s, totals: totals(db, { from_s: t, to_s, pod_id: podId }) });
  }
  return out;
}

/** Hours for a period of a day or less, days otherwise. */
export function buckets(db: Db, period: Period, podId?: string): Bucket[] {
  return period.to_s - period.from_s <= 25 * 3600 ? hourBuckets(db, period, podId) : dayBuckets(db, period, podId);
}
