/**
 * The bench's reader of the voisard development set (bench/voisard.ts), on a tiny synthetic trial written
 * here (the set itself is AGPL and stays outside the project): samples sit at their PacketCounter time,
 * lost packets are filled in linearly, and a step whose stride lost too many packets is not scored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { duplicateRecordings, FOOT_STILL_DPS, loadVoisard, MAX_LOST_FRACTION, STILL_RUN_MS, stillAfter, type VoisardRecording } from '../bench/voisard.js';

const G = 9.80665;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voisard-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A file of ticks 0..n-1 less the lost ones: standing still, the gyro's x the tick number (dps, as rad/s). */
function write(name: string, n: number, lost: Set<number>): void {
  const rows = ['Acquisition frequency: 100 Hz', 'PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\tMag_X\tMag_Y\tMag_Z'];
  for (let k = 0; k < n; k++) if (!lost.has(k)) rows.push([k.toFixed(1), 0, 0, G, (k * Math.PI) / 180, 0, 0, 0, 0, 0].join('\t'));
  fs.writeFileSync(path.join(dir, name), rows.join('\n') + '\n');
}

describe('bench/voisard.ts reads a wireless sensor that lost packets', () => {
  // two steps per foot: the left foot's second stride loses 20 packets, its first 2, the right foot none
  const lostLeft = new Set([130, 131, ...Array.from({ length: 20 }, (_, i) => 400 + i)]);
  write('1-1_lf.txt', 700, lostLeft);
  write('1-1_rf.txt', 700, new Set());
  const steps: [number, number][] = [[100, 150], [380, 430]];
  fs.writeFileSync(path.join(dir, '1-1.json'), JSON.stringify({ TrialBoundaries: [0, 699], UTurnBoundaries: [600, 650], LeftFootEvents: steps, RightFootEvents: steps }));
  const [left, right] = loadVoisard(100, dir);

  it('each sample is at its PacketCounter time, a lost one filled in linearly between its neighbours', () => {
    expect(left.t_ms.length).toBe(700);
    expect(left.t_ms[699]).toBeCloseTo(6990, 6);
    for (const k of [129, 130, 131, 132, 405, 420]) expect(left.samples[6 * k + 3], `tick ${k}`).toBeCloseTo(k, 3);
    expect(left.samples[6 * 405 + 2]).toBeCloseTo(1, 5);
  });

  it(`a step whose stride lost more than ${MAX_LOST_FRACTION * 100}% of its packets is not scored; one that lost a few is`, () => {
    expect(left.contacts.map((c) => c.intact)).toEqual([true, false]);
    expect(right.contacts.map((c) => c.intact)).toEqual([true, true]);
    expect(left.contacts[1].shown).toBe(false);
    // (labels count PacketCounter ticks: the contact is at its tick's time)
    expect(left.contacts[1].t_ms).toBeCloseTo(4300, 6);
  });
});

describe('bench/voisard.ts finds a recording that is the first part of another', () => {
  const rec = (name: string, subject: number, foot: 'left' | 'right', values: number[]): VoisardRecording => ({ name, subject, foot, t_ms: new Float64Array(values.length / 6), samples: Float32Array.from(values), contacts: [] });
  const long = Array.from({ length: 60 }, (_, i) => Math.sin(i));
  it('a prefix of the same foot of the same subject is a copy of the longer; anything else is not', () => {
    const recs = [
      rec('9-3_lf', 9, 'left', long.slice(0, 36)),
      rec('9-4_lf', 9, 'left', long),
      // the other foot, another subject, and a prefix that differs in one value
      rec('9-3_rf', 9, 'right', long.slice(0, 36)),
      rec('8-3_lf', 8, 'left', long.slice(0, 36)),
      rec('9-5_lf', 9, 'left', [...long.slice(0, 35), 0]),
    ];
    expect([...duplicateRecordings(recs)]).toEqual([['9-3_lf', '9-4_lf']]);
  });

  it('the reader marks it, compared as recorded (at 52 Hz its last averaged sample differs)', () => {
    // trial 1-2: the first 500 ticks of 1-1, both feet
    write('1-2_lf.txt', 500, new Set([130, 131]));
    write('1-2_rf.txt', 500, new Set());
    fs.writeFileSync(path.join(dir, '1-2.json'), JSON.stringify({ TrialBoundaries: [0, 499], UTurnBoundaries: [300, 350], LeftFootEvents: [[100, 150]], RightFootEvents: [[100, 150]] }));
    for (const rate of [100, 52]) {
      const byName = new Map(loadVoisard(rate, dir).map((r) => [r.name, r.copyOf]));
      expect(Object.fromEntries(byName), `${rate} Hz`).toEqual({ '1-1_lf': undefined, '1-1_rf': undefined, '1-2_lf': '1-1_lf', '1-2_rf': '1-1_rf' });
    }
  });
});

describe('bench/voisard.ts: a recording that ends mid-stride (played backward, its cut-off stride is not scored)', () => {
  // 52 Hz: the foot still (2 dps), a swing (300 dps), then still again or not, as each case says
  const RATE_HZ = 52;
  function foot(rates_dps: number[]): { t_ms: Float64Array; samples: Float32Array } {
    const t_ms = Float64Array.from(rates_dps, (_, i) => (i * 1000) / RATE_HZ);
    const samples = new Float32Array(rates_dps.length * 6);
    rates_dps.forEach((r, i) => {
      samples[6 * i + 2] = 1;
      samples[6 * i + 4] = r;
    });
    return { t_ms, samples };
  }
  const still = (n: number) => Array<number>(n).fill(2);
  const swing = (n: number) => Array<number>(n).fill(300);
  const swingStart_ms = (20 * 1000) / RATE_HZ;

  it('a foot that lands and stays still for STILL_RUN_MS comes to rest; one still for a shorter time, or never again, does not', () => {
    const run = Math.ceil((STILL_RUN_MS * RATE_HZ) / 1000) + 1;
    const landed = foot([...still(20), ...swing(20), ...still(run)]);
    expect(stillAfter(landed.t_ms, landed.samples, swingStart_ms)).toBe(true);
    const cutOff = foot([...still(20), ...swing(20)]);
    expect(stillAfter(cutOff.t_ms, cutOff.samples, swingStart_ms)).toBe(false);
    // (one sample under FOOT_STILL_DPS mid-swing, as where a swing's turn reverses, is not a rest)
    const reversing = foot([...still(20), ...swing(10), FOOT_STILL_DPS - 1, ...swing(10)]);
    expect(stillAfter(reversing.t_ms, reversing.samples, swingStart_ms)).toBe(false);
    // (the stance before the swing is not after it)
    expect(stillAfter(cutOff.t_ms, cutOff.samples, 0)).toBe(true);
  });
});
