/**
 * The recording CSV format shared by `retrostep record`, `retrostep replay`
 * and the fixtures (documented in test/fixtures/README.md):
 *   # comment lines (the first says "retrostep recording v1"; key=value pairs in comments are metadata)
 *   t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps,label
 * label is empty or "contact <forward|backward> <heel|flat|toe|unknown>" on the
 * sample whose period holds a labelled initial contact ("unknown": the source
 * does not say which part of the foot landed first).
 */
export const RECORDING_HEADER = 't_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps,label';
/** A recording's first line, before its version ("v1"): `record` writes it, and --out of a report or export is refused over a file that starts so. */
export const RECORDING_FIRST_LINE = '# retrostep recording';

interface LabelledContact {
  t_ms: number;
  direction: 'forward' | 'backward';
  first: 'heel' | 'flat' | 'toe' | 'unknown';
}

export interface Recording {
  meta: Record<string, string>;
  /** sample times, ms */
  t_ms: Float64Array;
  /** n x 6 interleaved: acc_g x,y,z then gyro_dps x,y,z, sensor frame */
  samples: Float32Array;
  contacts: LabelledContact[];
  rate_hz: number;
  /** the file's last line, cut off part way (a recording stopped mid-write, no newline after it): its number, left out */
  cutLine?: number;
}

export class RecordingFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingFormatError';
  }
}

const DIRECTIONS = new Set(['forward', 'backward']);
const FIRSTS = new Set(['heel', 'flat', 'toe', 'unknown']);

/**
 * How far a recording's stated rate_hz may be from the rate its samples come at (a fraction): a sensor's
 * clock is within a percent of its rate and a host's time stamps jitter by a few ms; a rate off by more is
 * a mistake in the metadata.
 */
const RATE_TOLERANCE = 0.2;
/** ...told from at least this many intervals (a few samples with one lost would read half the rate). */
const RATE_CHECK_MIN_INTERVALS = 10;
/**
 * The rates an IMU's samples come at (Hz): an accelerometer runs from 12.5 Hz to 6.7 kHz (the Puck.js's LSM6DS3).
 * Outside them the times are in another unit than ms: a walk at 52 Hz in seconds read as 52,083 Hz, averaged into
 * two samples and said "0 strides", exit 0; in microseconds, as 0 Hz.
 */
const SAMPLED_HZ_RANGE: [number, number] = [5, 10_000];
/**
 * A number as a CSV writes one: decimal, with a sign, a point and an exponent if it likes. Number() takes more:
 * "0x10" read as 16 ms, "0b11" and "0o7" likewise, and " " as 0.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/**
 * What a foot's accelerometer reads in the middle of a recording, walking or standing (g): about 1 (0.94-1.10 on
 * the sensors measured). Outside this its values are in another unit: in m/s² a walk replayed with a stride in six
 * lost, exit 0.
 */
const MEDIAN_G_RANGE: [number, number] = [0.5, 2];
const G_MS2 = 9.80665;
/**
 * A walk in the accelerometer (its 99th percentile over WALK_G) with the gyro's under TURNING_DPS: the gyro is in
 * another unit. A foot turns at 350-570 dps (99th percentile) on every walk here; in rad/s the same walk reads 8.4,
 * and replayed with no stride at all, exit 0.
 */
const WALK_G = 2;
const TURNING_DPS = 30;
const DEG_PER_RAD = 180 / Math.PI;

/**
 * A recording's text read line by line, without splitting it into an array of lines first: that array, and the
 * samples held as arrays of numbers, needed 3-5 times the file's size in Node's heap, and a 100 MB recording (11 h
 * at 52 Hz) ended in V8's "heap out of memory" and a stack trace under a 256 MB heap (a small machine's). The
 * samples go into typed arrays, held outside the heap.
 */
class Lines {
  /** where the line read last starts */
  start = 0;
  /** its number, from 1 */
  number = 0;
  private next = 0;
  constructor(private readonly text: string) {}

  /** The next line, without its end (\n or \r\n); null after the last (a text ending in a newline ends in an empty line, as split gives). */
  read(): string | null {
    if (this.next > this.text.length) return null;
    let end = this.text.indexOf('\n', this.next);
    if (end < 0) end = this.text.length;
    this.start = this.next;
    this.number++;
    this.next = end + 1;
    return this.text.slice(this.start, end > this.start && this.text.charCodeAt(end - 1) === 13 ? end - 1 : end);
  }
}

