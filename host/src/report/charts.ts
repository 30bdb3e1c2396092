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
import type { AimSpan, PlanAim, RowFigures } from './report-data.js';
import { MET_BACKWARD_WALK, MET_FORWARD_WALK } from './energy.js';
import { rounded, shown, shownCell } from './shown.js';

/** Forward and backward everywhere: dark blue and dark orange, both above 4.5:1 on white (WCAG AA) and apart for colour-blind eyes. */
const FORWARD_COLOUR = '#0b4f9c';
const BACKWARD_COLOUR = '#a33c00';
/**
 * The lighter series of a two-series bar chart (forward strides; the plan's minutes at the step) is this light fill
 * inside a FORWARD_COLOUR outline, the backward series solid. The two colours alone are 1.2:1 apart in lightness:
 * printed in black and white, or to eyes that tell neither hue, only the bars' order told forward from backward.
 * This fill is 4.9:1 lighter than BACKWARD_COLOUR, and the outline keeps the bar 7:1 against white (WCAG 1.4.1, 1.4.11).
 */
const FORWARD_FILL = '#cfe0f5';
/** A bar's outline (px): wide enough to read as the light bar's edge at the 0.75 scale a phone draws it at. */
const BAR_OUTLINE_PX = 2;
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

/**
 * A bar chart's fill and outline by series: `backward` solid BACKWARD_COLOUR, the other light in a FORWARD_COLOUR
 * outline (FORWARD_FILL); one legend. A bar of 0 (`value` its field) has no outline: it drew a dash on the axis, and a
 * month's days still to come a row of them.
 */
function barPaint(domain: string[], backward: string, value: string) {
  const by = (solid: string, other: string) => ({ field: 'series', type: 'nominal', title: null, scale: { domain, range: domain.map((s) => (s === backward ? solid : other)) } }) as const;
  return { fill: by(BACKWARD_COLOUR, FORWARD_FILL), stroke: by(BACKWARD_COLOUR, FORWARD_COLOUR), strokeWidth: { condition: { test: `datum['${value}'] === 0`, value: 0 }, value: BAR_OUTLINE_PX } };
}

const BAR = { type: 'bar', ariaRoleDescription: 'bar' } as const;

export interface Chart {
  id: string;
  title: string;
  /** one sentence for the figure's caption: what the chart says */
  caption: string;
  /** the chart's figures as a table (the text alternative) */
  table: { head: string[]; rows: (string | number)[][] };
  spec: TopLevelSpec;
}

/** A figure to one decimal, as a chart draws it (its text: shownCell). */
const one = (x: number) => rounded(x, 1);
const dayAxis = (days: RowFigures[]) => ({ title: null, labelAngle: days.length > 10 ? -60 : 0, labelOverlap: false });

/** How a row is named in a sentence (a caption, a bar's label for screen readers): "Mon 23" a day, its span summed days ("2026-11-23 to 2026-11-29", "2026-11"). */
const named = (d: RowFigures, unit: BucketUnit) => (unit === 'day' ? d.short : d.label);

function maxDay(days: RowFigures[], unit: BucketUnit, value: (d: RowFigures) => number, digits = 1): string {
  // (a one-day report has no day with the most)
  if (days.length < 2) return '';
  let best = days[0];
  for (const d of days) if (value(d) > value(best)) best = d;
  return best && value(best) > 0 ? `, most ${unit === 'day' ? 'on' : 'in'} ${named(best, unit)} (${shownCell(value(best), digits)})` : '';
}

