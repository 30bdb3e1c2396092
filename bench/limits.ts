/**
 * Limits: the database after a year of every-minute records (the worst case:
 * 525 600 rows, far more than anyone walks), and how fast summaries stay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buckets } from '../host/src/report/buckets.js';
import { resolvePeriod } from '../host/src/report/period.js';
import { planStatus } from '../host/src/report/plan.js';
import { summarise, totals } from '../host/src/report/summary.js';
import { insertRecords, openDb, upsertPod } from '../host/src/store/db.js';
import { RECORD_CLOCK_VALID, type MinuteRecord } from '../shared/protocol/records.js';

type Line = (name: string, value: string | number, unit?: string) => void;

const MINUTES_PER_YEAR = 365 * 24 * 60;

export async function benchLimits(line: Line): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-year-'));
  try {
    const db = openDb(path.join(dir, 'year.db'));
    upsertPod(db, { pod_id: 'p1' }, 1);
    const now = new Date();
    const start = Math.floor(now.getTime() / 1000 / 60) * 60 - MINUTES_PER_YEAR * 60;
    let t0 = performance.now();
    const batch: { rec: MinuteRecord; start_s: number; estimated: boolean }[] = [];
    for (let i = 0; i < MINUTES_PER_YEAR; i++) {
      const start_s = start + i * 60;
      batch.push({ rec: { seq: i, start_s, flags: RECORD_CLOCK_VALID, forward: 40, backward: 10, heel: 40, flat: 0, toe: 10, wrong: 1, buzzes: 1, cadence_spm: 100, active_s: 60 }, start_s, estimated: false });
      if (batch.length === 10_000) insertRecords(db, 'p1', batch.splice(0), 1);
    }
    insertRecords(db, 'p1', batch, 1);
    line('limits.year_rows', MINUTES_PER_YEAR, 'records (every minute of a year)');
    line('limits.year_insert_time', ((performance.now() - t0) / 1000).toFixed(1), 's');
    const time = (name: string, fn: () => unknown) => {
      t0 = performance.now();
      fn();
      line(name, (performance.now() - t0).toFixed(0), 'ms');
    };
    time('limits.summary_week_ms', () => {
      const p = resolvePeriod({ week: true }, now);
      summarise(totals(db, p), 70);
      buckets(db, p);
    });
    time('limits.summary_year_ms', () => summarise(totals(db, { from_s: start, to_s: start + MINUTES_PER_YEAR * 60 }), 70));
    time('limits.summary_year_by_day_ms', () => buckets(db, { from_s: start, to_s: start + MINUTES_PER_YEAR * 60, label: 'year' }));
    time('limits.plan_ms', () => planStatus(db, now));
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