/** Where the text's last line that is not blank starts; -1 if every line is. */
function lastLineStart(text: string): number {
  let end = text.length;
  for (;;) {
    const start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1;
    if (text.slice(start, end).trim() !== '') return start;
    if (start === 0) return -1;
    end = start - 1;
  }
}

/** Values appended to a typed array that doubles as it fills. */
class Growing {
  values = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.values.length) {
      const more = new Float64Array(this.values.length * 2);
      more.set(this.values);
      this.values = more;
    }
    this.values[this.length++] = x;
  }
}

export function parseRecording(text: string, source = 'recording'): Recording {
  // (a byte order mark, as some editors save UTF-8, is not part of the first line)
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // a file that does not end with a newline may have been cut off mid-line: a last line that does not parse
  // is then left out (and said), not the whole recording refused
  const lastStart = lastLineStart(text);
  const mayBeCut = !text.endsWith('\n');
  let cutLine: number | undefined;
  const meta: Record<string, string> = {};
  const lines = new Lines(text);
  let line = lines.read();
  for (; line !== null && line.startsWith('#'); line = lines.read()) {
    for (const m of line.matchAll(/(\w+)=(\S+)/g)) meta[m[1]] = m[2];
  }
  if (lastStart < 0) throw new RecordingFormatError(`${source} is empty: a recording starts with the header "${RECORDING_HEADER}"`);
  // (only # lines: "line 3 should be the header" of a file of two lines)
  if (line === null || lines.start > lastStart) throw new RecordingFormatError(`${source} holds only comment lines (#): a recording's header "${RECORDING_HEADER}" and its samples follow them`);
  if (line.trim() !== RECORDING_HEADER) {
    // (the other CSV retrostep writes, minutes from `export`, was told only what a recording's header is)
    if (line.startsWith('time_utc,pod_id,')) throw new RecordingFormatError(`${source} holds minutes from \`retrostep export\`, not a recording: replay reads the raw samples \`retrostep record\` writes`);
    throw new RecordingFormatError(`${source}: line ${lines.number} should be the header "${RECORDING_HEADER}"`);
  }
  const t = new Growing();
  const s = new Growing();
  const contacts: LabelledContact[] = [];
  // every row so far carries the label column (empty or not), as `retrostep record` writes them: a last row
  // without it, with no newline after it, was cut inside its last number ("3.97" as "3"), though each field is
  // a number (a file whose rows carry it only where labelled may end on a whole 7-field row)
  let rows8 = 0, rows7 = 0;
  for (let raw = lines.read(); raw !== null; raw = lines.read()) {
    const row = raw.trim();
    if (row === '' || row.startsWith('#')) continue;
    const isLast = lines.start === lastStart;
    const f = row.split(',');
    const v = f.slice(0, 7).map(Number);
    const bad = v.findIndex((x, k) => !Number.isFinite(x) || !DECIMAL.test(f[k].trim()));
    if ((f.length < 7 || f.length > 8 || bad >= 0 || (f.length === 7 && rows8 > 0 && rows7 === 0)) && mayBeCut && isLast) {
      cutLine = lines.number;
      break;
    }
    if (f.length < 7 || f.length > 8) throw new RecordingFormatError(`${source}: line ${lines.number} has ${f.length} fields, expected 7 or 8`);
    if (bad >= 0) throw new RecordingFormatError(`${source}: line ${lines.number}: "${f[bad]}" is not a number`);
    if (t.length > 0 && v[0] <= t.values[t.length - 1]) throw new RecordingFormatError(`${source}: line ${lines.number}: time ${v[0]} ms does not increase`);
    const label = (f[7] ?? '').trim();
    if (label) {
      const [kind, direction, first] = label.split(/\s+/);
      if (kind !== 'contact' || !DIRECTIONS.has(direction) || !FIRSTS.has(first)) {
        // (cut off inside its label: left out as any cut line, its sample with it)
        if (mayBeCut && isLast) {
          cutLine = lines.number;
          break;
        }
        throw new RecordingFormatError(`${source}: line ${lines.number}: unknown label "${label}" (expected "contact forward|backward heel|flat|toe|unknown")`);
      }
      contacts.push({ t_ms: v[0], direction: direction as LabelledContact['direction'], first: first as LabelledContact['first'] });
    }
    t.push(v[0]);
    if (f.length === 7) rows7++;
    else rows8++;
    for (let k = 1; k < 7; k++) s.push(v[k]);
  }
  const n = t.length;
  const t_ms = t.values.slice(0, n);
  const samples = s.values.subarray(0, 6 * n);
  if (n < 2) throw new RecordingFormatError(`${source}: ${n ? 'only one sample: a recording needs two or more' : 'no samples'}`);
  // (a rate_hz that is no rate was taken as it stood, "-5 Hz" or "Infinity" in a file too short to check it
  // against its samples, and decides whether replay averages: said instead)
  const stated_hz = Number(meta.rate_hz);
  if (meta.rate_hz !== undefined && !(DECIMAL.test(meta.rate_hz) && stated_hz >= SAMPLED_HZ_RANGE[0] && stated_hz <= SAMPLED_HZ_RANGE[1])) throw new RecordingFormatError(`${source}: rate_hz=${meta.rate_hz} in its metadata is not a sample rate (an IMU's, ${SAMPLED_HZ_RANGE[0]}-${SAMPLED_HZ_RANGE[1]} Hz): correct it, or take it out`);
  // the rate the samples come at: the median interval, the lower of two middle ones (lost samples only lengthen
  // intervals)
  const gaps = new Float64Array(n - 1);
  for (let k = 1; k < n; k++) gaps[k - 1] = t_ms[k] - t_ms[k - 1];
  gaps.sort();
  const sampled_hz = 1000 / gaps[(gaps.length - 1) >> 1];
  const apart = `its samples come ${Number(gaps[(gaps.length - 1) >> 1].toPrecision(3))} ms apart (${Number(sampled_hz.toPrecision(3))} Hz)`;
  if (sampled_hz > SAMPLED_HZ_RANGE[1]) throw new RecordingFormatError(`${source}: ${apart}, faster than an IMU samples: t_ms is in milliseconds; times in seconds read so (multiply them by 1000)`);
  if (sampled_hz < SAMPLED_HZ_RANGE[0]) throw new RecordingFormatError(`${source}: ${apart}, slower than an IMU samples a walk: t_ms is in milliseconds; times in microseconds read so (divide them by 1000)`);
  const rate_hz = stated_hz || Math.round(sampled_hz);
  // (a stated rate the samples do not come at would decide wrongly whether replay averages down to the pod's
  // rate; a few samples tell too little to refuse it)
  if (meta.rate_hz !== undefined && gaps.length >= RATE_CHECK_MIN_INTERVALS && Math.abs(rate_hz / sampled_hz - 1) > RATE_TOLERANCE) throw new RecordingFormatError(`${source}: rate_hz=${meta.rate_hz} in its metadata, but its samples come at ${sampled_hz.toFixed(1)} Hz: correct it, or take it out`);
  const acc = sortedMagnitudes(samples, 0);
  const g = acc[(acc.length - 1) >> 1];
  if (!(g >= MEDIAN_G_RANGE[0] && g <= MEDIAN_G_RANGE[1])) {
    const unit = Math.abs(g / G_MS2 - 1) < 0.3 ? '; these look like m/s²: divide them by 9.81' : '';
    throw new RecordingFormatError(`${source}: its accelerometer's median is ${Number(g.toPrecision(3))}, where a foot's is about 1 g: ax_g, ay_g and az_g are in g${unit}`);
  }
  const gyro = sortedMagnitudes(samples, 3);
  const [acc99, gyro99] = [acc, gyro].map((m) => m[Math.floor(0.99 * (m.length - 1))]);
  if (acc99 > WALK_G && gyro99 < TURNING_DPS) {
    const unit = gyro99 * DEG_PER_RAD > 100 && gyro99 * DEG_PER_RAD < 1000 ? `; these look like rad/s: multiply them by ${DEG_PER_RAD.toFixed(1)}` : '';
    throw new RecordingFormatError(`${source}: its gyro reads ${Number(gyro99.toPrecision(3))} (99th percentile) though its accelerometer shows a walk, where a foot turns at hundreds of degrees/s: gx_dps, gy_dps and gz_dps are in degrees/s${unit}`);
  }
  return { meta, t_ms, samples: Float32Array.from(samples), contacts, rate_hz, ...(cutLine ? { cutLine } : {}) };
}

/** The magnitudes of the three values at `at` in each sample (0 the accelerometer, 3 the gyro), sorted. */
function sortedMagnitudes(s: Float64Array, at: number): Float64Array {
  const m = new Float64Array(s.length / 6);
  for (let k = at, j = 0; k + 2 < s.length; k += 6, j++) m[j] = Math.hypot(s[k], s[k + 1], s[k + 2]);
  return m.sort();
}