function stridesChart(days: RowFigures[], unit: BucketUnit): Chart {
  const values = days.flatMap((d) => [
    { day: d.short, series: 'forward', strides: d.forward, desc: `${named(d, unit)}: ${d.forward} forward strides` },
    { day: d.short, series: 'backward', strides: d.backward, desc: `${named(d, unit)}: ${d.backward} backward strides` },
  ]);
  const labels = days.length <= MAX_ROWS_WITH_VALUE_LABELS;
  const title = `Strides per ${unit}, forward and backward`;
  const x = { field: 'day', type: 'nominal', sort: null, axis: dayAxis(days) } as const;
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
        { mark: BAR, encoding: { ...barPaint(['forward', 'backward'], 'backward', 'strides'), description: { field: 'desc' } } },
        ...(labels ? [{ mark: { type: 'text' as const, dy: -8, fontSize: 13, aria: false }, encoding: { text: { field: 'strides', type: 'quantitative' as const } } }] : []),
      ],
    } as TopLevelSpec,
  };
}

/** A plan step as a bar's label and the chart's line of a new step name it: "20+ backward steps", or "backward walking" (the continuous step). */
const stepName = (a: PlanAim) => (a.steps_per_min === undefined ? 'backward walking' : `${a.steps_per_min}+ backward steps`);

/** A plan step in the plan table's column of steps (its head says "backward steps a minute"): "20+", or "continuous". */
const stepCell = (a: PlanAim) => (a.steps_per_min === undefined ? 'continuous' : `${a.steps_per_min}+`);

/** The minutes a step's aim counts, in a sentence: of its backward steps (interval steps), or of backward walking. */
const aimMinutes = (aim: PlanAim) => (aim.steps_per_min !== undefined ? `minutes with ${aim.steps_per_min} or more backward steps` : 'minutes of backward walking');

/** The days a run of one step covers, in a sentence: "on 2026-11-23", "from 2026-11-23 to 2026-11-29 (7 days)". */
const spanDays = (s: AimSpan) => (s.days === 1 ? `on ${s.from}` : `from ${s.from} to ${s.to} (${s.days} days)`);

/**
 * What the plan chart judged its days against, for its caption: the step, or where it changed within the period
 * each step and its days (each day is judged against the step held as it began), and the minutes a day needs.
 */
function judgedText(aims: AimSpan[], as_of: string | null, byDay: boolean): string {
  const mins = [...new Set(aims.map((s) => s.aim.min_per_day))];
  const line = byDay ? ' (the dashed line)' : '';
  if (aims.length === 1) {
    const aim = aims[0].aim;
    return `Your plan step${as_of ? ` on ${as_of}, this period's last day` : ''}: ${aim.title}. A day counts with ${aim.min_per_day} ${aimMinutes(aim)}${line}`;
  }
  const steps = aims.map((s) => `${s.aim.title} ${spanDays(s)}`).join(', then ');
  const continuous = aims.some((s) => s.aim.steps_per_min === undefined) ? ' (on the continuous step, minutes of backward walking)' : '';
  return `Your plan step changed in this period, and each day is judged against the step held as it began: ${steps}. A day counts with ${mins.length === 1 ? mins[0] : 'the'} minutes at its step${continuous}${line}`;
}

/** A new step's name at the top of a chart of days: one line each, the next below the last (steps begin 3 days apart at the least: on a month's chart, 60 px, less than a name's width). */
const STEP_LABEL_LINE_PX = LABEL_FONT_PX + 4;

/** How far a chart's y scale reaches above its tallest bar to leave room at the top for `n` steps' names. */
const stepLabelRoom = (n: number) => HEIGHT_PX / (HEIGHT_PX - n * STEP_LABEL_LINE_PX - 4);

/**
 * Where a new plan step begins on a chart of days: a dotted line before that day's bars, and the step at its top
 * ("20+ backward steps from here"), so the chart itself shows that the bars left and right of it are judged against
 * different steps. (On a chart of weeks, months or years a step begins inside a bar: its table names the steps.)
 */
