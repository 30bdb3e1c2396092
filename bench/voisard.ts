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
import type { TruthContact } from '../host/src/replay/score.js';

export const VOISARD_DIR = path.resolve('../shared/data/voisard-dev');
export const VOISARD_RATE_HZ = 100;
const GRAVITY_MPS2 = 9.80665;
const DEG_PER_RAD = 180 / Math.PI;

export type StepPlace = 'first' | 'straight' | 'turn' | 'last' | 'after';
export const STEP_PLACES: StepPlace[] = ['first', 'straight', 'turn', 'last', 'after'];

export interface PlacedContact extends TruthContact {
  place: StepPlace;
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
}

export function voisardAvailable(dir = VOISARD_DIR): boolean {
  return fs.existsSync(path.join(dir, '1-1.json'));
}

interface TrialMeta {
  TrialBoundaries: [number, number];
  UTurnBoundaries: [number, number];
  LeftFootEvents: [number, number][];
  RightFootEvents: [number, number][];
}

/** The sensor file as recorded: 100 Hz, acc in g, gyro in dps. */
function readSensor(file: string): { t_ms: Float64Array; samples: Float32Array } {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  if (!/100 Hz/.test(lines[0])) throw new Error(`${file}: expected "Acquisition frequency: 100 Hz" on line 1`);
  const head = lines[1].split('\t');
  const col = ['Acc_X', 'Acc_Y', 'Acc_Z', 'Gyr_X', 'Gyr_Y', 'Gyr_Z'].map((h) => head.indexOf(h));
  if (col.some((c) => c < 0)) throw new Error(`${file}: missing Acc_/Gyr_ columns`);
  const rows = lines.slice(2).filter((l) => l.trim() !== '');
  const t_ms = new Float64Array(rows.length);
  const samples = new Float32Array(rows.length * 6);
  rows.forEach((row, i) => {
    const f = row.split('\t');
    t_ms[i] = (i * 1000) / VOISARD_RATE_HZ;
    for (let a = 0; a < 6; a++) samples[6 * i + a] = Number(f[col[a]]) * (a < 3 ? 1 / GRAVITY_MPS2 : DEG_PER_RAD);
  });
  return { t_ms, samples };
}

function placedContacts(meta: TrialMeta, foot: 'left' | 'right'): PlacedContact[] {
  const events = (foot === 'left' ? meta.LeftFootEvents : meta.RightFootEvents).slice().sort((a, b) => a[1] - b[1]);
  const [turnA, turnB] = meta.UTurnBoundaries;
  const end = meta.TrialBoundaries[1];
  // the last step into standing ends the trial; steps after it (walking off, shuffling into place) are annotated too
  const last = events.reduce((k, e, i) => (e[1] <= end ? i : k), -1);
  return events.map(([toeOff, strike], i) => {
    const place: StepPlace = i === 0 ? 'first' : i === last ? 'last' : i > last ? 'after' : toeOff <= turnB && strike >= turnA ? 'turn' : 'straight';
    return { t_ms: (strike * 1000) / VOISARD_RATE_HZ, direction: 'forward', first: 'heel', place };
  });
}

/** Every recording of the set at rate_hz (100: as recorded). */
export function loadVoisard(rate_hz: number, dir = VOISARD_DIR): VoisardRecording[] {
  const out: VoisardRecording[] = [];
  const trials = fs.readdirSync(dir).filter((f) => /^\d+-\d+\.json$/.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const json of trials) {
    const trial = json.replace('.json', '');
    // four files write NaN for a missing weight, which JSON does not allow
    const meta = JSON.parse(fs.readFileSync(path.join(dir, json), 'utf8').replace(/\bNaN\b/g, 'null')) as TrialMeta;
    for (const foot of ['left', 'right'] as const) {
      const name = `${trial}_${foot === 'left' ? 'lf' : 'rf'}`;
      const raw = readSensor(path.join(dir, `${name}.txt`));
      const { t_ms, samples } = rate_hz === VOISARD_RATE_HZ ? raw : resampleByAveraging(raw.t_ms, raw.samples, rate_hz);
      out.push({ name, subject: Number(trial.split('-')[0]), foot, t_ms, samples, contacts: placedContacts(meta, foot) });
    }
  }
  return out;
}
