/**
 * The report's chart captions, read as sentences: a one-day report (`report --from D --to D`) and a week.
 */
import { describe, expect, it } from 'vitest';
import { renderSvg, reportCharts } from '../host/src/report/charts.js';
import type { AimSpan, PlanAim, RowFigures } from '../host/src/report/report-data.js';

const AIM: PlanAim = { title: '10 backward steps every minute of a walk', steps_per_min: 10, min_per_day: 10 };

function day(label: string, short: string, o: Partial<RowFigures> = {}): RowFigures {
  return { label, short, forward: 389, backward: 90, retro_min: 1.5, active_min: 8.4, wrong_pct: 4.4, wrong_judges_forward: false, cadence_spm: 114.5, kcal: 45, plan_min: 5, days: 1, reached_days: 0, aims: [AIM], days_to_come: 0, ...o };
}

/** The days judged at one step, AIM, from the first to the last. */
const atAim = (days: RowFigures[]): AimSpan[] => [{ aim: AIM, from: days[0].label, to: days[days.length - 1].label, days: days.length }];
const captions = (days: RowFigures[]) => Object.fromEntries(reportCharts(days, atAim(days), null, 'day').map((c) => [c.id, c.caption]));

describe('report chart captions', () => {
  it('one day: its value once, "on 1 day", no "most on" the only day (it said "from 4.4 to 4.4 % over 1 days")', () => {
    const c = captions([day('2026-12-06', 'Sun 06')]);
    expect(c.wrong).toBe('Backward strides that landed heel first: 4.4 % on 1 day with backward walking. Lower is better.');
    // (cadence whole, as `summary` and the report's own figure show it: "114.5" beside "115 steps/min")
    expect(c.cadence).toBe('Steps per minute while walking: 115 steps/min on 1 day with walking.');
    expect(c.strides).toBe('Forward strides 389 in all; backward strides 90. One stride is two steps: the pod sees one foot.');
    expect(c.plan).toMatch(/: 0 of 1 day reached it\.$/);
    expect(c.energy).toMatch(/^45 kcal in all\. /);
  });

  it('a row whose rule judged forward strides too: the share is said of the strides judged, not of backward', () => {
    const charts = reportCharts([day('2026-12-05', 'Sat 05'), day('2026-12-06', 'Sun 06', { wrong_judges_forward: true })], atAim([day('2026-12-05', 'Sat 05'), day('2026-12-06', 'Sun 06')]), null, 'day');
    const wrong = charts.find((c) => c.id === 'wrong')!;
    expect(wrong.caption).toBe("Strides the pod's wrong_rule judged wrong, of those it judged (backward, and forward where it judged them): 4.4 % over 2 days with strides judged. Lower is better.");
    expect(JSON.stringify(wrong)).not.toMatch(/of backward/);
  });

  it('a week: the range over the days with a value, and the day with the most', () => {
    const c = captions([day('2026-12-05', 'Sat 05', { wrong_pct: 2, cadence_spm: 110, forward: 400, backward: 80 }), day('2026-12-06', 'Sun 06'), day('2026-12-07', 'Mon 07', { wrong_pct: null, cadence_spm: null, forward: 0, backward: 0 })]);
    expect(c.wrong).toBe('Backward strides that landed heel first: from 2 to 4.4 % over 2 days with backward walking. Lower is better.');
    expect(c.cadence).toBe('Steps per minute while walking: from 110 to 115 steps/min over 2 days with walking.');
    const cadence = reportCharts([day('2026-12-05', 'Sat 05', { cadence_spm: 108.8 })], atAim([day('2026-12-05', 'Sat 05')]), null, 'day').find((x) => x.id === 'cadence')!;
    expect(cadence.table.rows).toEqual([['2026-12-05', 109]]);
    expect(c.strides).toMatch(/^Forward strides 789 in all, most on Sat 05 \(400\); backward strides 170, most on Sun 06 \(90\)\./);
    expect(c.plan).toMatch(/: 0 of 3 days reached it\.$/);
  });

  it('weeks in which the step changed, up to the continuous one: the caption names each step and its days, the table each week\'s steps, and the chart draws no line of a step\'s start inside a week\'s bar', () => {
    const CONTINUOUS: PlanAim = { title: 'continuous backward walking, 10-15 minutes, 4 days a week', min_per_day: 10 };
    const weeks = [
      day('2026-11-16 to 2026-11-22', 'Nov 16', { days: 7, reached_days: 3, plan_min: 31, aims: [AIM] }),
      day('2026-11-23 to 2026-11-29', 'Nov 23', { days: 7, reached_days: 2, plan_min: 21.5, aims: [AIM, CONTINUOUS] }),
    ];
    const spans: AimSpan[] = [{ aim: AIM, from: '2026-11-16', to: '2026-11-25', days: 10 }, { aim: CONTINUOUS, from: '2026-11-26', to: '2026-11-29', days: 4 }];
    const plan = reportCharts(weeks, spans, null, 'week').find((c) => c.id === 'plan')!;
    expect(plan.caption).toBe('Your plan step changed in this period, and each day is judged against the step held as it began: 10 backward steps every minute of a walk from 2026-11-16 to 2026-11-25 (10 days), then continuous backward walking, 10-15 minutes, 4 days a week from 2026-11-26 to 2026-11-29 (4 days). A day counts with 10 minutes at its step (on the continuous step, minutes of backward walking): 5 of 14 days reached it (each week\'s, and its steps, in the table).');
    expect(plan.table.head).toEqual(['week', 'minutes of backward walking', 'plan step (backward steps a minute)', "minutes at each day's step", 'days that reached the step (10+)']);
    expect(plan.table.rows.map((r) => r[2])).toEqual(['10+', '10+ then continuous']);
    expect(JSON.stringify(plan.spec)).not.toContain('step change');
  });
});

