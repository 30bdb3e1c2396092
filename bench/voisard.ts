/**
 * The real development set ../shared/data/voisard-dev (Voisard et al., IPOL
 * 2023; AGPL-3.0, so it is read from beside the project, never copied into
 * it): 9 people, 52 trials of "stand, walk 10 m, U-turn, walk back, stop",
 * an Xsens sensor on the top of each foot at 100 Hz, every step annotated.
 *
 * Each recording is converted the way the pod would sense it: m/s^2 -> g,
 * rad/s -> dps, sensor axes as mounted, and averaged down to the pod's rate
 * (resampleByAveraging: the IMU's own low-pass before decimation). Each
 * annotated step ([toe-off, heel strike] sample pair of this foot) becomes a
 * labelled forward heel-first contact at its heel strike, with its place in
 * the trial: the foot's first step off standing, its last step into standing,
 * a step through the U-turn (its swing overlaps UTurnBoundaries), or straight.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resampleByAveraging } from '../host/src/replay/resample.js';
import { firstName } from '../host/src/replay/run.js';
import { type DetectedContact, type TruthContact } from '../host/src/replay/score.js';
import { firstContactOf } from '../shared/gait/contact.js';

export const VOISARD_DIR = path.resolve('../shared/data/voisard-dev');
const VOISARD_RATE_HZ = 100;
const GRAVITY_MPS2 = 9.80665;
const DEG_PER_RAD = 180 / Math.PI;

export type StepPlace = 'first' | 'straight' | 'turn' | 'last' | 'after';
export const STEP_PLACES: StepPlace[] = ['first', 'straight', 'turn', 'last', 'after'];

export interface PlacedContact extends TruthContact {
  place: StepPlace;
  /**
   * Does the sensor show this step at all (labelShown)? False for a labelled swing during which this
   * foot's sensor did not move, or moved less than in the stance on either side of it: the label then
   * sits on the other foot's swing (feet swapped or times shifted in the source), or past the recording.
   * Also false where the wireless sensor lost more than MAX_LOST_FRACTION of the packets around the step
   * (lostNear): the engine never saw it as a pod, which loses no samples, would sense it.
   */
  shown: boolean;
  /**
   * How the foot itself shows it landed (footLanding): its toe-down turn from the labelled contact to
   * foot-flat, classed with the engine's borders. The set's README says every step is heel-first; the
   * foot says otherwise for some (short closing steps, steps in the U-turn set down flat).
   */
  footFirst: 'heel' | 'flat' | 'toe';
  /** the step's toe-off (ms): where it lands played backward (host/src/replay/played-backward.ts) */
  toeOff_ms: number;
  /** packets lost (filled in by readSensor) around the step, LOST_BEFORE_TICKS before its toe-off to LOST_AFTER_TICKS after its strike: no more than MAX_LOST_FRACTION of them */
  intact: boolean;
}

export interface VoisardRecording {
  /** e.g. 3-6_lf */
  name: string;
  subject: number;
  foot: 'left' | 'right';
  t_ms: Float64Array;
  /** n x 6 interleaved: acc_g x,y,z then gyro_dps x,y,z, sensor axes as mounted */
  samples: Float32Array;
  contacts: PlacedContact[];
  /** this recording is the first part of that one, sample for sample (duplicateRecordings): not scored */
  copyOf?: string;
}

export function voisardAvailable(): boolean {
  return fs.existsSync(path.join(VOISARD_DIR, '1-1.json'));
}

interface TrialMeta {
  TrialBoundaries: [number, number];
  UTurnBoundaries: [number, number];
  LeftFootEvents: [number, number][];
  RightFootEvents: [number, number][];
}

/**
 * The sensor file as recorded: 100 Hz, acc in g, gyro in dps, one sample per PacketCounter tick. The
 * sensors are wireless (Xsens MTw Awinda) and lost packets: 80 of the 104 files skip PacketCounter
 * values, 1-9 at a time (10,069 gaps in all, most of them after the trial, but up to ~0.3 s within
 * some trials). The labels count PacketCounter ticks, and a pod's IMU loses no samples, so each row
 * is put at its PacketCounter time and a lost sample is filled in linearly from its neighbours: read
 * row by row, time ran short by every lost packet (labels drifted by up to 0.3 s against the signal,
 * and a swing with lost samples integrated to an attitude tens of degrees off).
 */
