/** Terminal charts for the summary (asciichart line plots, one row of labels under them). */
import asciichart from 'asciichart';
import type { Bucket } from './buckets.js';

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
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** One column of the chart: its label and strides. */
interface Column {
  short: string;
  forward: number;
  backward: number;
}

/** Days summed by `key` (a run of buckets with the same key is one column), labelled by `short` of its first day. */
function sumBy(b: Bucket[], key: (x: Bucket, i: number) => string, short: (x: Bucket) => string): Column[] {
  const out: (Column & { key: string })[] = [];
  b.forEach((x, i) => {
    const k = key(x, i);
    const last = out[out.length - 1];
    if (last?.key === k) {
      last.forward += x.totals.forward;
      last.backward += x.totals.backward;
    } else out.push({ key: k, short: short(x), forward: x.totals.forward, backward: x.totals.backward });
  });
  return out;
}

/** The buckets as columns: as they are if they fit, else summed into the shortest unit that fits. */
function columns(b: Bucket[]): { cols: Column[]; unit: string } {
  const unit = b[0].label.endsWith('h') ? 'hour' : 'day';
  const asIs = { cols: b.map((x) => ({ short: x.short, forward: x.totals.forward, backward: x.totals.backward })), unit };
  if (unit === 'hour' || b.length <= MAX_COLUMNS) return asIs;
  // (day labels are ISO dates: 2026-11-23)
  const weeks = sumBy(b, (_x, i) => String(Math.floor(i / 7)), (x) => `${MONTHS[Number(x.label.slice(5, 7)) - 1]} ${x.label.slice(8, 10)}`);
  if (weeks.length <= MAX_COLUMNS) return { cols: weeks, unit: 'week' };
  const months = sumBy(b, (x) => x.label.slice(0, 7), (x) => x.label.slice(0, 7));
  if (months.length <= MAX_COLUMNS) return { cols: months, unit: 'month' };
  return { cols: sumBy(b, (x) => x.label.slice(0, 4), (x) => x.label.slice(0, 4)), unit: 'year' };
}

/** Backward strides (and forward, as a second line) per bucket, with bucket labels below. */
export function strideChart(buckets: Bucket[], color: boolean): string {
  if (buckets.length < 2) return '';
  const { cols: b, unit } = columns(buckets);
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
  // labels: every bucket if they fit, else every k-th
  const every = Math.max(1, Math.ceil((b[0].short.length + 1) / step));
  let labels = ' '.repeat(AXIS_LABEL_WIDTH + 1);
  for (let i = 0; i < b.length; i += every) labels += b[i].short.padEnd(every * step);
  return `${plot}\n${labels.trimEnd()}\n${' '.repeat(AXIS_LABEL_WIDTH + 1)}strides per ${unit}: ${color ? 'blue forward, green backward' : 'forward and backward (the higher line is usually forward)'}`;
}
