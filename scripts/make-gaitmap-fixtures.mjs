// Converts the real gaitmap example recordings (../shared/data/gaitmap-example)
// into retrostep recording CSVs under test/fixtures/gaitmap: one file per foot
// and rate, sensor axes as mounted (not rotated), resampled by averaging over
// each output sample period (what the IMU's own filter does), acc in g, gyro
// in dps, labelled initial contacts (2 x 20 m: motion capture; 4 x 10 m: the
// strides gaitmap segmented at initial contact).
// Run once: node scripts/make-gaitmap-fixtures.mjs (writes every rate listed at the bottom)
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('../shared/data/gaitmap-example');
const OUT = path.resolve('test/fixtures/gaitmap');
const G = 9.80665;

function readCsv(file) {
  return fs.readFileSync(path.join(SRC, file), 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
}

/** Contact times (ms) per foot: the `ic` column of the 2 x 20 m walk's events. */
function icEvents(eventsFile, srcRate) {
  const events = readCsv(eventsFile);
  const head = events[0];
  const ev = events.slice(1).map((r) => Object.fromEntries(r.map((v, i) => [head[i], v])));
  return (foot) => ev.filter((e) => e.foot === foot).map((e) => (Number(e.ic) / srcRate) * 1000).filter((t) => Number.isFinite(t));
}

/** Contact times (ms) per foot from strides segmented at initial contact: every start and end. */
function icBorders(bordersFile, srcRate) {
  const rows = readCsv(bordersFile);
  const head = rows[0];
  const strides = rows.slice(1).map((r) => Object.fromEntries(r.map((v, i) => [head[i], v])));
  return (foot) => {
    const ics = new Set();
    for (const s of strides.filter((x) => x.foot === foot)) ics.add(Number(s.start)).add(Number(s.end));
    return [...ics].sort((a, b) => a - b).map((i) => (i / srcRate) * 1000);
  };
}

/**
 * first: the contact class the source shows ('unknown' when it does not say).
 * contactTimes: where the contact times come from, written as the metadata
 * contact_times=: motion-capture (markers on the foot), or imu-algorithm
 * (gaitmap's event detection on these same IMU signals, which lands 20-68 ms
 * after motion capture: scripts/gaitmap-ic-lag.mjs).
 */
function convert(imuFile, contactsOf, srcRate, tag, rates, first, contactTimes) {
  const rows = readCsv(imuFile);
  const sensors = rows[0];
  const axes = rows[1];
  const data = rows.slice(2).map((r) => r.map(Number));
  for (const foot of ['left', 'right']) {
    const col = (axis) => sensors.findIndex((s, i) => s === `${foot}_sensor` && axes[i] === axis);
    const cols = ['acc_x', 'acc_y', 'acc_z', 'gyr_x', 'gyr_y', 'gyr_z'].map(col);
    if (cols.some((c) => c < 0)) throw new Error(`missing columns for ${foot} in ${imuFile}`);
    const contacts = contactsOf(foot);
    for (const rate of rates) {
      const n = Math.floor((data.length / srcRate) * rate);
      const lines = [
        '# retrostep recording v1',
        `# source: gaitmap example_data ${imuFile} (MIT, see LICENSE), ${foot} foot, sensor axes as mounted, resampled ${srcRate} -> ${rate} Hz by averaging`,
        `# rate_hz=${rate} mount=side-of-shoe subject=gaitmap-1 labels=contact contact_times=${contactTimes}`,
        't_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps,label',
      ];
      let ci = 0;
      for (let k = 0; k < n; k++) {
        const t0 = (k / rate) * srcRate;
        const t1 = ((k + 1) / rate) * srcRate;
        const acc = [0, 0, 0, 0, 0, 0];
        let cnt = 0;
        for (let i = Math.floor(t0); i < Math.min(Math.ceil(t1), data.length); i++) {
          for (let a = 0; a < 6; a++) acc[a] += data[i][cols[a]];
          cnt++;
        }
        const t_ms = (k / rate) * 1000;
        const v = acc.map((x, a) => (a < 3 ? x / cnt / G : x / cnt));
        let label = '';
        // label the sample whose period contains the contact
        while (ci < contacts.length && contacts[ci] < t_ms + 1000 / rate) {
          if (contacts[ci] >= t_ms) label = `contact forward ${first}`;
          ci++;
        }
        lines.push([t_ms.toFixed(1), ...v.map((x, a) => (a < 3 ? x.toFixed(4) : x.toFixed(2))), label].join(','));
      }
      const name = `${tag}-${foot}-${rate}hz.csv`;
      fs.writeFileSync(path.join(OUT, name), lines.join('\n') + '\n');
      console.log(name, n, 'samples', contacts.length, 'contacts');
    }
  }
}

fs.mkdirSync(OUT, { recursive: true });
convert('imu_sample_not_rotated.csv', icEvents('stride_events_sample.csv', 204.8), 204.8, 'walk-2x20m', [52, 26, 104, 204.8], 'heel', 'motion-capture');
convert('imu_sample_ic_stride.csv', icBorders('stride_borders_sample_ic_stride.csv', 102.4), 102.4, 'walk-4x10m', [52, 26, 102.4], 'unknown', 'imu-algorithm');
fs.copyFileSync(path.join(SRC, 'LICENSE'), path.join(OUT, 'LICENSE'));