function readSensor(file: string): { t_ms: Float64Array; samples: Float32Array; lost: Uint8Array } {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  if (!/100 Hz/.test(lines[0])) throw new Error(`${file}: expected "Acquisition frequency: 100 Hz" on line 1`);
  const head = lines[1].split('\t');
  const col = ['Acc_X', 'Acc_Y', 'Acc_Z', 'Gyr_X', 'Gyr_Y', 'Gyr_Z'].map((h) => head.indexOf(h));
  const pcCol = head.indexOf('PacketCounter');
  if (col.some((c) => c < 0) || pcCol < 0) throw new Error(`${file}: missing PacketCounter, Acc_ or Gyr_ columns`);
  const rows = lines.slice(2).filter((l) => l.trim() !== '').map((l) => l.split('\t'));
  const tick0 = Number(rows[0][pcCol]);
  const n = Number(rows[rows.length - 1][pcCol]) - tick0 + 1;
  const t_ms = new Float64Array(n);
  const samples = new Float32Array(n * 6);
  const lost = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) t_ms[i] = (i * 1000) / VOISARD_RATE_HZ;
  let last = -1;
  for (const f of rows) {
    const i = Number(f[pcCol]) - tick0;
    if (!(i > last && i < n)) throw new Error(`${file}: PacketCounter not increasing at ${f[pcCol]}`);
    for (let a = 0; a < 6; a++) samples[6 * i + a] = Number(f[col[a]]) * (a < 3 ? 1 / GRAVITY_MPS2 : DEG_PER_RAD);
    // lost packets between the last row and this one: linear between the two
    for (let j = last + 1; j < i && last >= 0; j++) for (let a = 0; a < 6; a++) samples[6 * j + a] = samples[6 * last + a] + ((samples[6 * i + a] - samples[6 * last + a]) * (j - last)) / (i - last);
    lost[i] = 0;
    last = i;
  }
  return { t_ms, samples, lost };
}

/**
 * A labelled swing [toe-off, heel strike] (sample indexes at 100 Hz) shows in this foot's gyro (dps,
 * n x 6 interleaved samples at 100 Hz): it lies within the recording, the sensor turned at
 * SHOWN_MIN_DPS or more on average over it (a swing turns the foot at 100-400 dps; a foot standing
 * still, under 5), and at least SHOWN_RATIO of the average over each equally long stretch just before
 * and after it (real swings turn the foot 1.5-2.3 times as fast as those stretches: it is the most
 * active part of the foot's cycle). Checked on the source's own signals, never on the engine.
 */
const SHOWN_MIN_DPS = 20;
const SHOWN_RATIO = 0.5;
function labelShown(samples: ArrayLike<number>, toeOff: number, strike: number): boolean {
  const n = samples.length / 6;
  if (strike >= n) return false;
  const mean = (a: number, b: number) => {
    let s = 0, k = 0;
    for (let i = a < 0 ? 0 : a; i <= b && i < n; i++, k++) s += Math.hypot(samples[6 * i + 3], samples[6 * i + 4], samples[6 * i + 5]);
    return k ? s / k : 0;
  };
  const len = strike - toeOff;
  const swing = mean(toeOff, strike);
  return swing >= SHOWN_MIN_DPS && swing >= SHOWN_RATIO * Math.max(mean(toeOff - len - 1, toeOff - 1), mean(strike + 1, strike + len + 1));
}

/**
 * The foot's pitch axis in the sensor frame (unit, toe-up rotation positive), from the labelled swings
 * alone (100 Hz): the principal axis of the swings' rotation (a foot swings about its pitch axis), signed
 * so that each swing turns the toe up from toe-off to contact (it leaves toe-down, 30-60 deg, and lands
 * toe-up or flat).
 */
function pitchAxis(samples: ArrayLike<number>, events: [number, number][]): number[] {
  const n = samples.length / 6;
  const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const [a, b] of events) for (let i = a; i <= b && i < n; i++) for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m[3 * r + c] += samples[6 * i + 3 + r] * samples[6 * i + 3 + c];
  // power iteration: the largest eigenvector of the rate's second moment
  let v = [1, 1, 1];
  for (let k = 0; k < 50; k++) {
    const w = [0, 1, 2].map((r) => m[3 * r] * v[0] + m[3 * r + 1] * v[1] + m[3 * r + 2] * v[2]);
    const norm = Math.hypot(w[0], w[1], w[2]) || 1;
    v = w.map((x) => x / norm);
  }
  let turn = 0;
  for (const [a, b] of events) for (let i = a; i < b && i < n; i++) turn += samples[6 * i + 3] * v[0] + samples[6 * i + 4] * v[1] + samples[6 * i + 5] * v[2];
  return turn >= 0 ? v : v.map((x) => -x);
}

