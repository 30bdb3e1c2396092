/** The bench's shoe-nav reader (bench/shoe-nav.ts) on a small synthetic export in both of its formats, and the stride scoring. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadShoeNav, scoreStrides } from '../bench/shoe-nav.js';

const P = 'inertial-6253.76535:';

/** A recording directory laid out as ../shared/data/shoe-nav-mit: 31 at 200 Hz in g, 42 at 250 Hz in m/s^2 with :valid flags. */
function fakeDataset(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoe-nav-'));
  fs.mkdirSync(path.join(dir, 'data/own'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data/LLIO_training_data'), { recursive: true });
  // 31: 2 s at 200 Hz, 1 g on z, 1 rad/s on y
  const a = ['Time,' + ['scaledAccelX', 'scaledAccelY', 'scaledAccelZ', 'scaledGyroX', 'scaledGyroY', 'scaledGyroZ'].map((c) => P + c).join(',')];
  for (let i = 0; i < 400; i++) a.push([i / 200 + (i % 3) * 0.004, 0, 0, 1, 0, 1, 0].join(',')); // Time jitters, as recording 40's
  fs.writeFileSync(path.join(dir, 'data/own/SensorConnectData_31.csv'), a.join('\n') + '\n');
  // 42: 2 s at 250 Hz, 9.80665 m/s^2 on x, 9 rad/s on z (over the gyro's limit)
  const cols = ['estCompensatedAccelX', 'estCompensatedAccelY', 'estCompensatedAccelZ', 'estAngularRateX', 'estAngularRateY', 'estAngularRateZ'];
  const b = ['Time,' + cols.flatMap((c) => [P + c, P + c + ':valid']).join(',')];
  for (let i = 0; i < 500; i++) b.push([i / 250, 9.80665, 1, 0, 1, 0, 1, 0, 1, 0, 1, 9, 1].join(','));
  fs.writeFileSync(path.join(dir, 'data/own/SensorConnectData_42.csv'), b.join('\n') + '\n');
  for (const id of ['31', '42']) {
    fs.writeFileSync(path.join(dir, `data/LLIO_training_data/SensorConnectData_${id}_strideIndex_timestamp_gcpX_gcpY.csv`), 'strideIndex,timestamp,gcpX,gcpY\n1.0e+02,0.5,0,0\n2.0e+02,1.0,0.7,0\n3.99e+02,2.0,1.4,0\n');
  }
  return dir;
}

describe('the shoe-nav reader', () => {
  it('reads both formats into g and deg/s at the asked rate, labels on the 200 Hz grid, clipped gyro samples noted', () => {
    const recs = loadShoeNav(52, fakeDataset());
    expect(recs.map((r) => r.name)).toEqual(['31', '42']);
    const [r31, r42] = recs;
    // row-based time: 2 s at 52 Hz whatever the Time column says
    expect(r31.t_ms.length).toBe(104);
    expect(r31.t_ms[1] - r31.t_ms[0]).toBeCloseTo(1000 / 52, 6);
    expect(r31.samples[2]).toBeCloseTo(1, 5);
    expect(r31.samples[4]).toBeCloseTo(180 / Math.PI, 3);
    expect(r42.samples[0]).toBeCloseTo(1, 5);
    expect(r42.samples[5]).toBeCloseTo((9 * 180) / Math.PI, 2);
    expect(r31.labels_ms).toEqual([500, 1000, 1995]);
    expect(r42.labels_ms).toEqual([500, 1000, 1995]); // the same 200 Hz grid though recorded at 250 Hz
    expect(r31.clipped_ms).toEqual([]);
    expect(r42.clipped_ms.length).toBe(500);
  });

  it('scores one contact a stride: the first found, more extra, and any before the walk extra', () => {
    const labels = [500, 1000, 2000, 3000];
    expect(scoreStrides(labels, [700, 1500, 1600])).toEqual({ strides: 3, found: 2, extra: 1, missedClipped: 0 });
    expect(scoreStrides(labels, [100, 700, 1500, 2500])).toEqual({ strides: 3, found: 3, extra: 1, missedClipped: 0 });
    expect(scoreStrides(labels, [700], [2100])).toEqual({ strides: 3, found: 1, extra: 0, missedClipped: 1 });
  });
});
