/**
 * The shoe-nav recordings (../shared/data/shoe-nav-mit, MIT, see its
 * README): one walker, a LORD 3DM-GX5-25 on the shoe, 13 hallway walks of
 * 780 strides at 1.0-2.2 m/s, with footprints measured on the floor. Read
 * from ../shared (31 MB, not copied into the project) and converted the way
 * the pod would sense it: g and deg/s, averaged down to the pod's rate.
 *
 * Labels: the last sample of each stance before the foot lifts (from a
 * zero-velocity detector, corrected by hand), on a 200 Hz grid. Stride k
 * (1..N) is the swing after label k-1, the landing on footprint k and its
 * stance up to label k; the last label is the recording's end. Each stride
 * holds one ground contact of this foot: that is what is scored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resampleByAveraging } from '../host/src/replay/resample.js';

export const SHOE_NAV_DIR = path.resolve('../shared/data/shoe-nav-mit');
/** The column prefix of the sensor's channels in the SensorConnect export. */
const PREFIX = 'inertial-6253.76535:';
/** The stride indices count samples on a 200 Hz grid (recordings at 250 Hz were resampled to it to annotate them). */
const LABEL_GRID_HZ = 200;
const G_MPS2 = 9.80665;
/**
 * This sensor's gyro stops at ~511 deg/s an axis (the README's "8.7-8.9 rad/s", the highest value in all 13
 * files): a sample at or over this is clipped. The pod's LSM6DS3 is set to 2,000 deg/s.
 */
export const SHOE_NAV_GYRO_CLIP_DPS = 490;
const DEG_PER_RAD = 180 / Math.PI;

export interface ShoeNavRecording {
  name: string;
  t_ms: Float64Array;
  /** n x 6 interleaved: acc g x y z, gyro dps x y z */
  samples: Float32Array;
  /** label times (ms): the stance ends; strides are the spans between consecutive ones */
  labels_ms: number[];
  /** times (ms) of the native samples with a gyro axis at the sensor's limit (SHOE_NAV_GYRO_CLIP_DPS) */
  clipped_ms: number[];
}

export function shoeNavAvailable(): boolean {
  return fs.existsSync(path.join(SHOE_NAV_DIR, 'data/own'));
}

/**
 * One export, at its native rate. Time from the row number, not the Time column (recording 40's jitters by
 * up to 8 ms; the rows are evenly spaced), the rate from the column set: 200 Hz in g for 31-40, 250 Hz in
 * m/s^2 for 42-45.
 */
function readImu(file: string): { rate_hz: number; t_ms: Float64Array; samples: Float32Array } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const head = lines[0].trim().split(',');
  const col = (name: string): number => head.indexOf(PREFIX + name);
  const inG = col('scaledAccelX') >= 0;
  const acc = (inG ? ['scaledAccelX', 'scaledAccelY', 'scaledAccelZ'] : ['estCompensatedAccelX', 'estCompensatedAccelY', 'estCompensatedAccelZ']).map(col);
  const gyro = (inG ? ['scaledGyroX', 'scaledGyroY', 'scaledGyroZ'] : ['estAngularRateX', 'estAngularRateY', 'estAngularRateZ']).map(col);
  if ([...acc, ...gyro].some((c) => c < 0)) throw new Error(`${file}: not a SensorConnect export this reader knows`);
  const rate_hz = inG ? 200 : 250;
  const rows = lines.slice(1).filter((l) => l.trim() !== '');
  const t_ms = new Float64Array(rows.length);
  const samples = new Float32Array(rows.length * 6);
  const accScale = inG ? 1 : 1 / G_MPS2;
  rows.forEach((l, i) => {
    const v = l.split(',');
    t_ms[i] = (i * 1000) / rate_hz;
    for (let k = 0; k < 3; k++) {
      samples[i * 6 + k] = Number(v[acc[k]]) * accScale;
      samples[i * 6 + 3 + k] = Number(v[gyro[k]]) * DEG_PER_RAD;
    }
  });
  return { rate_hz, t_ms, samples };
}

export function loadShoeNav(rate_hz: number, dir = SHOE_NAV_DIR): ShoeNavRecording[] {
  const own = path.join(dir, 'data/own');
  const out: ShoeNavRecording[] = [];
  for (const f of fs.readdirSync(own).filter((n) => /^SensorConnectData_\d+\.csv$/.test(n)).sort()) {
    const id = f.match(/\d+/)![0];
    const strideFile = path.join(dir, 'data/LLIO_training_data', `SensorConnectData_${id}_strideIndex_timestamp_gcpX_gcpY.csv`);
    if (!fs.existsSync(strideFile)) continue;
    const imu = readImu(path.join(own, f));
    const labels_ms = fs
      .readFileSync(strideFile, 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => (Number(l.split(',')[0]) * 1000) / LABEL_GRID_HZ);
    const clipped_ms: number[] = [];
    for (let i = 0; i < imu.t_ms.length; i++) {
      for (let k = 3; k < 6; k++) if (Math.abs(imu.samples[i * 6 + k]) >= SHOE_NAV_GYRO_CLIP_DPS) clipped_ms.push(imu.t_ms[i]);
    }
    const r = resampleByAveraging(imu.t_ms, imu.samples, rate_hz);
    out.push({ name: id, t_ms: r.t_ms, samples: r.samples, labels_ms, clipped_ms });
  }
  return out;
}

/**
 * Contacts against strides: a stride with at least one contact in it is found; every further contact in a
 * stride, and any before the first label (the foot standing before the walk), is extra.
 */
export function scoreStrides(labels_ms: number[], contacts_ms: number[], clipped_ms: number[] = []): { strides: number; found: number; extra: number; missedClipped: number } {
  let found = 0, extra = 0, missedClipped = 0;
  const inStride = (k: number) => (t: number) => t > labels_ms[k - 1] && t <= labels_ms[k];
  for (const t of contacts_ms) if (t <= labels_ms[0]) extra++;
  for (let k = 1; k < labels_ms.length; k++) {
    const n = contacts_ms.filter(inStride(k)).length;
    if (n > 0) found++;
    else if (clipped_ms.some(inStride(k))) missedClipped++;
    extra += Math.max(0, n - 1);
  }
  return { strides: labels_ms.length - 1, found, extra, missedClipped };
}
