/**
 * The report's charts: Vega-Lite specifications of its rows' figures (days,
 * or a long period's weeks, months or years), compiled
 * and rendered to SVG strings here, on the host (no script, no fetch in the
 * page). Vega's SVG renderer labels each bar and point for screen readers
 * (`aria-label` from the `description` channel); the report adds a caption
 * and a table per chart. Why Vega-Lite: docs/decisions.md, "Report charts".
 */
import type { TopLevelSpec } from 'vega-lite';
import type { BucketUnit } from './buckets.js';
import type { PlanAim, RowFigures } from './report-data.js';

/** Forward and backward everywhere: dark blue and dark orange, both above 4.5:1 on white (WCAG AA) and apart for colour-blind eyes. */
export const FORWARD_COLOUR = '#0b4f9c';
export const BACKWARD_COLOUR = '#a33c00';
/** Lines and the plan aim: black on white. */
const INK = '#000000';
/** Drawing width (px): fits A4's printable width (about 180 mm) at 96 px/inch with the axis; the SVG scales down on screens narrower than that. */
const WIDTH_PX = 640;
const HEIGHT_PX = 240;
/** Large type for readers over 65: 16 px labels, 20 px titles. */
const LABEL_FONT_PX = 16;
const TITLE_FONT_PX = 20;
/** Up to this many rows each bar carries its value; more would overlap (a month). */
const MAX_ROWS_WITH_VALUE_LABELS = 14;

const CONFIG = {
  font: 'Verdana, "DejaVu Sans", Arial, sans-serif',
  background: 'white',
  axis: { labelFontSize: LABEL_FONT_PX, titleFontSize: LABEL_FONT_PX, labelColor: INK, titleColor: INK, domainColor: INK, tickColor: INK, gridColor: '#c8c8c8', titleFontWeight: 'normal' },
  legend: { labelFontSize: LABEL_FONT_PX, titleFontSize: LABEL_FONT_PX, labelColor: INK, titleColor: INK, orient: 'top', symbolSize: 200, labelLimit: 0 },
  title: { fontSize: TITLE_FONT_PX, color: INK, anchor: 'start', fontWeight: 'bold' },
  view: { stroke: null },
} as const;

export interface Chart {
  id: string;
  title: string;
  /** one sentence for the figure's caption: what the chart says */
  caption: string;
  /** the chart's figures as a table (the text alternative) */
  table: { head: string[]; rows: (string | number)[][] };
  spec: TopLevelSpec;
}

const one = (x: number) => Math.round(x * 10) / 10;
const dayAxis = (days: RowFigures[]) => ({ title: null, labelAngle: days.length > 10 ? -60 : 0, labelOverlap: false });

/** How a row is named in a sentence (a caption, a bar's label for screen readers): "Mon 23" a day, its span summed days ("2026-11-23 to 2026-11-29", "2026-11"). */
const named = (d: RowFigures, unit: BucketUnit) => (unit === 'day' ? d.short : d.label);

function maxDay(days: RowFigures[], unit: BucketUnit, value: (d: RowFigures) => number): string {
  // (a one-day report has no day with the most)
  if (days.length < 2) return '';
  let best = days[0];
  for (const d of days) if (value(d) > value(best)) best = d;
  return best && value(best) > 0 ? `, most ${unit === 'day' ? 'on' : 'in'} ${named(best, unit)} (${one(value(best))})` : '';
}

function stridesChart(days: RowFigures[], unit: BucketUnit): Chart {
  const values = days.flatMap((d) => [
    { day: d.short, series: 'forward', strides: d.forward, desc: `${named(d, unit)}: ${d.forward} forward strides` },
    { day: d.short, series: 'backward', strides: d.backward, desc: `${named(d, unit)}: ${d.backward} backward strides` },
  ]);
  const labels = days.length <= MAX_ROWS_WITH_VALUE_LABELS;
  const title = `Strides per ${unit}, forward and backward`;
  const x = { field: 'day', type: 'nominal', sort: null, axis: dayAxis(days) } as const;
  const colour = { field: 'series', type: 'nominal', title: null, scale: { domain: ['forward', 'backward'], range: [FORWARD_COLOUR, BACKWARD_COLOUR] } } as const;
  const total = (k: 'forward' | 'backward') => days.reduce((a, d) => a + d[k], 0);
  return {
    id: 'strides',
    title,
    caption: `Forward strides ${total('forward')} in all${maxDay(days, unit, (d) => d.forward)}; backward strides ${total('backward')}${maxDay(days, unit, (d) => d.backward)}. One stride is two steps: the pod sees one foot.`,
    table: { head: [unit, 'forward strides', 'backward strides'], rows: days.map((d) => [d.label, d.forward, d.backward]) },
    spec: {
      config: CONFIG,
      width: WIDTH_PX,
      height: HEIGHT_PX,
      title,
      data: { values },
      encoding: { x, xOffset: { field: 'series', sort: ['forward', 'backward'] }, y: { field: 'strides', type: 'quantitative', title: 'strides' } },
      layer: [
        { mark: { type: 'bar', ariaRoleDescription: 'bar' }, encoding: { color: colour, description: { field: 'desc' } } },
        ...(labels ? [{ mark: { type: 'text' as const, dy: -8, fontSize: 13, aria: false }, encoding: { text: { field: 'strides', type: 'quantitative' as const } } }] : []),
      ],
    } as TopLevelSpec,
  };
}

