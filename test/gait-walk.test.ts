/**
 * Walks and bouts (shared/gait/walk.ts): a lone step-like motion counts
 * nothing, WALK_CONFIRM_STEPS steps in a row count, all of them, each at its
 * own time; within a walk a step counts at once; bouts start and end;
 * cadence.
 */
import { describe, expect, it } from 'vitest';
import { BOUT_GAP_MS, UNSEEN_MAX_PERIODS, WALK_CONFIRM_STEPS, WALK_GAP_MS } from '../shared/gait/constants.js';
import { DIR_BACKWARD, DIR_FORWARD } from '../shared/gait/contact.js';
import { createWalk, WALK_BOUT_END, WALK_BOUT_START, WALK_HELD, WALK_STEP } from '../shared/gait/walk.js';

interface Out {
  kind: 'step' | 'start' | 'end' | 'held';
  t_ms: number;
  stride_m?: number;
  direction?: number;
  pitch_deg?: number;
  cadence_spm?: number;
  sure?: boolean;
}

function walkWithLog() {
  const out: Out[] = [];
  const KIND: Record<number, Out['kind']> = { [WALK_STEP]: 'step', [WALK_BOUT_START]: 'start', [WALK_BOUT_END]: 'end', [WALK_HELD]: 'held' };
  const walk = createWalk((e) => {
    const kind = KIND[e.type];
    if (kind === 'step') out.push({ kind, t_ms: e.t_ms, stride_m: e.stride_m, direction: e.direction, pitch_deg: e.pitch_deg, cadence_spm: e.cadence_spm, sure: e.calibrated });
    else if (kind !== 'held') out.push({ kind, t_ms: e.t_ms });
  });
  return { walk, out, steps: () => out.filter((o) => o.kind === 'step') };
}

/** A stride of this foot every 1.1 s (110 steps/min). */
const PERIOD_MS = 1100;

describe('a walk is confirmed by steps in a row', () => {
  it('a lone step is not counted, however long nothing follows', () => {
    const { walk, out } = walkWithLog();
    walk.step(1000, 1.3, DIR_FORWARD, 15, true);
    for (let t = 1000; t <= 1000 + 3 * BOUT_GAP_MS; t += 20) walk.tick(t);
    expect(out).toEqual([]);
  });

  it('lone steps further apart than WALK_GAP_MS are never a walk', () => {
    const { walk, out } = walkWithLog();
    for (let i = 0; i < 10; i++) walk.step(1000 + i * (WALK_GAP_MS + 200), 1.3, DIR_FORWARD, 15, true);
    expect(out).toEqual([]);
  });

  it(`WALK_CONFIRM_STEPS (${WALK_CONFIRM_STEPS}) in a row are counted, every one, each with its own time and figures, the bout starting at the first`, () => {
    const { walk, out, steps } = walkWithLog();
    const ts = Array.from({ length: WALK_CONFIRM_STEPS }, (_, i) => 5000 + i * PERIOD_MS);
    ts.forEach((t, i) => {
      expect(steps(), `before step ${i + 1}`).toHaveLength(0);
      walk.step(t, 1.2 + 0.1 * i, i % 2 ? DIR_BACKWARD : DIR_FORWARD, 10 + i, true);
    });
    expect(steps().map((s) => s.t_ms)).toEqual(ts);
    expect(steps().map((s) => s.stride_m)).toEqual(ts.map((_, i) => 1.2 + 0.1 * i));
    expect(steps().map((s) => s.direction)).toEqual(ts.map((_, i) => (i % 2 ? DIR_BACKWARD : DIR_FORWARD)));
    expect(steps().map((s) => s.pitch_deg)).toEqual(ts.map((_, i) => 10 + i));
    expect(out[0]).toEqual({ kind: 'start', t_ms: ts[0] });
  });

  it('within a walk every step is counted at once', () => {
    const { walk, steps } = walkWithLog();
    let t = 5000;
    for (let i = 0; i < WALK_CONFIRM_STEPS; i++) walk.step((t += PERIOD_MS), 1.3, DIR_FORWARD, 15, true);
    for (let i = 0; i < 10; i++) {
      const before = steps().length;
      walk.step((t += PERIOD_MS), 0.8, DIR_BACKWARD, -12, true);
      expect(steps().length).toBe(before + 1);
      expect(steps()[before].t_ms).toBe(t);
      expect(walk.inWalk(t + PERIOD_MS)).toBe(true);
    }
  });

  it('a step up to WALK_GAP_MS after the last is in the walk; after a longer pause the walk must be confirmed again', () => {
    const { walk, steps } = walkWithLog();
    walk.step(1000, 1.3, DIR_FORWARD, 15, true);
    walk.step(1000 + PERIOD_MS, 1.3, DIR_FORWARD, 15, true);
    let t = 1000 + PERIOD_MS;
    expect(walk.inWalk(t + WALK_GAP_MS)).toBe(true);
    walk.step((t += WALK_GAP_MS), 1.3, DIR_FORWARD, 15, true);
    expect(steps()).toHaveLength(3);
    expect(walk.inWalk(t + WALK_GAP_MS + 1)).toBe(false);
    walk.step((t += WALK_GAP_MS + 500), 1.3, DIR_FORWARD, 15, true);
    expect(steps()).toHaveLength(3);
    walk.step((t += PERIOD_MS), 1.3, DIR_FORWARD, 15, true);
    expect(steps().map((s) => s.t_ms).slice(3)).toEqual([t - PERIOD_MS, t]);
  });

  it('nothing is in a walk before the first counted step', () => {
    const { walk } = walkWithLog();
    expect(walk.inWalk(0)).toBe(false);
    walk.step(1000, 1.3, DIR_FORWARD, 15, true);
    expect(walk.inWalk(1500)).toBe(false);
  });
});

