// How late are contact times found by an IMU algorithm, compared with motion capture?
//
// The 4 x 10 m gaitmap fixture's contacts come from gaitmap's event detection
// on the IMU signals (Rampp et al. 2014), not from markers on the foot. On the
// 2 x 20 m walk both exist: this script runs the same rule on that walk's IMU
// data and its hand-labelled strides and compares each initial contact with
// the motion-capture one. The rule, as gaitmap's documentation states it
// (RamppEventDetection; our own code):
//   in each stride, between the largest gyr_ml and 60% of the stride, take
//   the stretch from the steepest fall of gyr_ml to its steepest rise after
//   that; its smallest gyr_ml is the heel-strike candidate; the contact is
//   the largest acc_pa from 80 ms before to 50 ms after the candidate.
// Body frame (gaitmap's sensor-to-body conversion, both feet): gyr_ml = -gyr_y,
// acc_pa = acc_x of imu_sample.csv (already in gaitmap's foot sensor frame).
//
// Run beside a checkout of ../shared: node scripts/gaitmap-ic-lag.mjs
// Printed 2026-11-27: n 56, median 48.8 ms late, 19.5-68.4 ms.
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('../shared/data/gaitmap-example');
const RATE_HZ = 204.8;
const BEFORE_MS = 80;
const AFTER_MS = 50;

const csv = (file) => fs.readFileSync(path.join(SRC, file), 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
const imu = csv('imu_sample.csv');
const rows = imu.slice(2).map((r) => r.map(Number));
const column = (foot, axis) => {
  const c = imu[0].findIndex((s, i) => s === `${foot}_sensor` && imu[1][i] === axis);
  return rows.map((r) => r[c]);
};
const argBest = (v, from, to, better) => {
  let k = from;
  for (let i = from; i < to; i++) if (better(v[i], v[k])) k = i;
  return k;
};

const records = (file) => {
  const [head, ...rest] = csv(file);
  return rest.map((r) => Object.fromEntries(r.map((v, i) => [head[i], v])));
};
const strides = records('stride_borders_sample.csv');
const events = records('stride_events_sample.csv');

const lags_ms = [];
for (const foot of ['left', 'right']) {
  const gyrMl = column(foot, 'gyr_y').map((v) => -v);
  const accPa = column(foot, 'acc_x');
  const found = [];
  for (const s of strides.filter((x) => x.foot === foot)) {
    const start = Number(s.start), end = Number(s.end);
    const g = gyrMl.slice(start, end);
    const grad = g.map((_, i) => (i === 0 ? g[1] - g[0] : i === g.length - 1 ? g[i] - g[i - 1] : (g[i + 1] - g[i - 1]) / 2));
    const top = argBest(g, 0, g.length, (a, b) => a > b);
    const limit = Math.floor(0.6 * g.length);
    if (limit <= top) continue;
    const fall = argBest(grad, top, limit, (a, b) => a < b);
    const rise = argBest(grad, fall, limit, (a, b) => a > b);
    if (rise <= fall) continue;
    const candidate = argBest(g, fall, rise, (a, b) => a < b);
    const from = Math.max(0, candidate - Math.floor((BEFORE_MS / 1000) * RATE_HZ));
    const to = Math.min(g.length, candidate + Math.floor((AFTER_MS / 1000) * RATE_HZ));
    found.push(start + argBest(accPa.slice(start, end), from, to, (a, b) => a > b));
  }
  for (const e of events.filter((x) => x.foot === foot)) {
    const mocap = Number(e.ic);
    const nearest = found.reduce((best, x) => (Math.abs(x - mocap) < Math.abs(best - mocap) ? x : best), Infinity);
    if (Math.abs(nearest - mocap) < 0.2 * RATE_HZ) lags_ms.push(((nearest - mocap) / RATE_HZ) * 1000);
  }
}
lags_ms.sort((a, b) => a - b);
const at = (p) => lags_ms[Math.min(lags_ms.length - 1, Math.floor(p * lags_ms.length))].toFixed(1);
console.log(`IMU-algorithm contact minus motion-capture contact, ms: n ${lags_ms.length}, min ${at(0)}, median ${at(0.5)}, p95 ${at(0.95)}, max ${at(1)}`);
