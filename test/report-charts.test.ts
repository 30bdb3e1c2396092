/**
 * The report's chart captions, read as sentences: a one-day report (`report --from D --to D`) and a week.
 */
import { describe, expect, it } from 'vitest';
import { reportCharts } from '../host/src/report/charts.js';
import type { PlanAim, RowFigures } from '../host/src/report/report-data.js';

const AIM: PlanAim = { title: '10 backward steps every minute of a walk', steps_per_min: 10, min_per_day: 10, as_of: null };

function day(label: string, short: string, o: Partial<RowFigures> = {}): RowFigures {
  return { label, short, forward: 389, backward: 90, retro_min: 1.5, active_min: 8.4, wrong_pct: 4.4, cadence_spm: 114.5, kcal: 45, plan_min: 5, days: 1, reached_days: 0, ...o };
}

const captions = (days: RowFigures[]) => Object.fromEntries(reportCharts(days, AIM, 'day').map((c) => [c.id, c.caption]));

describe('report chart captions', () => {
  it('one day: its value once, "on 1 day", no "most on" the only day (it said "from 4.4 to 4.4 % over 1 days")', () => {
    const c = captions([day('2026-12-06', 'Sun 06')]);
    expect(c.wrong).toBe('Backward strides that landed heel first: 4.4 % on 1 day with backward walking. Lower is better.');
    expect(c.cadence).toBe('Steps per minute while walking: 114.5 steps/min on 1 day with walking.');
    expect(c.strides).toBe('Forward strides 389 in all; backward strides 90. One stride is two steps: the pod sees one foot.');
    expect(c.plan).toMatch(/: 0 of 1 day reached it\.$/);
    expect(c.energy).toMatch(/^45 kcal in all\. /);
  });

  it('a week: the range over the days with a value, and the day with the most', () => {
    const c = captions([day('2026-12-05', 'Sat 05', { wrong_pct: 2, cadence_spm: 110, forward: 400, backward: 80 }), day('2026-12-06', 'Sun 06'), day('2026-12-07', 'Mon 07', { wrong_pct: null, cadence_spm: null, forward: 0, backward: 0 })]);
    expect(c.wrong).toBe('Backward strides that landed heel first: from 2 to 4.4 % over 2 days with backward walking. Lower is better.');
    expect(c.cadence).toBe('Steps per minute while walking: from 110 to 114.5 steps/min over 2 days with walking.');
    expect(c.strides).toMatch(/^Forward strides 789 in all, most on Sat 05 \(400\); backward strides 170, most on Sun 06 \(90\)\./);
    expect(c.plan).toMatch(/: 0 of 3 days reached it\.$/);
  });
});