describe('bouts', () => {
  it('a bout starts at its first counted step and ends BOUT_GAP_MS after its last, dated at that step', () => {
    const { walk, out } = walkWithLog();
    const ts = Array.from({ length: 6 }, (_, i) => 2000 + i * PERIOD_MS);
    let now = 0;
    const until = (t: number) => {
      for (; now <= t; now += 20) walk.tick(now);
    };
    for (const t of ts) {
      until(t);
      walk.step(t, 1.3, DIR_FORWARD, 15, true);
    }
    const last = ts[ts.length - 1];
    until(last + BOUT_GAP_MS - 20);
    expect(out.filter((o) => o.kind === 'end')).toEqual([]);
    until(last + BOUT_GAP_MS + 40);
    until(last + 5 * BOUT_GAP_MS);
    expect(out.filter((o) => o.kind !== 'step')).toEqual([
      { kind: 'start', t_ms: ts[0] },
      { kind: 'end', t_ms: last },
    ]);
  });

  it('a pause shorter than BOUT_GAP_MS is one bout; a longer one makes two', () => {
    // time passes sample by sample (52 Hz), as in the engine
    const { walk, out } = walkWithLog();
    let now = 0;
    const walkAt = (t0: number) => {
      for (let i = 0; i < 4; i++) {
        const t = t0 + i * PERIOD_MS;
        for (; now < t; now += 19) walk.tick(now);
        walk.step(t, 1.3, DIR_FORWARD, 15, true);
      }
      return t0 + 3 * PERIOD_MS;
    };
    let end = walkAt(1000);
    end = walkAt(end + BOUT_GAP_MS - 1000); // a pause at a crossing: 9 s without a step
    walkAt(end + BOUT_GAP_MS + 5000); // a rest: 15 s
    const edges = out.filter((o) => o.kind !== 'step');
    expect(edges.map((o) => `${o.kind} ${o.t_ms}`)).toEqual([`start 1000`, `end ${end}`, `start ${end + BOUT_GAP_MS + 5000}`]);
  });
});

describe('cadence', () => {
  it('steady strides every P ms give 120000 / P steps per minute (two steps a stride); the first step has none yet', () => {
    for (const period of [800, 1100, 1500]) {
      const { walk, steps } = walkWithLog();
      for (let i = 0; i < 12; i++) walk.step(1000 + i * period, 1.3, DIR_FORWARD, 15, true);
      const c = steps().map((s) => s.cadence_spm!);
      expect(c[0]).toBe(0);
      for (const x of c.slice(1)) expect(x).toBeCloseTo(120000 / period, 6);
    }
  });

  it('follows a change of pace within a few strides', () => {
    const { walk, steps } = walkWithLog();
    let t = 1000;
    for (let i = 0; i < 10; i++) walk.step((t += 1200), 1.3, DIR_FORWARD, 15, true);
    for (let i = 0; i < 12; i++) walk.step((t += 800), 0.8, DIR_BACKWARD, -12, true);
    const last = steps()[steps().length - 1].cadence_spm!;
    expect(Math.abs(last - 150) / 150).toBeLessThan(0.05);
  });

  it('a pause is not a stride period: the cadence after it is the new walk\'s', () => {
    const { walk, steps } = walkWithLog();
    let t = 1000;
    for (let i = 0; i < 6; i++) walk.step((t += 1000), 1.3, DIR_FORWARD, 15, true);
    t += BOUT_GAP_MS + 2000;
    walk.tick(t);
    for (let i = 0; i < 6; i++) walk.step((t += 1000), 1.3, DIR_FORWARD, 15, true);
    // every step of both walks is counted; each walk's first step has no cadence yet, the rest a stride a second
    const c = steps().map((s) => s.cadence_spm!);
    expect(c).toHaveLength(12);
    expect([c[0], c[6]]).toEqual([0, 0]);
    for (const x of [...c.slice(1, 6), ...c.slice(7)]) expect(x).toBeCloseTo(120, 6);
  });
});