function stepStartLayers(days: RowFigures[], aims: AimSpan[]) {
  const starts = aims.slice(1).map((s, i) => {
    const at = days.findIndex((d) => d.label === s.from);
    // (a step that begins in the chart's right half is named to the left of its line: to the right it ran off the chart)
    const left = at > days.length / 2;
    return { day: days[at].short, left, text: `${stepName(s.aim)} from here${left ? ' \u2192' : ''}`, desc: `plan step from ${s.from}: ${s.aim.title}`, y_px: 2 + i * STEP_LABEL_LINE_PX };
  });
  const x = { field: 'day', type: 'nominal', sort: null, bandPosition: 0 } as const;
  // (the name twice: under it a thick white outline of itself, so it reads where it crosses a grid line)
  const label = (left: boolean, halo: boolean) => ({
    data: { values: starts.filter((s) => s.left === left) },
    mark: { type: 'text' as const, baseline: 'top' as const, align: left ? ('right' as const) : ('left' as const), dx: left ? -5 : 5, fontSize: LABEL_FONT_PX, aria: false, ...(halo ? { stroke: 'white', strokeWidth: 5, strokeJoin: 'round' as const } : { color: INK }) },
    encoding: { x, y: { field: 'y_px', type: 'quantitative' as const, scale: null }, text: { field: 'text' } },
  });
  return [
    { data: { values: starts }, mark: { type: 'rule' as const, color: INK, strokeWidth: 2, strokeDash: [2, 4], ariaRoleDescription: 'step change' }, encoding: { x, description: { field: 'desc' } } },
    ...[false, true].flatMap((left) => (starts.some((s) => s.left === left) ? [label(left, true), label(left, false)] : [])),
  ];
}

/**
 * Backward minutes a row and, on the interval steps, minutes at the step's backward steps. Each day is judged
 * against the step held as it began; where that changed within the period, the second series is each day's
 * minutes at its own step and the table names the step of each row. The plan's aim is a day's: drawn as a dashed
 * line on a chart of days; a chart of weeks, months or years has the days that reached it counted in its table instead.
 */