describe('the plan chart\'s minutes at the step', () => {
  it('a day that climbed to the continuous step shows its minutes of backward walking to one decimal, as the backward minutes (the table read 10.141843971631207)', () => {
    const CONTINUOUS: PlanAim = { title: 'continuous backward walking, 10-15 minutes, 4 days a week', min_per_day: 10 };
    const days = [
      day('2026-11-23', 'Mon 23', { plan_min: 10, reached_days: 1 }),
      day('2026-11-24', 'Tue 24', { retro_min: 10.141843971631207, plan_min: 10.141843971631207, reached_days: 1, aims: [CONTINUOUS] }),
    ];
    const spans: AimSpan[] = [{ aim: AIM, from: '2026-11-23', to: '2026-11-23', days: 1 }, { aim: CONTINUOUS, from: '2026-11-24', to: '2026-11-24', days: 1 }];
    const plan = reportCharts(days, spans, null, 'day').find((c) => c.id === 'plan')!;
    expect(plan.table.rows.map((r) => r.slice(1, 4))).toEqual([[1.5, '10+', 10], [10.1, 'continuous', 10.1]]);
    expect(JSON.stringify(plan.spec)).not.toContain('10.14');
  });
});

describe('the plan chart on the continuous step', () => {
  const CONTINUOUS: PlanAim = { title: 'continuous backward walking, 10-15 minutes, 4 days a week', min_per_day: 10 };
  const spans = (days: RowFigures[]): AimSpan[] => [{ aim: CONTINUOUS, from: days[0].label, to: days[days.length - 1].label, days: days.length }];
  const planOf = (days: RowFigures[]) => reportCharts(days, spans(days), null, 'day').find((c) => c.id === 'plan')!;

  it('draws the minutes the plan counts beside the backward minutes where they differ (pods on both feet: 12 minutes drawn over a 10-minute aim read "no", judged on 6)', () => {
    const days = [day('2026-11-23', 'Mon 23', { retro_min: 12, plan_min: 6, aims: [CONTINUOUS] }), day('2026-11-24', 'Tue 24', { retro_min: 11, plan_min: 11, reached_days: 1, aims: [CONTINUOUS] })];
    const plan = planOf(days);
    expect(plan.table.head).toEqual(['day', 'minutes of backward walking', 'backward minutes the plan counts', 'reached the step (10+)']);
    expect(plan.table.rows).toEqual([['2026-11-23', 12, 6, 'no'], ['2026-11-24', 11, 11, 'yes']]);
    const bars = JSON.stringify(plan.spec);
    expect(bars).toContain('"series":"backward minutes the plan counts","min":6');
  });

  it('draws the backward minutes alone where the plan counts the same', () => {
    const days = [day('2026-11-23', 'Mon 23', { retro_min: 12, plan_min: 12, reached_days: 1, aims: [CONTINUOUS] })];
    const plan = planOf(days);
    expect(plan.table.head).toEqual(['day', 'minutes of backward walking', 'reached the step (10+)']);
    expect(JSON.stringify(plan.spec)).not.toContain('the plan counts');
  });
});