/**
 * Backward minutes a row and, on the interval steps, minutes at the step's backward steps. The plan's aim is a
 * day's: drawn as a dashed line on a chart of days; a chart of weeks, months or years has the days that reached it
 * counted in its table instead.
 */
function planChart(days: RowFigures[], unit: BucketUnit, aim: PlanAim): Chart {
  const stepSeries = aim.steps_per_min !== undefined ? `minutes with ${aim.steps_per_min}+ backward steps` : null;
  const values = days.flatMap((d) => [
    { day: d.short, series: 'backward walking (minutes)', min: one(d.retro_min), desc: `${named(d, unit)}: ${one(d.retro_min)} minutes of backward walking` },
    ...(stepSeries ? [{ day: d.short, series: stepSeries, min: d.plan_min, desc: `${named(d, unit)}: ${d.plan_min} ${stepSeries}` }] : []),
  ]);
  const domain = stepSeries ? ['backward walking (minutes)', stepSeries] : ['backward walking (minutes)'];
  const byDay = unit === 'day';
  const reached = days.reduce((a, d) => a + d.reached_days, 0), all = days.reduce((a, d) => a + d.days, 0);
  const what = stepSeries ? `minutes with ${aim.steps_per_min} or more backward steps` : 'minutes of backward walking';
  const title = `Backward minutes per ${unit}, against your plan step`;
  return {
    id: 'plan',
    title,
    caption: `Your plan step${aim.as_of ? ` on ${aim.as_of}, this period's last day` : ''}: ${aim.title}. A day counts with ${aim.min_per_day} ${what}${byDay ? ' (the dashed line)' : ''}: ${reached} of ${all} ${all === 1 ? 'day' : 'days'} reached it${byDay ? '' : ` (each ${unit}'s in the table)`}.`,
    table: {
      head: [unit, 'minutes of backward walking', ...(stepSeries ? [stepSeries] : []), byDay ? `reached the step (${aim.min_per_day}+)` : `days that reached the step (${aim.min_per_day}+)`],
      rows: days.map((d) => [d.label, one(d.retro_min), ...(stepSeries ? [d.plan_min] : []), byDay ? (d.reached_days ? 'yes' : 'no') : `${d.reached_days} of ${d.days}`]),
    },
    spec: {
      config: CONFIG,
      width: WIDTH_PX,
      height: HEIGHT_PX,
      title,
      layer: [
        {
          data: { values },
          mark: { type: 'bar', ariaRoleDescription: 'bar' },
          encoding: {
            x: { field: 'day', type: 'nominal', sort: null, axis: dayAxis(days) },
            xOffset: { field: 'series', sort: domain },
            y: { field: 'min', type: 'quantitative', title: 'minutes' },
            color: { field: 'series', type: 'nominal', title: null, scale: { domain, range: [BACKWARD_COLOUR, FORWARD_COLOUR].slice(0, domain.length) } },
            description: { field: 'desc' },
          },
        },
        ...(byDay
          ? [
              {
                data: { values: [{ aim: aim.min_per_day, desc: `plan aim: ${aim.min_per_day} ${what} a day` }] },
                mark: { type: 'rule' as const, color: INK, strokeWidth: 2, strokeDash: [8, 5], ariaRoleDescription: 'aim' },
                encoding: { y: { field: 'aim', type: 'quantitative' as const }, description: { field: 'desc' } },
              },
            ]
          : []),
      ],
    } as TopLevelSpec,
  };
}