function planChart(days: RowFigures[], unit: BucketUnit, aims: AimSpan[], as_of: string | null): Chart {
  const changed = aims.length > 1;
  const single = aims[0]?.aim;
  const interval = aims.some((s) => s.aim.steps_per_min !== undefined);
  // (on the continuous step alone a day is judged on its backward minutes as the plan counts them: once however
  // many pods recorded them, the demo's left out; where that is not the backward minutes drawn, it is drawn
  // beside them, as the bar a day is judged on: pods on both feet drew 12 minutes over a 10-minute aim, "no")
  const apart = !interval && days.some((d) => one(d.plan_min) !== one(d.retro_min));
  const stepSeries = interval ? (changed ? (unit === 'day' ? "minutes at the day's step" : "minutes at each day's step") : `minutes with ${single.steps_per_min}+ backward steps`) : apart ? 'backward minutes the plan counts' : null;
  const rowSteps = (d: RowFigures) => d.aims.map(stepName).join(', then ');
  const values = days.flatMap((d) => [
    { day: d.short, series: 'backward walking (minutes)', min: one(d.retro_min), desc: `${named(d, unit)}: ${shownCell(d.retro_min, 1)} minutes of backward walking` },
    // (one decimal, as the backward minutes: a day at the continuous step counts its minutes of backward walking, 10.141843971631207)
    ...(stepSeries ? [{ day: d.short, series: stepSeries, min: one(d.plan_min), desc: `${named(d, unit)}: ${shownCell(d.plan_min, 1)} ${stepSeries}${changed ? ` (${rowSteps(d)})` : ''}` }] : []),
  ]);
  const domain = stepSeries ? ['backward walking (minutes)', stepSeries] : ['backward walking (minutes)'];
  const byDay = unit === 'day';
  const reached = days.reduce((a, d) => a + d.reached_days, 0), all = days.reduce((a, d) => a + d.days, 0);
  const toCome = days.reduce((a, d) => a + d.days_to_come, 0);
  const daysText = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
  const title = `Backward minutes per ${unit}, against your plan step`;
  // (one dashed line a day's aim: the steps of the plan all ask 10 minutes, but say each if they ever differ)
  const lines = [...new Map(aims.map((s) => [s.aim.min_per_day, s.aim])).values()];
  const lineDesc = (a: PlanAim) => (changed ? `plan aim: ${a.min_per_day} minutes at the day's step a day` : `plan aim: ${a.min_per_day} ${aimMinutes(a)} a day`);
  // (a chart of days marks where a step begins, the step named at the top: room above the tallest bar for the name)
  const marked = byDay && changed;
  const inTable = byDay ? (changed ? ' (each day\'s step in the table)' : '') : ` (each ${unit}'s${changed ? ', and its steps,' : ''} in the table)`;
  return {
    id: 'plan',
    title,
    caption: `${judgedText(aims, as_of, byDay)}: ${reached} of ${daysText(all)} reached it${toCome ? `, ${daysText(toCome)} still to come` : ''}${inTable}.`,
    table: {
      head: [unit, 'minutes of backward walking', ...(changed ? ['plan step (backward steps a minute)'] : []), ...(stepSeries ? [stepSeries] : []), byDay ? `reached the step (${lines.map((a) => a.min_per_day).join(' or ')}+)` : `days that reached the step (${lines.map((a) => a.min_per_day).join(' or ')}+)`],
      rows: days.map((d) => [d.label, shownCell(d.retro_min, 1), ...(changed ? [d.aims.map(stepCell).join(' then ')] : []), ...(stepSeries ? [shownCell(d.plan_min, 1)] : []), d.days === 0 ? 'to come' : byDay ? (d.reached_days ? 'yes' : 'no') : `${d.reached_days} of ${d.days}`]),
    },
    spec: {
      config: CONFIG,
      width: WIDTH_PX,
      height: HEIGHT_PX,
      title,
      layer: [
        {
          data: { values },
          mark: BAR,
          encoding: {
            x: { field: 'day', type: 'nominal', sort: null, axis: dayAxis(days) },
            xOffset: { field: 'series', sort: domain },
            y: { field: 'min', type: 'quantitative', title: 'minutes', ...(marked ? { scale: { domainMax: stepLabelRoom(aims.length - 1) * Math.max(...values.map((v) => v.min), ...lines.map((a) => a.min_per_day)) } } : {}) },
            ...barPaint(domain, domain[0], 'min'),
            description: { field: 'desc' },
          },
        },
        ...(byDay
          ? [
              {
                data: { values: lines.map((a) => ({ aim: a.min_per_day, desc: lineDesc(a) })) },
                mark: { type: 'rule' as const, color: INK, strokeWidth: 2, strokeDash: [8, 5], ariaRoleDescription: 'aim' },
                encoding: { y: { field: 'aim', type: 'quantitative' as const }, description: { field: 'desc' } },
              },
            ]
          : []),
        ...(marked ? stepStartLayers(days, aims) : []),
      ],
    } as TopLevelSpec,
  };
}

/**
 * A line over the rows with a point on each that has a value (rows without one are left out, not drawn as 0); `digits`:
 * as `summary` shows the figure (a share to a tenth, cadence whole), in the points, the table and the caption alike;
 * `whole`: the value's whole (a share's 100), which its text does not round up to (shown).
 */