/** WCAG's relative luminance of a #rrggbb colour, and the contrast ratio of two. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);

/** The fill and outline of a chart's bars whose screen-reader label matches `label`, each pair once. */
const barPaints = (svg: string, label: RegExp) => [...new Set([...svg.matchAll(/<path aria-label="([^"]*)"[^>]*aria-roledescription="bar"[^>]*>/g)].filter((m) => label.test(m[1])).map((m) => `${/ fill="(#[0-9a-f]{6})"/.exec(m[0])?.[1]} ${/ stroke="(#[0-9a-f]{6})"/.exec(m[0])?.[1] ?? 'none'}`))];

describe('report chart bars, told apart without colour', () => {
  it('forward and backward bars (and the plan\'s minutes at the step beside the backward minutes) differ 3:1 in lightness, each bar\'s edge 3:1 against white: in black and white they were 1.2:1 apart', async () => {
    const days = [day('2026-12-05', 'Sat 05'), day('2026-12-06', 'Sun 06'), day('2026-12-07', 'Mon 07', { forward: 0, backward: 0, retro_min: 0, plan_min: 0 })];
    const charts = reportCharts(days, atAim(days), null, 'day');
    const pairs = { strides: [/forward strides/, /backward strides/], plan: [/minutes with 10\+/, /minutes of backward walking/] };
    for (const [id, [light, dark]] of Object.entries(pairs)) {
      const svg = await renderSvg(charts.find((c) => c.id === id)!.spec);
      const [lightPaint, darkPaint] = [barPaints(svg, light), barPaints(svg, dark)];
      expect(lightPaint, id).toHaveLength(1);
      expect(darkPaint, id).toHaveLength(1);
      const [lightFill, lightEdge] = lightPaint[0].split(' ');
      const [darkFill, darkEdge] = darkPaint[0].split(' ');
      expect(contrast(lightFill, darkFill), id).toBeGreaterThanOrEqual(3);
      for (const edge of [lightEdge, darkEdge]) expect(contrast(edge === 'none' ? lightFill : edge, '#ffffff'), id).toBeGreaterThanOrEqual(3);
      // (the legend's two symbols are drawn as the bars are)
      const legend = [...svg.matchAll(/<path transform="translate\(8,8\)"[^>]*>/g)].map((m) => `${/ fill="(#[0-9a-f]{6})"/.exec(m[0])?.[1]} ${/ stroke="(#[0-9a-f]{6})"/.exec(m[0])?.[1] ?? 'none'}`).sort();
      expect(legend, id).toEqual([lightPaint[0], darkPaint[0]].sort());
      // (a bar of 0 has no outline: a dash on the axis, a row of them for a month's days to come)
      const outlines = [...svg.matchAll(/<path aria-label="([^:]*): ([\d.]+) [^"]*"[^>]*aria-roledescription="bar"[^>]*stroke-width="([\d.]+)"/g)].map((m) => [m[1], Number(m[2]) === 0, Number(m[3]) > 0]);
      expect(outlines, id).toHaveLength(6);
      for (const [row, zero, outlined] of outlines) expect(outlined, `${id} ${row}`).toBe(!zero);
    }
  });
});
