/** `retrostep replay`'s work: a recording through the shared engine, a per-stride table and accuracy against its labels. */
import { constants } from 'node:buffer';
import fs from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { RAW_RATE_HZ } from '../../../shared/protocol/raw.js';
import { InputError } from '../errors.js';
import { refuseBeforeRead, statIfThere } from '../file-stat.js';
import { SQLITE_HEADER } from '../store/db.js';
import { parseRecording, type Recording, RecordingFormatError } from './recording.js';
import { resampleByAveraging } from './resample.js';
import type { Calibration } from '../../../shared/gait/engine.js';
import { type EngineContact, runEngine } from './run.js';
import { labelsAreContactTimes, matchWindowFor, percentile, type Score, scoreEveryStep } from './score.js';
import { findSwings, unlabelledSwings } from './swings.js';

/**
 * The pod samples at RAW_RATE_HZ (52). A recording taken faster is averaged down to it before the engine sees
 * it, as the pod's IMU would have given it (each sample the mean of its period): replay says what the pod would
 * have counted. The engine is built and measured at 52 and 26 Hz; fed the samples as recorded, it counts fewer
 * (shoe-nav at 104 Hz 754 and at 200 Hz 747 of 780 strides, against 774 at 52 Hz: docs/decisions.md, "Replay
 * at the pod's rate"). --native-rate feeds them as recorded. A recording within a quarter of the pod's rate, or
 * slower, is replayed as it is.
 */
const POD_RATE_HZ = RAW_RATE_HZ;
const AVERAGE_ABOVE_HZ = 1.25 * POD_RATE_HZ;

export interface ReplayOptions {
  /** feed the engine the samples as recorded, not averaged to the pod's rate */
  nativeRate?: boolean;
  /** which way the recording's first walk went (default: the metadata's first_walk, else forward) */
  firstWalk?: 'forward' | 'backward';
}

/**
 * The pod learns how it sits from its first run of strides, taken as forward (the user is asked to walk forward
 * first): walking is mirror-like either way, so a walk that went backward first is learnt the wrong way round, and
 * every stride after it read so. A recording that starts backward says so (first_walk=backward, or
 * --first-walk backward): the mount is learnt from it as the pod would, its toe axis turned round, and the
 * recording replayed from the start with that mount.
 */
function mountFor(t_ms: ArrayLike<number>, samples: ArrayLike<number>, firstWalk: 'forward' | 'backward'): Calibration | null {
  if (firstWalk === 'forward') return null;
  let learnt: Calibration | null = null;
  runEngine(t_ms, samples, { onMount: (c) => (learnt = c) });
  const m = learnt as Calibration | null;
  if (!m) throw new InputError('the recording has no walk to learn the mount from, so --first-walk backward cannot be applied');
  return { up: m.up.slice(), toe: m.toe.map((x) => -x) };
}

export interface ReplayResult {
  file: string;
  rate_hz: number;
  /** the rate the engine was fed: the recording's, or POD_RATE_HZ when it was averaged down */
  engine_rate_hz: number;
  duration_s: number;
  contacts: EngineContact[];
  /** only when the recording has labels: every step, the swings the labels leave out included */
  score: (Score & { unlabelled: number; unlabelled_found: number; labelled_matched: number }) | null;
  /** where the labels' times come from (metadata contact_times); a latency only for motion capture */
  label_times: string;
  /** the file's last line, cut off part way and left out (a recording stopped mid-write): its number */
  cut_line: number | null;
  /** which way the first walk was taken to go, and who said so: the option, the metadata, or nobody (the pod's assumption) */
  first_walk: { way: 'forward' | 'backward'; from: 'option' | 'metadata' | 'assumed' };
  wall_ms: number;
}

/** How far into a file its kind is looked for: every kind below says so in its first bytes. */
const KIND_BYTES = 512;

/**
 * What a file given to replay is when it is plainly no recording: the other files retrostep writes or keeps (its
 * database, export's FIT and JSON, report's page), or any binary file (the virtual pod's state). Each was told
 * "line 1 should be the header", as if its first line were a recording's to correct.
 */