function lineChart(id: string, title: string, yTitle: string, days: RowFigures[], unit: BucketUnit, value: (d: RowFigures) => number | null, valueUnit: string, caption: string, digits: number, whole?: number): Chart {
  const values = days.map((d) => {
    const v = value(d);
    return { day: d.short, v: v === null ? null : rounded(v, digits), desc: v === null ? `${named(d, unit)}: no value` : `${named(d, unit)}: ${shownCell(v, digits, whole)} ${valueUnit}` };
  });
  // (a day's chart is named as it was; summed days say what a point is)
  const titled = unit === 'day' ? title : `${title}, per ${unit}`;
  return {
    id,
    title: titled,
    caption,
    table: { head: [unit, yTitle], rows: days.map((d) => [d.label, value(d) === null ? '-' : shownCell(value(d)!, digits, whole)]) },
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
  // (a bar's text as its table says it: "<1" for a day of a few strides, whose bar is drawn at 0)
  const values = days.map((d) => ({ day: d.short, kcal: rounded(d.kcal, 0), label: shown(d.kcal, 0), desc: `${named(d, unit)}: ${shown(d.kcal, 0)} kcal` }));
  const total = shown(days.reduce((a, d) => a + d.kcal, 0), 0);
  const title = `Energy per ${unit} (kcal)`;
  return {
    id: 'energy',
    title,
    caption: `${total} kcal in all${maxDay(days, unit, (d) => d.kcal, 0)}. Compendium of Physical Activities: ${MET_FORWARD_WALK.toFixed(1)} MET walking forward, ${MET_BACKWARD_WALK.toFixed(1)} MET backward.`,
    table: { head: [unit, 'kcal'], rows: days.map((d) => [d.label, shownCell(d.kcal, 0)]) },
    spec: {
      config: CONFIG,
      width: WIDTH_PX,
      height: HEIGHT_PX,
      title,
      data: { values },
      encoding: { x: { field: 'day', type: 'nominal', sort: null, axis: dayAxis(days) }, y: { field: 'kcal', type: 'quantitative', title: 'kcal' } },
      layer: [
        { mark: { type: 'bar', color: FORWARD_COLOUR, ariaRoleDescription: 'bar' }, encoding: { description: { field: 'desc' } } },
        ...(days.length <= MAX_ROWS_WITH_VALUE_LABELS ? [{ mark: { type: 'text' as const, dy: -8, fontSize: 13, aria: false }, encoding: { text: { field: 'label', type: 'nominal' as const } } }] : []),
      ],
    } as TopLevelSpec,
  };
}

/** The report's charts, in reading order: a bar or point a row, each row a day, or a week, month or year of days (`unit`). */
export function reportCharts(days: RowFigures[], aims: AimSpan[], aim_as_of: string | null, unit: BucketUnit): Chart[] {
  const withBackward = days.filter((d) => d.wrong_pct !== null);
  const walked = days.filter((d) => d.cadence_spm !== null);
  // (one value, or one day: "4.4 % on 1 day", not "from 4.4 to 4.4 % over 1 days")
  const range = (xs: number[], valueUnit: string, digits: number, whole?: number) => {
    if (xs.length === 0) return `no ${unit}s with a value`;
    const lo = shownCell(Math.min(...xs), digits, whole), hi = shownCell(Math.max(...xs), digits, whole);
    return lo === hi ? `${lo} ${valueUnit}` : `from ${lo} to ${hi} ${valueUnit}`;
  };
  const over = (n: number, what: string) => (n === 0 ? '' : ` ${n === 1 ? `${unit === 'day' ? 'on' : 'in'} 1 ${unit}` : `over ${n} ${unit}s`} with ${what}`);
  return [
    stridesChart(days, unit),
    planChart(days, unit, aims, aim_as_of),
    // (of the strides judged once a row's rule judged forward ones too: summary.ts wrongShare)
    days.some((d) => d.wrong_judges_forward)
      ? lineChart('wrong', 'Wrong-gait share of the strides judged (%)', '% of strides judged', days, unit, (d) => d.wrong_pct, '% wrong-gait',
          `Strides the pod's wrong_rule judged wrong, of those it judged (backward, and forward where it judged them): ${range(withBackward.map((d) => d.wrong_pct!), '%', 1, 100)}${over(withBackward.length, 'strides judged')}. Lower is better.`, 1, 100)
      : lineChart('wrong', 'Wrong-gait share of backward strides (%)', '% of backward strides', days, unit, (d) => d.wrong_pct, '% wrong-gait',
          `Backward strides that landed heel first: ${range(withBackward.map((d) => d.wrong_pct!), '%', 1, 100)}${over(withBackward.length, 'backward walking')}. Lower is better.`, 1, 100),
    lineChart('cadence', 'Cadence (steps per minute)', 'steps/min', days, unit, (d) => d.cadence_spm, 'steps/min',
      `Steps per minute while walking: ${range(walked.map((d) => d.cadence_spm!), 'steps/min', 0)}${over(walked.length, 'walking')}.`, 0),
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