/**
 * The foot's pitch at a labelled contact (deg, toe up +), from its own gyro (100 Hz): minus the turn
 * about the pitch axis from the contact until the foot is still (under FOOT_STILL_DPS for 3 samples,
 * 0.6 s at most). A heel strike rolls the foot toe-down onto its sole (voisard straight steps: 15-31
 * deg, p10-p90); a foot set down flat does not turn. The contact class then uses the engine's borders.
 */
export const FOOT_STILL_DPS = 30;
function footLanding(samples: ArrayLike<number>, axis: number[], strike: number): number {
  const n = samples.length / 6;
  let turn = 0;
  for (let i = strike, still = 0; i < n && i < strike + 60; i++) {
    const x = samples[6 * i + 3], y = samples[6 * i + 4], z = samples[6 * i + 5];
    if (Math.hypot(x, y, z) < FOOT_STILL_DPS) {
      if (++still >= 3) break;
    } else still = 0;
    turn += (x * axis[0] + y * axis[1] + z * axis[2]) / VOISARD_RATE_HZ;
  }
  return -turn;
}

/**
 * The foot comes to rest at or after from_ms before the recording ends (t_ms, samples: n x 6 at any rate):
 * its gyro under FOOT_STILL_DPS for STILL_RUN_MS, as footLanding asks of a landing. A recording that ends
 * with the foot never still again ends mid-stride (the walker walking off): that stride's toe-off has no
 * strike in the recording, and no label can describe it.
 */
export const STILL_RUN_MS = 30;
export function stillAfter(t_ms: ArrayLike<number>, samples: ArrayLike<number>, from_ms: number): boolean {
  let since_ms = -1;
  for (let i = 0; i < t_ms.length; i++) {
    if (t_ms[i] < from_ms) continue;
    if (Math.hypot(samples[6 * i + 3], samples[6 * i + 4], samples[6 * i + 5]) >= FOOT_STILL_DPS) since_ms = -1;
    else if (since_ms < 0) since_ms = t_ms[i];
    if (since_ms >= 0 && t_ms[i] - since_ms >= STILL_RUN_MS) return true;
  }
  return false;
}

/**
 * The stretch a step is judged on (100 Hz ticks): the stance it leaves from (the engine's reference
 * sits up to ~0.5 s before the toe-off: a heel rise and the calm before it) to the stance it ends in
 * (the stride is decided within 0.3 s of the landing). A label whose stretch lost more than
 * MAX_LOST_FRACTION of its packets is not scored: 5% is a sample lost here and there, which linear
 * filling bridges (found as often as with none lost: 108 of 112 at 52 Hz); stretches that lost more
 * (13 and more of ~90 ticks: 172 of 195 found) are mostly the ends of trials, where the wearer walked
 * away from the receiver and up to 40% of the packets are missing.
 */
const LOST_BEFORE_TICKS = 50;
const LOST_AFTER_TICKS = 30;
export const MAX_LOST_FRACTION = 0.05;

function placedContacts(meta: TrialMeta, foot: 'left' | 'right', samples100: ArrayLike<number>, lost: Uint8Array): PlacedContact[] {
  const events = (foot === 'left' ? meta.LeftFootEvents : meta.RightFootEvents).slice().sort((a, b) => a[1] - b[1]);
  const [turnA, turnB] = meta.UTurnBoundaries;
  const end = meta.TrialBoundaries[1];
  // the last step into standing ends the trial; steps after it (walking off, shuffling into place) are annotated too
  const last = events.reduce((k, e, i) => (e[1] <= end ? i : k), -1);
  const axis = pitchAxis(samples100, events);
  return events.map(([toeOff, strike], i) => {
    const place: StepPlace = i === 0 ? 'first' : i === last ? 'last' : i > last ? 'after' : toeOff <= turnB && strike >= turnA ? 'turn' : 'straight';
    let lostNear = 0;
    for (let k = toeOff - LOST_BEFORE_TICKS; k <= strike + LOST_AFTER_TICKS; k++) if (k >= 0 && k < lost.length && lost[k]) lostNear++;
    const intact = lostNear <= MAX_LOST_FRACTION * (strike - toeOff + LOST_BEFORE_TICKS + LOST_AFTER_TICKS + 1);
    return { t_ms: (strike * 1000) / VOISARD_RATE_HZ, toeOff_ms: (toeOff * 1000) / VOISARD_RATE_HZ, direction: 'forward', first: 'heel', place, shown: intact && labelShown(samples100, toeOff, strike), intact, footFirst: firstName(firstContactOf(footLanding(samples100, axis, strike))) };
  });
}

