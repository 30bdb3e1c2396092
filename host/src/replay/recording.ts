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

export interface LabelledContact {
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
}

export class RecordingFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingFormatError';
  }
}

const DIRECTIONS = new Set(['forward', 'backward']);
const FIRSTS = new Set(['heel', 'flat', 'toe', 'unknown']);

export function parseRecording(text: string, source = 'recording'): Recording {
  const lines = text.split(/\r?\n/);
  const meta: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length && lines[i].startsWith('#'); i++) {
    for (const m of lines[i].matchAll(/(\w+)=(\S+)/g)) meta[m[1]] = m[2];
  }
  if (i >= lines.length || lines[i].trim() !== RECORDING_HEADER) {
    throw new RecordingFormatError(`${source}: line ${i + 1} should be the header "${RECORDING_HEADER}"`);
  }
  const t: number[] = [];
  const s: number[] = [];
  const contacts: LabelledContact[] = [];
  for (i++; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(',');
    if (f.length < 7 || f.length > 8) throw new RecordingFormatError(`${source}: line ${i + 1} has ${f.length} fields, expected 7 or 8`);
    const v = f.slice(0, 7).map(Number);
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new RecordingFormatError(`${source}: line ${i + 1}: "${f[bad]}" is not a number`);
    if (t.length > 0 && v[0] <= t[t.length - 1]) throw new RecordingFormatError(`${source}: line ${i + 1}: time ${v[0]} ms does not increase`);
    t.push(v[0]);
    for (let k = 1; k < 7; k++) s.push(v[k]);
    const label = (f[7] ?? '').trim();
    if (label) {
      const [kind, direction, first] = label.split(/\s+/);
      if (kind !== 'contact' || !DIRECTIONS.has(direction) || !FIRSTS.has(first)) {
        throw new RecordingFormatError(`${source}: line ${i + 1}: unknown label "${label}" (expected "contact forward|backward heel|flat|toe|unknown")`);
      }
      contacts.push({ t_ms: v[0], direction: direction as LabelledContact['direction'], first: first as LabelledContact['first'] });
    }
  }
  if (t.length < 2) throw new RecordingFormatError(`${source}: no samples`);
  const rate_hz = Number(meta.rate_hz) || Math.round((1000 * (t.length - 1)) / (t[t.length - 1] - t[0]));
  return { meta, t_ms: Float64Array.from(t), samples: Float32Array.from(s), contacts, rate_hz };
}