function otherKind(bytes: Buffer): string | null {
  const head = bytes.subarray(0, KIND_BYTES);
  const text = head.toString('latin1');
  if (text.startsWith(SQLITE_HEADER)) return 'an SQLite database (the minutes `retrostep sync` stores)';
  // (a FIT file's header carries ".FIT" at byte 8)
  if (text.slice(8, 12) === '.FIT') return 'a FIT activity (`retrostep export --format fit`)';
  if (/^\s*<(!doctype html|html)/i.test(text)) return 'a web page (`retrostep report`?)';
  if (/^\s*[{[]/.test(text)) return 'JSON (`retrostep export --format json`?)';
  if (head.includes(0)) return 'a binary file';
  return null;
}

/**
 * The largest file replay reads (bytes), checked before it reads any: a recording is about 50 bytes a sample (the
 * fixtures' lines are 49-53). The largest plausible one: a day's wear (16 h) at the pod's 52 Hz is 150 MB, 8 h at
 * 204.8 Hz (gaitmap's, the fastest real recordings here) 280 MB; at the top of the rates the format takes (10 kHz,
 * recording.ts SAMPLED_HZ_RANGE) an hour is 1.8 GB, more than replay can hold: it reads a recording as one string,
 * and Node's strings hold at most this many characters (512 MiB; a file of as many bytes has no more). So the cap is
 * that: 60 h at 52 Hz, 15 h at 204.8 Hz. A bigger file was read whole (seconds, gigabytes) to fail after.
 */
export const MAX_RECORDING_BYTES = constants.MAX_STRING_LENGTH;
/**
 * Node's heap replay needs for each byte of a recording, and beside it (MB): measured (twenty-ninth session, the
 * 2 x 20 m walk repeated to 100 and 300 MB, under `node --max-old-space-size`) a 100 MB recording replayed in a heap
 * of 224 MB and not of 208, a 300 MB one in 560 and not 496 (V8's heap_size_limit, which counts its young
 * generation's 48 MB, where a string this size never lives); in less, V8's "heap out of memory" and a stack trace.
 * Twice the file and 64 MB beside it: 264 and 664 MB for those two. With Node's default heap (a quarter to a half
 * of the machine's memory) only a machine under about 2 GB meets it below MAX_RECORDING_BYTES.
 */
const HEAP_BYTES_PER_RECORDING_BYTE = 2;
const HEAP_BESIDE_RECORDING_MB = 64;

/**
 * A path replay cannot read as a recording, refused before it is opened: a device, a pipe, a socket, or a file over
 * MAX_RECORDING_BYTES (file-stat.ts refuseBeforeRead).
 */
function refuseUnreadable(file: string): void {
  const st = statIfThere(file);
  if (!st) throw new InputError(`no such file: ${file}`);
  const heap_bytes = getHeapStatistics().heap_size_limit;
  const heldBytes = Math.max(0, Math.floor((heap_bytes - HEAP_BESIDE_RECORDING_MB * 2 ** 20) / HEAP_BYTES_PER_RECORDING_BYTE));
  refuseBeforeRead(file, st, {
    reads: 'replay reads a recording saved in a file',
    maxBytes: Math.min(MAX_RECORDING_BYTES, heldBytes),
    tooBig: (max) =>
      heldBytes < MAX_RECORDING_BYTES
        ? `more than replay can hold in this machine's memory (${max}, in Node's ${Math.round(heap_bytes / 2 ** 20)} MB heap): cut it into shorter recordings, or give Node more (NODE_OPTIONS=--max-old-space-size=${Math.ceil((st.size * HEAP_BYTES_PER_RECORDING_BYTE) / 2 ** 20) + HEAP_BESIDE_RECORDING_MB})`
        : `more than replay can read (${max}, 15 hours at 204.8 Hz): cut it into shorter recordings`,
  });
}

function loadRecording(file: string): Recording {
  let text: string;
  try {
    refuseUnreadable(file);
    const bytes = fs.readFileSync(file);
    // (gzip's magic number: a compressed recording was told only what a recording's header is)
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new InputError(`${file} is compressed (gzip): replay reads the CSV itself: gunzip it first`);
    const kind = otherKind(bytes);
    if (kind) throw new InputError(`${file} is ${kind}, not a recording: replay reads the raw samples \`retrostep record\` writes (CSV)`);
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `no such file: ${file}` : code === 'EISDIR' ? `${file} is a folder, not a recording` : `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return parseRecording(text, file);
  } catch (e) {
    if (e instanceof RecordingFormatError) throw new InputError(e.message);
    throw e;
  }
}

export function replayFile(file: string, options: ReplayOptions = {}): ReplayResult {
  const rec = loadRecording(file);
  const average = !options.nativeRate && rec.rate_hz > AVERAGE_ABOVE_HZ;
  const fed = average ? resampleByAveraging(rec.t_ms, rec.samples, POD_RATE_HZ) : rec;
  const firstWalk = options.firstWalk ?? firstWalkOf(rec.meta.first_walk);
  const firstWalkFrom = options.firstWalk ? 'option' : rec.meta.first_walk ? 'metadata' : 'assumed';
  const t0 = performance.now();
  const contacts = runEngine(fed.t_ms, fed.samples, { calibration: mountFor(fed.t_ms, fed.samples, firstWalk) });
  const wall_ms = performance.now() - t0;
  const window = matchWindowFor(rec.meta);
  // steps the labels leave out (starting, turning, stopping) are steps too: found from the gyro alone
  const unlabelled = rec.contacts.length > 0 ? unlabelledSwings(findSwings(rec.t_ms, rec.samples), rec.contacts, window.before_ms) : [];
  return {
    file,
    rate_hz: rec.rate_hz,
    engine_rate_hz: average ? POD_RATE_HZ : rec.rate_hz,
    duration_s: (rec.t_ms[rec.t_ms.length - 1] - rec.t_ms[0]) / 1000,
    contacts,
    score: rec.contacts.length > 0 ? scoreEveryStep(rec.contacts, unlabelled, contacts, window) : null,
    label_times: rec.meta.contact_times ?? 'motion-capture',
    cut_line: rec.cutLine ?? null,
    first_walk: { way: firstWalk, from: firstWalkFrom },
    wall_ms,
  };
}

function firstWalkOf(v: string | undefined): 'forward' | 'backward' {
  if (v === undefined || v === 'forward' || v === 'backward') return v ?? 'forward';
  throw new InputError(`first_walk=${v} in the recording's metadata: forward or backward`);
}

export function formatReplay(r: ReplayResult): string {
  const rate = r.engine_rate_hz === r.rate_hz ? `${r.rate_hz} Hz` : `${r.rate_hz} Hz, averaged to ${r.engine_rate_hz} Hz as the pod samples (--native-rate: as recorded)`;
  const lines = [`${r.file}: ${r.duration_s.toFixed(1)} s at ${rate}, ${r.contacts.length} strides`];
  if (r.cut_line !== null) lines.push(`its last line (${r.cut_line}) is cut off part way: left out, the rows before it replayed`);
  // a recording that starts backward is read the wrong way round unless it says so: say what was assumed
  if (r.first_walk.from === 'assumed' && r.contacts.length > 0) lines.push('directions: its first walk taken as forward, as the pod asks of its user (one that starts walking backward: --first-walk backward)');
  // (a recording with no stride in it, a pod left standing: an empty table's header said nothing of it)
  if (r.contacts.length === 0) lines.push('', `no strides: the gait engine found none in the recording's ${r.duration_s.toFixed(1)} s`);
  // (cadence in steps/min; the first stride of a walk has none: "-", not 0)
  else lines.push('', '   t (s)  direction  first  pitch (deg)  stride (m)  steps/min  wrong');
  for (const c of r.contacts) {
    lines.push(`${(c.t_ms / 1000).toFixed(2).padStart(8)}  ${c.direction.padEnd(9)}  ${c.first.padEnd(5)}  ${c.pitch_deg.toFixed(1).padStart(11)}  ${c.stride_m.toFixed(2).padStart(10)}  ${(c.cadence_spm > 0 ? String(Math.round(c.cadence_spm)) : '-').padStart(9)}  ${c.wrong ? 'yes' : ''}${c.calibrated ? '' : '  (learning the mount)'}`);
  }
  if (r.score) {
    const s = r.score;
    const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
    lines.push('', `every step: ${s.matched} of ${s.truth} found, ${s.extra} extra`);
    if (s.unlabelled > 0) lines.push(`  of which ${s.unlabelled} swings the labels leave out (starting, turning, stopping; found from the gyro): ${s.unlabelled_found} counted`);
    lines.push(`  direction ${pct(s.direction_correct, s.labelled_matched)}, first contact ${s.first_labelled ? pct(s.first_correct, s.first_labelled) : 'not labelled'}`);
    const lat = `median ${percentile(s.latencies_ms, 50).toFixed(0)} ms, 95th percentile of |latency| ${percentile(s.latencies_ms.map(Math.abs), 95).toFixed(0)} ms`;
    if (labelsAreContactTimes(r.label_times)) lines.push(`  latency ${lat}`);
    else lines.push(`  time from the labels ${lat} (their times come from ${r.label_times}, not the foot touching down: not a latency)`);
  }
  lines.push(`replayed at ${(r.duration_s / Math.max(r.wall_ms / 1000, 1e-6)).toFixed(0)} x real time`);
  return lines.join('\n');
}
