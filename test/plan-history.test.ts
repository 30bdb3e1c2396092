/**
 * The report's plan figures from one pass over the minutes (stepHistory, periodTallies) against what they were
 * worked out from before: a planStatus of each day before, and a query a day for its minutes at the step. On a
 * database of six years walked, in which the user climbed from step 1 to step 3.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKnownYears } from './helpers/known-years.js';
import { type Db, openDb } from '../host/src/store/db.js';
import { type Bucket, dayBuckets } from '../host/src/report/buckets.js';
import { PLAN, planStatus, periodTallies, stageHeld, stepHistory } from '../host/src/report/plan.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-plan-history-'));
const file = path.join(dir, 'years.db');
let db: Db;
/** The days from the first walk to today, as the report's rows have them, each with the stage planStatus gave at the end of the day before. */
let days: (Bucket & { before: number })[];

beforeAll(() => {
  makeKnownYears(file);
  db = openDb(file);
  const all = dayBuckets(db, ALL);
  // (a planStatus a day, as the report asked before: some 2,200 of them, seconds, so once for all the tests)
  days = all.slice(all.findIndex((b) => b.totals.minutes > 0)).map((b) => ({ ...b, before: planStatus(db, dayStart(new Date(b.from_s * 1000), -1)).current }));
}, 60_000);
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const NOW = new Date();
const dayStart = (d: Date, plus = 0) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + plus);
/** --from 1970-01-01 to today, as `report` asks for it. */
const ALL = { from_s: new Date(1970, 0, 1).getTime() / 1000, to_s: dayStart(NOW, 1).getTime() / 1000, label: 'start to today' };

/** The report's old path, a query per day: the minutes of [from_s, to_s) with `steps_per_min` backward steps or more. */
function minutesAtStep(from_s: number, to_s: number, steps_per_min: number): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM records WHERE start_s >= ? AND start_s < ? AND 2 * backward >= ?').get(from_s, to_s, steps_per_min) as { n: number }).n;
}

describe('the plan step of each day, from one pass over the minutes', () => {
  it('is the step planStatus gives for the end of the day before, on every day of six years (the user moved up twice)', () => {
    const history = stepHistory(db, ALL.to_s);
    const held = days.map((b) => [b.label, stageHeld(history, b.label), Math.min(b.before, PLAN.length - 1)]);
    expect(held.filter(([, one, each]) => one !== each)).toEqual([]);
    // (the database climbs: a test of days all at one step would prove little)
    expect(new Set(held.map(([, s]) => s))).toEqual(new Set([0, 1, 2]));
  });

  it('the minutes a day at each step, tallied in one query, are those of a query per day', () => {
    const tallies = periodTallies(db, ALL.from_s, ALL.to_s);
    const diff = days.flatMap((b) =>
      PLAN.flatMap((s, i) => {
        if (s.kind !== 'interval') return [];
        const one = tallies.get(b.label)?.reached[i] ?? 0, each = minutesAtStep(b.from_s, b.to_s, s.steps_per_min);
        return one === each ? [] : [[b.label, s.steps_per_min, one, each]];
      }),
    );
    expect(diff).toEqual([]);
  });
});
