/**
 * What the simulated pod's IMU (an LSM6DS3) outputs for the true motion: the
 * mean of the signal over each sample period (its low-pass filter before it
 * decimates to the output rate), the session's gain and offsets
 * (sensorErrorsFor), white noise at the sample rate's bandwidth and a slowly
 * wandering gyro bias (createImuNoise). Apart from the walker (walker.ts)
 * because the non-walking motions (motions.ts) pass their signal through the
 * same sensor.
 */
import { gaussian, uniform } from './random.js';

/** LSM6DS3TR-C noise density (datasheet table 3, high-performance mode). */
const ACC_NOISE_g_per_rtHz = 90e-6;
const GYRO_NOISE_dps_per_rtHz = 5e-3;
/**
 * A real sensor, per session (drawn from the seed, uniform within these): the accelerometer's gain reads
 * 1 g as 0.94-1.06 g (real sensors here read 0.975-1.10 g at rest: gaitmap, voisard; the LSM6DS3's
 * sensitivity tolerance adds to its zero-g offset), a zero-g offset of up to +-60 mg on each axis
 * (datasheet +-40 mg typical, more after soldering and with temperature) and a zero-rate offset of up
 * to +-1 dps (datasheet typical after trim).
 */
const ACC_SCALE_SPREAD = 0.06;
const ACC_OFFSET_G = 0.06;
const GYRO_OFFSET_DPS = 1;
/** Gyro bias random walk (dps per sqrt(s)): temperature drift over minutes. */
const GYRO_DRIFT_DPS_PER_RTS = 0.01;

/**
 * What the sensor outputs at t_ms: the mean of the signal over the sample
 * period ending there, taken every step_ms. The LSM6DS3 low-pass filters
 * (bandwidth about ODR/2) before it decimates to the output rate; reading
 * the simulated signal at single instants instead aliases impacts and fast
 * rotations that the real part smooths, most at 26 Hz. The gaitmap fixtures
 * are resampled the same way.
 */
export function meanOverSamplePeriod(at: (t_ms: number, out: Float64Array) => void, t_ms: number, rate_hz: number, step_ms: number, out: Float64Array, sub: Float64Array): void {
  const n = Math.max(1, Math.round(1000 / rate_hz / step_ms));
  const h = 1000 / rate_hz / n;
  for (let k = 0; k < 6; k++) out[k] = 0;
  for (let j = 0; j < n; j++) {
    at(t_ms - j * h, sub);
    for (let k = 0; k < 6; k++) out[k] += sub[k];
  }
  for (let k = 0; k < 6; k++) out[k] /= n;
}

/** How a session's sensor errs (see ACC_SCALE_SPREAD and friends). */
export interface SensorErrors {
  /** what the accelerometer reads for 1 g */
  accScale: number;
  /** zero-g offset per axis, g; zero-rate offset per axis, dps */
  accOffset_g: [number, number, number];
  gyroOffset_dps: [number, number, number];
}

/** The sensor errors a seed gives (a generator of their own: the walk's own draws stay as they were). */
export function sensorErrorsFor(seed: number): SensorErrors {
  const r = uniform(seed * 7919 + 5);
  const u = (a: number) => a * (2 * r() - 1);
  return { accScale: 1 + u(ACC_SCALE_SPREAD), accOffset_g: [u(ACC_OFFSET_G), u(ACC_OFFSET_G), u(ACC_OFFSET_G)], gyroOffset_dps: [u(GYRO_OFFSET_DPS), u(GYRO_OFFSET_DPS), u(GYRO_OFFSET_DPS)] };
}

/**
 * What the LSM6DS3 adds to the true signal: the session's gain and offsets
 * (sensorErrorsFor), white noise at the sample rate's bandwidth and a slowly
 * wandering gyro bias. Returns a function that applies them to a sample in place.
 */
export function createImuNoise(seed: number): (t_ms: number, rate_hz: number, out: Float64Array) => void {
  const ng = gaussian(seed * 7 + 3);
  const e = sensorErrorsFor(seed);
  const drift = [0, 0, 0];
  let drift_t_ms = 0;
  return (t_ms, rate_hz, out) => {
    const bw = Math.sqrt(rate_hz / 2);
    const dts = Math.max(0, t_ms - drift_t_ms) / 1000;
    drift_t_ms = t_ms;
    for (let k = 0; k < 3; k++) drift[k] += GYRO_DRIFT_DPS_PER_RTS * Math.sqrt(dts) * ng();
    for (let k = 0; k < 3; k++) out[k] = out[k] * e.accScale + e.accOffset_g[k] + ACC_NOISE_g_per_rtHz * bw * ng();
    for (let k = 3; k < 6; k++) out[k] += e.gyroOffset_dps[k - 3] + drift[k - 3] + GYRO_NOISE_dps_per_rtHz * bw * ng();
  };
}
