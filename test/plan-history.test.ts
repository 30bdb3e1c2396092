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
import { type Bucket, dayBuckets, dayLabel } from '../host/src/report/buckets.js';
import { PLAN, planStatus, periodTallies, stageHeld, stepHistory } from '../host/src/report/plan.js';
import { planAim, reportData } from '../host/src/report/report-data.js';
import { summarise, userWeight_kg } from '../host/src/report/summary.js';

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
  // (a limit for a hang, not a speed check: 8 s on this 2-core machine idle, 23 s beside other work, and past the
  // 60 s it had in a full run on a machine loaded eight times over)
}, 240_000);
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

  it('the report of --from 1970-01-01 has the figures of a planStatus and a query a day: its rows\' minutes at the step and days that reached it', () => {
    const data = reportData(db, ALL, undefined, NOW);
    const weight_kg = userWeight_kg(db);
    // each day at the step of planStatus for the day before, its minutes counted by a query of its own
    const perDay = new Map(days.map((b) => {
      const aim = planAim(b.before);
      const min = aim.steps_per_min === undefined ? summarise(b.totals, weight_kg).retro_min : minutesAtStep(b.from_s, b.to_s, aim.steps_per_min);
      return [b.label, { min, reached: min >= aim.min_per_day }];
    }));
    const inRow = (label: string) => [...perDay].filter(([day]) => (/ to /.test(label) ? day >= label.slice(0, 10) && day <= label.slice(-10) : day.startsWith(label))).map(([, d]) => d);
    expect(data.unit).toBe('year');
    expect(data.rows.map((r) => [r.label, r.plan_min, r.reached_days, r.days])).toEqual(
      data.rows.map((r) => {
        const ds = inRow(r.label);
        return [r.label, ds.reduce((a, d) => a + d.min, 0), ds.filter((d) => d.reached).length, ds.length];
      }),
    );
    // the days the steps changed on, as the report's runs of one step have them
    expect(data.aims.map((s) => s.aim.steps_per_min)).toEqual([10, 20, 30]);
    expect(data.aims.reduce((a, s) => a + s.days, 0)).toBe(perDay.size);
    expect(data.aims[data.aims.length - 1].to).toBe(dayLabel(NOW));
  });
});