/** A line over the rows with a point on each that has a value (rows without one are left out, not drawn as 0). */
function lineChart(id: string, title: string, yTitle: string, days: RowFigures[], unit: BucketUnit, value: (d: RowFigures) => number | null, valueUnit: string, caption: string): Chart {
  const values = days.map((d) => {
    const v = value(d);
    return { day: d.short, v: v === null ? null : one(v), desc: v === null ? `${named(d, unit)}: no value` : `${named(d, unit)}: ${one(v)} ${valueUnit}` };
  });
  // (a day's chart is named as it was; summed days say what a point is)
  const titled = unit === 'day' ? title : `${title}, per ${unit}`;
  return {
    id,
    title: titled,
    caption,
    table: { head: [unit, yTitle], rows: days.map((d) => [d.label, value(d) === null ? '-' : one(value(d)!)]) },
    spec: {
      config: CONFIG,
      width: WIDTH_PX,
      height: HEIGHT_PX,
      title: titled,
      data: { values },
      encoding: { x: { field: 'day', type: 'nominal', sort: null, axis: dayAxis(days), scale: { domain: days.map((d) => d.short) } }, y: { field: 'v', type: 'quantitative', title: yTitle, scale: { zero: true } } },
      layer: [
        { mark: { type: 'line', color: INK, strokeWidth: 3, aria: false } },
        { mark: { type: 'point', filled: true, size: 140, color: INK, ariaRoleDescription: 'point' }, transform: [{ filter: 'datum.v !== null' }], encoding: { description: { field: 'desc' } } },
      ],
    } as TopLevelSpec,
  };
}

function energyChart(days: RowFigures[], unit: BucketUnit): Chart {
  const values = days.map((d) => ({ day: d.short, kcal: Math.round(d.kcal), desc: `${named(d, unit)}: ${Math.round(d.kcal)} kcal` }));
  const total = Math.round(days.reduce((a, d) => a + d.kcal, 0));
  const title = `Energy per ${unit} (kcal)`;
  return {
    id: 'energy',
    title,
    caption: `${total} kcal in all${maxDay(days, unit, (d) => Math.round(d.kcal))}. Compendium of Physical Activities: 4.3 MET walking forward, 6.0 MET backward.`,
    table: { head: [unit, 'kcal'], rows: days.map((d) => [d.label, Math.round(d.kcal)]) },
    spec: {
      config: CONFIG,
      width: WIDTH_PX,
      height: HEIGHT_PX,
      title,
      data: { values },
      encoding: { x: { field: 'day', type: 'nominal', sort: null, axis: dayAxis(days) }, y: { field: 'kcal', type: 'quantitative', title: 'kcal' } },
      layer: [
        { mark: { type: 'bar', color: FORWARD_COLOUR, ariaRoleDescription: 'bar' }, encoding: { description: { field: 'desc' } } },
        ...(days.length <= MAX_ROWS_WITH_VALUE_LABELS ? [{ mark: { type: 'text' as const, dy: -8, fontSize: 13, aria: false }, encoding: { text: { field: 'kcal', type: 'quantitative' as const } } }] : []),
      ],
    } as TopLevelSpec,
  };
}

/** The report's charts, in reading order: a bar or point a row, each row a day, or a week, month or year of days (`unit`). */
export function reportCharts(days: RowFigures[], aim: PlanAim, unit: BucketUnit): Chart[] {
  const withBackward = days.filter((d) => d.wrong_pct !== null);
  const walked = days.filter((d) => d.cadence_spm !== null);
  // (one value, or one day: "4.4 % on 1 day", not "from 4.4 to 4.4 % over 1 days")
  const range = (xs: number[], valueUnit: string) => {
    if (xs.length === 0) return `no ${unit}s with a value`;
    const lo = Math.min(...xs.map(one)), hi = Math.max(...xs.map(one));
    return lo === hi ? `${lo} ${valueUnit}` : `from ${lo} to ${hi} ${valueUnit}`;
  };
  const over = (n: number, what: string) => (n === 0 ? '' : ` ${n === 1 ? `${unit === 'day' ? 'on' : 'in'} 1 ${unit}` : `over ${n} ${unit}s`} with ${what}`);
  return [
    stridesChart(days, unit),
    planChart(days, unit, aim),
    lineChart('wrong', 'Wrong-gait share of backward strides (%)', '% of backward strides', days, unit, (d) => d.wrong_pct, '% wrong-gait',
      `Backward strides that landed heel first: ${range(withBackward.map((d) => d.wrong_pct!), '%')}${over(withBackward.length, 'backward walking')}. Lower is better.`),
    lineChart('cadence', 'Cadence (steps per minute)', 'steps/min', days, unit, (d) => d.cadence_spm, 'steps/min',
      `Steps per minute while walking: ${range(walked.map((d) => d.cadence_spm!), 'steps/min')}${over(walked.length, 'walking')}.`),
    energyChart(days, unit),
  ];
}
/** One chart as an SVG string: Vega-Lite compiled to Vega, rendered headless (no DOM, no canvas, no network). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // (loaded on the first chart, not with the CLI: Vega and Vega-Lite take ~0.3 s to load, which every command paid)
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