/** Every recording of the set at rate_hz (100: as recorded). */
export function loadVoisard(rate_hz: number, dir = VOISARD_DIR): VoisardRecording[] {
  const out: VoisardRecording[] = [];
  // (as recorded, for duplicateRecordings: averaging down makes a copy's last sample differ)
  const raws: { name: string; subject: number; foot: string; samples: Float32Array }[] = [];
  const trials = fs.readdirSync(dir).filter((f) => /^\d+-\d+\.json$/.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const json of trials) {
    const trial = json.replace('.json', '');
    // four files write NaN for a missing weight, which JSON does not allow
    const meta = JSON.parse(fs.readFileSync(path.join(dir, json), 'utf8').replace(/\bNaN\b/g, 'null')) as TrialMeta;
    for (const foot of ['left', 'right'] as const) {
      const name = `${trial}_${foot === 'left' ? 'lf' : 'rf'}`;
      const raw = readSensor(path.join(dir, `${name}.txt`));
      const { t_ms, samples } = rate_hz === VOISARD_RATE_HZ ? raw : resampleByAveraging(raw.t_ms, raw.samples, rate_hz);
      out.push({ name, subject: Number(trial.split('-')[0]), foot, t_ms, samples, contacts: placedContacts(meta, foot, raw.samples, raw.lost) });
      raws.push({ name, subject: Number(trial.split('-')[0]), foot, samples: raw.samples });
    }
  }
  const copies = duplicateRecordings(raws);
  for (const r of out) r.copyOf = copies.get(r.name);
  return out;
}

/**
 * Recordings that are another's first part, sample for sample (the same foot of the same subject): the set
 * holds trial 9-3 as the first 22.8 s of 9-4, both feet, with the same annotated events. The same steps
 * taken once would be scored twice; the bench scores the longer recording only. Returns each such
 * recording's name with the name of the one it is part of.
 */
export function duplicateRecordings(recs: { name: string; subject: number; foot: string; samples: ArrayLike<number> }[]): Map<string, string> {
  const out = new Map<string, string>();
  recs.forEach((a, i) => {
    for (let j = 0; j < recs.length; j++) {
      const b = recs[j];
      // (equal lengths: the later one is the copy)
      if (i === j || a.subject !== b.subject || a.foot !== b.foot || a.samples.length > b.samples.length || (a.samples.length === b.samples.length && i < j) || out.has(b.name)) continue;
      let same = true;
      for (let k = 0; k < a.samples.length && same; k++) same = a.samples[k] === b.samples[k];
      if (same) {
        out.set(a.name, b.name);
        break;
      }
    }
  });
  return out;
}

/**
 * The match window for this recording's labels (ms either side): MATCH_FRACTION of the median time
 * between one foot's labelled contacts (~1.1 s: +-0.39 s). The labels come from IMU algorithms checked
 * by hand. Read row by row, their times drifted against the sensors by up to 0.3 s within some
 * recordings: that was the packets the wireless sensors lost (readSensor now puts each sample at its
 * PacketCounter time), and detections are now within 77 ms of their labels (p95, 52 Hz). The window
 * stays under half a stride, so it still ties each detection to one step; at 0.2 of a stride 5 more of
 * 1,592 labels (turning steps, timed on their pivot) are missed at 52 Hz.
 */
const MATCH_FRACTION = 0.35;
export function voisardWindow_ms(contacts: { t_ms: number }[]): number {
  const gaps = contacts.slice(1).map((c, i) => c.t_ms - contacts[i].t_ms).sort((a, b) => a - b);
  return MATCH_FRACTION * (gaps[gaps.length >> 1] ?? 1000);
}

/** Each label matched to the nearest unmatched detection within window_ms: which labels were found, and how many detections were left over. */
export function matchSteps(labels: { t_ms: number }[], detected: DetectedContact[], window_ms: number): { found: Uint8Array; foundBy: DetectedContact[]; extra: number } {
  const found = new Uint8Array(labels.length);
  const foundBy: DetectedContact[] = new Array(labels.length);
  let extra = 0;
  for (const d of detected) {
    let best = -1;
    for (let k = 0; k < labels.length; k++) {
      if (found[k] || Math.abs(labels[k].t_ms - d.t_ms) > window_ms) continue;
      if (best < 0 || Math.abs(labels[k].t_ms - d.t_ms) < Math.abs(labels[best].t_ms - d.t_ms)) best = k;
    }
    if (best < 0) extra++;
    else {
      found[best] = 1;
      foundBy[best] = d;
    }
  }
  return { found, foundBy, extra };
}