describe('a stride the engine did not see swing (Walk.unseen: the pod woke on it)', () => {
  it('counts with the first step of the walk after it, before it, that step\'s way, its own stride and pitch (a woken one: 0 and 0, unmeasured and flat)', () => {
    const { walk, out, steps } = walkWithLog();
    walk.unseen(4000, 0, 0);
    walk.step(5000, 1.3, DIR_BACKWARD, -12, true);
    expect(steps()).toHaveLength(0); // (the walk is not confirmed yet)
    walk.step(5000 + PERIOD_MS, 1.2, DIR_BACKWARD, -14, true);
    expect(steps().map((s) => [s.t_ms, s.stride_m, s.direction, s.pitch_deg])).toEqual([
      [4000, 0, DIR_BACKWARD, 0],
      [5000, 1.3, DIR_BACKWARD, -12],
      [5000 + PERIOD_MS, 1.2, DIR_BACKWARD, -14],
    ]);
    // the bout starts at the unseen stride, and the cadence counts from it
    expect(out[0]).toEqual({ kind: 'start', t_ms: 4000 });
    expect(steps()[1].cadence_spm).toBeCloseTo(120000 / 1000, 6);
  });

  it('never confirms a walk: the foot that woke the pod, then one step-like motion, counts nothing', () => {
    const { walk, out } = walkWithLog();
    walk.unseen(4000, 0, 0);
    walk.step(5000, 1.3, DIR_FORWARD, 15, true);
    for (let t = 5000; t <= 5000 + 3 * BOUT_GAP_MS; t += 20) walk.tick(t);
    expect(out).toEqual([]);
  });

  it(`is not the walk's first stride when it landed more than UNSEEN_MAX_PERIODS (${UNSEEN_MAX_PERIODS}) stride periods before its first step: a fidget, a pause, then a walk`, () => {
    const { walk, steps } = walkWithLog();
    walk.unseen(4000, 0, 0);
    const t0 = 4000 + 2 * PERIOD_MS;
    walk.step(t0, 1.3, DIR_FORWARD, 15, true);
    walk.step(t0 + PERIOD_MS, 1.3, DIR_FORWARD, 15, true);
    expect(steps().map((s) => s.t_ms)).toEqual([t0, t0 + PERIOD_MS]);
  });

  it('counts in its place when a held step came before it (samples lost between two held steps)', () => {
    const { walk, steps } = walkWithLog();
    walk.step(1000, 1.3, DIR_FORWARD, 15, true);
    walk.unseen(1000 + PERIOD_MS, 0, 0);
    walk.step(1000 + 2 * PERIOD_MS, 1.3, DIR_FORWARD, 15, true);
    expect(steps().map((s) => [s.t_ms, s.stride_m])).toEqual([[1000, 1.3], [1000 + PERIOD_MS, 0], [1000 + 2 * PERIOD_MS, 1.3]]);
  });

  it('is forgotten when the next step lands more than WALK_GAP_MS after it', () => {
    const { walk, steps } = walkWithLog();
    walk.unseen(1000, 0, 0);
    const t0 = 1000 + WALK_GAP_MS + 100;
    walk.step(t0, 1.3, DIR_FORWARD, 15, true);
    walk.step(t0 + PERIOD_MS, 1.3, DIR_FORWARD, 15, true);
    expect(steps().map((s) => s.t_ms)).toEqual([t0, t0 + PERIOD_MS]);
  });

  it('within a walk, counts at once with the next step (samples lost mid-walk)', () => {
    const { walk, steps } = walkWithLog();
    for (let i = 0; i < 3; i++) walk.step(1000 + i * PERIOD_MS, 1.3, DIR_FORWARD, 15, true);
    walk.unseen(1000 + 3 * PERIOD_MS, 0, 0);
    walk.step(1000 + 4 * PERIOD_MS, 1.3, DIR_FORWARD, 16, true);
    expect(steps().map((s) => s.t_ms)).toEqual([0, 1, 2, 3, 4].map((i) => 1000 + i * PERIOD_MS));
    expect(steps()[3]).toMatchObject({ stride_m: 0, pitch_deg: 0 });
  });

  it('a stride seen but refused before any walk (a first step slid off standing) counts with what it measured', () => {
    const { walk, steps } = walkWithLog();
    walk.unseen(4000, 0.4, -20);
    walk.step(5000, 1.3, DIR_BACKWARD, -12, true);
    walk.step(5000 + PERIOD_MS, 1.2, DIR_BACKWARD, -14, true);
    expect(steps()[0]).toMatchObject({ t_ms: 4000, stride_m: 0.4, direction: DIR_BACKWARD, pitch_deg: -20 });
  });
});
