/** Terminal charts for the summary (asciichart line plots, one row of labels under them). */
import asciichart from 'asciichart';
import { type Bucket, begun, fromFirstWalk, sumDays } from './buckets.js';

/** Rows of the plot: enough to read a week's shape, small enough for a terminal. */
const CHART_HEIGHT_ROWS = 8;
/** asciichart's left gutter: the axis labels are padded to this width plus the axis character. */
const AXIS_LABEL_WIDTH = 8;

/**
 * The most columns a chart draws: with the axis, within a terminal's 80. A longer period's days are summed into
 * weeks, months or years (a year of days drew 340 columns, which a terminal wraps into noise; --from 1970-01-01
 * drew 20,800).
 */
const MAX_COLUMNS = 62;

/** Backward strides (and forward, as a second line) per bucket, with bucket labels below. */
export function strideChart(all: Bucket[], color: boolean, now = new Date()): string {
  // days still to come are not drawn: this month's chart on the 6th fell to 0 for its last 25 days, as if they had
  // been walked and nothing counted (a day's hours are all drawn: its chart is of one day, today's walks up to now)
  const buckets = begun(all, now);
  const toCome = all.length - buckets.length;
  if (buckets.length < 2) return '';
  const days = fromFirstWalk(buckets, MAX_COLUMNS);
  const { buckets: summed, unit } = sumDays(days, MAX_COLUMNS);
  const b = summed.map((x) => ({ short: x.short, forward: x.totals.forward, backward: x.totals.backward }));
  if (b.length < 2) return '';
  // each bucket gets `step` columns so the labels fit under it
  const step = Math.max(1, Math.min(6, Math.floor(60 / b.length)));
  const stretch = (xs: number[]) => xs.flatMap((x) => Array<number>(step).fill(x));
  const backward = stretch(b.map((x) => x.backward));
  const forward = stretch(b.map((x) => x.forward));
  const plot = asciichart.plot([forward, backward], {
    height: CHART_HEIGHT_ROWS,
    min: 0,
    padding: ' '.repeat(AXIS_LABEL_WIDTH),
    format: (x) => String(Math.round(x)).padStart(AXIS_LABEL_WIDTH),
    colors: color ? [asciichart.blue, asciichart.green] : undefined,
  });
  // labels: every bucket if they fit, else every k-th; as wide as the widest (a day the clocks go back has an
  // "01h+" among its "01h"s: spaced for the first's width, it ran into the next label)
  const every = Math.max(1, Math.ceil((Math.max(...b.map((x) => x.short.length)) + 1) / step));
  let labels = ' '.repeat(AXIS_LABEL_WIDTH + 1);
  for (let i = 0; i < b.length; i += every) labels += b[i].short.padEnd(every * step);
  const later = toCome ? ` (the ${toCome} day${toCome === 1 ? '' : 's'} still to come not drawn)` : '';
  return `${plot}\n${labels.trimEnd()}\n${' '.repeat(AXIS_LABEL_WIDTH + 1)}strides per ${unit}${days.length < buckets.length ? ` from your first walk in the period (${days[0].label})` : ''}${later}: ${color ? 'blue forward, green backward' : 'forward and backward (the higher line is usually forward)'}`;
}
