/**
 * The gait engine on the simulator (issue 5): every mounting, a pod moved
 * on the shoe, each kind of walking, each wrong-gait case, and each
 * non-walking set. Seeds here are the tuning seeds (1-8); the bench judges
 * on held-out ones.
 */
import { describe, expect, it } from 'vitest';
import { runEngine } from '../host/src/replay/run.js';
import { scoreContacts, type Score } from '../host/src/replay/score.js';
import { calibrationFor, motionSamples, MOTION_KINDS } from '../host/src/sim/motions.js';
import { createWalker, type GaitStyle, MOUNTS, sampleWalker, type Segment } from '../host/src/sim/walker.js';
import { CAL_DONE, CAL_STALE, EVENT_CALIBRATION, WRONG_BACKWARD_FLAT, WRONG_BACKWARD_HEEL, WRONG_FORWARD_TOE } from '../shared/gait/engine.js';

/** Stand (gravity), forward strides (the toe axis), then the strides under test. */
function script(...walks: Segment[]): Segment[] {
  return [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 12 }, ...walks, { kind: 'stand', duration_s: 3 }];
}

function run(segments: Segment[], options: { seed?: number; rate?: number; mount?: (typeof MOUNTS)[string]; wrongRule?: number } = {}) {
  const w = createWalker(segments, { seed: options.seed ?? 3, mount: options.mount });
  const { t_ms, samples } = sampleWalker(w, options.rate ?? 52);
  const got = runEngine(t_ms, samples, { wrongRule: options.wrongRule });
  return { w, got, score: scoreContacts(w.truth, got) };
}

function expectAccurate(s: Score, what: string): void {
  expect(Math.abs(s.detected - s.truth), `${what}: count`).toBeLessThanOrEqual(Math.ceil(s.truth * 0.02));
  expect(s.directionCorrect / s.matched, `${what}: direction`).toBeGreaterThanOrEqual(0.99);
  expect(s.firstCorrect / s.matched, `${what}: first contact`).toBeGreaterThanOrEqual(0.95);
}

const MIXED = script({ kind: 'walk', direction: 'backward', strides: 30 }, { kind: 'stand', duration_s: 2 }, { kind: 'walk', direction: 'forward', strides: 30, turn_deg: 90 });

describe('mounting', () => {
  for (const [name, mount] of Object.entries(MOUNTS)) {
    it(`${name}: learns the mounting from standing and forward strides, then tells forward from backward`, () => {
      const states: number[] = [];
      const w = createWalker(MIXED, { seed: 4, mount });
      const { t_ms, samples } = sampleWalker(w, 52);
      const got = runEngine(t_ms, samples, { onEvent: (e) => e.type === EVENT_CALIBRATION && states.push(e.cal_state) });
      expect(states).toContain(CAL_DONE);
      expectAccurate(scoreContacts(w.truth, got), name);
    });
  }

  it('short slow backward steps on the heel counter (0.5 m strides, 90 steps/min): every stride, and its length', () => {
    // the pod sits at the pivot of the toe's roll-off: a frame levelled on the roll-off's first sample and
    // velocity zeroed through it measured these strides at ~0.33 m and lost a third of them to MIN_STRIDE_M
    for (const name of ['heel-counter', 'heel-counter-upside-down']) {
      const { got, score } = run(script({ kind: 'walk', direction: 'backward', strides: 20, stride_m: 0.5, cadence_spm: 90 }), { seed: 5, mount: MOUNTS[name] });
      const backward = got.filter((c) => c.direction === 'backward');
      expect(score.missed, name).toBe(0);
      expect(backward.length, name).toBe(20);
      const mean_m = backward.reduce((a, c) => a + c.stride_m, 0) / backward.length;
      expect(mean_m, name).toBeGreaterThan(0.4);
      expect(mean_m, name).toBeLessThan(0.55);
    }
  });

  it('slow backward steps (0.5 m strides at 80 steps/min, 0.33 m/s): every stride, on every mounting of the shoe', () => {
    // the foot is lowered slowly for its last 60-80 ms, turning little: taken for a stance there (MID_SWING_MS),
    // or refused for a swing peaking under 0.9 m/s, a third of them were lost on the laces
    for (const name of ['laces', 'side-of-shoe', 'heel-counter']) {
      const { got, score } = run(script({ kind: 'walk', direction: 'backward', strides: 20, stride_m: 0.5, cadence_spm: 80 }), { mount: MOUNTS[name] });
      expect(score.missed, name).toBe(0);
      expect(score.extra, name).toBe(0);
      expect(got.filter((c) => c.direction === 'backward').length, name).toBe(20);
    }
  });

  it('slow strides (0.5 m at 80 steps/min) count: a swing slower than walking waits for its stance, briefly', () => {
    const { got, score } = run(script({ kind: 'walk', direction: 'forward', strides: 20, stride_m: 0.5, cadence_spm: 80 }), { mount: MOUNTS.laces });
    expect(score.missed).toBe(0);
    expect(score.extra).toBe(0);
    // the slow ones were reported at their stance (so the test is about them)
    const waited = got.filter((c) => (c.emitted_ms ?? c.t_ms) - c.t_ms > 30);
    expect(waited.length).toBeGreaterThanOrEqual(5);
  });

  it('notices a pod moved on the shoe (calibration stale), learns again, and counts on', () => {
    const cal = calibrationFor(MOUNTS.laces, 1);
    for (const moved of ['side-of-shoe', 'laces-sideways', 'heel-counter']) {
      const w = createWalker(script({ kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'backward', strides: 30 }), { seed: 5, mount: MOUNTS[moved] });
      const { t_ms, samples } = sampleWalker(w, 52);
      const states: number[] = [];
      const got = runEngine(t_ms, samples, { calibration: cal, onEvent: (e) => e.type === EVENT_CALIBRATION && states.push(e.cal_state) });
      expect(states.slice(0, 2), moved).toEqual([CAL_STALE, CAL_DONE]);
      // once learnt again: the backward strides are backward
      const backward = w.truth.filter((t) => t.direction === 'backward');
      const late = scoreContacts(backward, got.filter((c) => c.t_ms >= backward[0].t_ms - 100));
      expect(late.matched, moved).toBe(backward.length);
      expect(late.directionCorrect, moved).toBe(backward.length);
    }
  });
});

describe('kinds of walking', () => {
  const kinds: [string, Segment][] = [
    ['forward, brisk', { kind: 'walk', direction: 'forward', strides: 40, cadence_spm: 130, stride_m: 1.6 }],
    ['forward, slow', { kind: 'walk', direction: 'forward', strides: 40, cadence_spm: 90, stride_m: 1.0 }],
    ['backward, short quick steps', { kind: 'walk', direction: 'backward', strides: 40, cadence_spm: 140, stride_m: 0.55 }],
    ['backward jogging', { kind: 'walk', direction: 'backward', strides: 40, cadence_spm: 170, stride_m: 1.0 }],
    ['5% incline up', { kind: 'walk', direction: 'forward', strides: 40, rise_m: 0.07 }],
    ['5% incline down, backward', { kind: 'walk', direction: 'backward', strides: 40, rise_m: -0.04 }],
    ['treadmill (steady, straight)', { kind: 'walk', direction: 'forward', strides: 100, cadence_spm: 112, stride_m: 1.3 }],
    ['a full turn', { kind: 'walk', direction: 'forward', strides: 30, turn_deg: 360 }],
  ];
  for (const [name, seg] of kinds) {
    for (const rate of [52, 104]) {
      it(`${name} at ${rate} Hz`, () => {
        expectAccurate(run(script(seg), { rate }).score, name);
      });
    }
  }

  describe('a slow, unsteady walker (like the real 4 x 10 m gaitmap walker)', () => {
    // heel rise 60% of the stance, a flat foot that rolls on through 30% of the lift-off pitch, a sensor that reads 0.975 g at rest
    const style: GaitStyle = { preswing_s: 1, preswingMaxShare: 0.6, flatRoll: 0.3, accScale: 0.975 };
    const segs = script({ kind: 'walk', direction: 'forward', strides: 28, cadence_spm: 105 }, { kind: 'walk', direction: 'backward', strides: 30, cadence_spm: 110 });

    it('the simulator walks as said: 0.975 g at rest, a flat foot that still turns, a slow heel rise', () => {
      const w = createWalker(segs, { seed: 7, style, noise: false });
      const { t_ms, samples } = sampleWalker(w, 104);
      const at = (i: number, k: number) => samples[6 * i + k];
      const rest = Math.hypot(at(100, 0), at(100, 1), at(100, 2));
      expect(rest).toBeCloseTo(0.975, 3);
      // between two forward contacts: the foot is still only as its roll starts, then rolls on at > 5 dps, and >= 60 dps for 200 ms+ before lift-off
      const c0 = w.truth[14].t_ms, c1 = w.truth[15].t_ms;
      const rate_dps = (i: number) => Math.hypot(at(i, 3), at(i, 4), at(i, 5));
      const idx = Array.from(t_ms.keys()).filter((i) => t_ms[i] > c0 + 150 && t_ms[i] < c1);
      const slowest = Math.min(...idx.map(rate_dps));
      expect(slowest).toBeLessThan(5);
      const rolling = Math.max(...idx.filter((i) => t_ms[i] < c0 + 250).map(rate_dps));
      expect(rolling).toBeGreaterThan(5);
      const turning_ms = idx.filter((i) => rate_dps(i) >= 60 && rate_dps(i) < 250 && Math.abs(Math.hypot(at(i, 0), at(i, 1), at(i, 2)) - 0.975) < 0.1).length * (1000 / 104);
      expect(turning_ms).toBeGreaterThan(150);
    });

    it('its heel rises about the ball of the foot: a side-of-shoe sensor reads within 0.075 g of rest while it rolls at up to 120 dps, as the real one does', () => {
      // the real 4 x 10 m walker's side-of-shoe sensor: 0.93-1.07 of rest from foot flat to its push-off
      // (100-150 dps); pivoting about the toe tip read up to 1.10 of rest here
      const w = createWalker(segs, { seed: 7, style, noise: false, mount: MOUNTS['side-of-shoe'] });
      const { t_ms, samples } = sampleWalker(w, 104);
      const at = (i: number, k: number) => samples[6 * i + k];
      for (let k = 2; k < 26; k++) {
        const c0 = w.truth[k].t_ms;
        let worst = 0, n = 0, i = t_ms.findIndex((t) => t > c0 + 150);
        for (; Math.hypot(at(i, 3), at(i, 4), at(i, 5)) < 120; i++, n++) worst = Math.max(worst, Math.abs(Math.hypot(at(i, 0), at(i, 1), at(i, 2)) / 0.975 - 1));
        expect(n, `stance after contact ${k}: samples rolling slower than 120 dps`).toBeGreaterThan(20);
        expect(worst, `stance after contact ${k}`).toBeLessThan(0.075);
      }
    });

    it('jogging backward on its toes (170 steps/min) at 104 Hz on the laces: every stride', () => {
      // the foot never comes flat: its stance samples all accelerate, and the flattest-looking one misfit
      // the mount by 40-110 deg (strides lost) until a stance in a walk was read through the gyro-carried frame
      const jog = script({ kind: 'walk', direction: 'backward', strides: 40, cadence_spm: 170, stride_m: 0.9 });
      const w = createWalker(jog, { seed: 8, style: { ...style, accScale: 1 }, mount: MOUNTS.laces });
      const { t_ms, samples } = sampleWalker(w, 104);
      const s = scoreContacts(w.truth, runEngine(t_ms, samples));
      expect(s.missed).toBe(0);
      expect(s.extra).toBe(0);
      expect(s.directionCorrect).toBe(s.matched);
    });

    it('forward at 26 Hz on the heel counter, either way up (1.4-1.5 m strides at 100-115 steps/min): every stride', () => {
      // two faults, each losing strides alone: the first stance sample after the foot slap (at 26 Hz the mean
      // of the 38 ms before it) held the slap's end and levelled the frame 15 deg off, the next sample being
      // refused as "ringing" against it; and a stance whose samples all read 1.03-1.13 g (the heel starting
      // to rise about the ball) was never levelled. Before: 44-66 of 72 in seven of these eight runs;
      // with either fix alone, one or more still lost 1-8
      const walk = script({ kind: 'walk', direction: 'forward', strides: 30, cadence_spm: 100, stride_m: 1.4 }, { kind: 'stand', duration_s: 2 }, { kind: 'walk', direction: 'forward', strides: 30, cadence_spm: 115, stride_m: 1.5 });
      for (const name of ['heel-counter', 'heel-counter-upside-down']) {
        for (const seed of [1, 3, 4, 6]) {
          const w = createWalker(walk, { seed, mount: MOUNTS[name], style });
          const { t_ms, samples } = sampleWalker(w, 26);
          const s = scoreContacts(w.truth, runEngine(t_ms, samples));
          expect(s.missed, `${name}, seed ${seed}`).toBe(0);
          expect(s.extra, `${name}, seed ${seed}`).toBe(0);
          expect(s.directionCorrect, `${name}, seed ${seed}`).toBe(s.matched);
        }
      }
    });

    for (const name of Object.keys(MOUNTS)) {
      it(`${name} at 52 Hz: every stride, forward and backward`, () => {
        // before the heel-rise pivot, the standing-still up and the sensor's own 1 g: heel counter 30 of 58, no direction right
        const w = createWalker(segs, { seed: 7, mount: MOUNTS[name], style });
        const { t_ms, samples } = sampleWalker(w, 52);
        const s = scoreContacts(w.truth, runEngine(t_ms, samples));
        expect(s.missed, name).toBe(0);
        expect(s.extra, name).toBe(0);
        expect(s.directionCorrect, name).toBe(s.matched);
      });
    }
  });

  it('at 26 Hz too, within 3%', () => {
    const { score } = run(MIXED, { rate: 26 });
    expect(Math.abs(score.detected - score.truth)).toBeLessThanOrEqual(Math.ceil(score.truth * 0.03));
    expect(score.directionCorrect).toBe(score.matched);
  });
});

describe('direction from the swing, not the landing', () => {
  it('a forward toe-first stride is forward and toe; a backward heel-first one is backward and heel', () => {
    const { w, got } = run(script({ kind: 'walk', direction: 'forward', strides: 20, first: 'toe' }, { kind: 'walk', direction: 'backward', strides: 20, first: 'heel' }));
    const s = scoreContacts(w.truth, got);
    expect(s.matched).toBeGreaterThanOrEqual(s.truth - 1);
    expect(s.directionCorrect).toBe(s.matched);
    expect(s.firstCorrect / s.matched).toBeGreaterThanOrEqual(0.9);
  });
});

describe('wrong gait', () => {
  const segs = script(
    { kind: 'walk', direction: 'backward', strides: 20, odd: [3, 9, 15] }, // 3 heel-first backward
    { kind: 'walk', direction: 'forward', strides: 20, odd: [5, 12] }, // 2 toe-first forward
    { kind: 'walk', direction: 'backward', strides: 10, first: 'flat' },
  );
  const wrongOf = (rule: number) => {
    const { w, got } = run(segs, { wrongRule: rule, seed: 6 });
    return { wrong: got.filter((c) => c.wrong), got, w };
  };

  it('by default a backward stride landing on the heel, and nothing else', () => {
    const { wrong, got, w } = wrongOf(WRONG_BACKWARD_HEEL);
    for (const c of got) expect(c.wrong).toBe(c.direction === 'backward' && c.first === 'heel');
    // the walker lands heel-first at 7-25 deg: one near the 5 deg border may read as flat
    expect(wrong.length).toBeGreaterThanOrEqual(w.truth.filter((t) => t.wrong).length - 1);
    const matched = scoreContacts(w.truth.filter((t) => t.wrong), wrong);
    expect(matched.matched).toBe(wrong.length); // every flagged stride is one of the heel-first backward ones
  });

  it('configurable: forward toe-first strides too', () => {
    const { got } = wrongOf(WRONG_BACKWARD_HEEL | WRONG_FORWARD_TOE);
    for (const c of got) expect(c.wrong).toBe((c.direction === 'backward' && c.first === 'heel') || (c.direction === 'forward' && c.first === 'toe'));
    expect(got.filter((c) => c.wrong && c.direction === 'forward').length).toBeGreaterThanOrEqual(1);
  });

  it('configurable: backward flat landings', () => {
    const { wrong } = wrongOf(WRONG_BACKWARD_FLAT);
    expect(wrong.length).toBeGreaterThanOrEqual(9);
    for (const c of wrong) expect([c.direction, c.first]).toEqual(['backward', 'flat']);
  });

  it('switched off: nothing is wrong', () => {
    expect(wrongOf(0).wrong).toEqual([]);
  });
});

describe('no strides from non-walking motion', () => {
  it('brisk pedalling (seed 61, 88 rpm) at 104 Hz: a foot quiet on the pedal for a moment is not a soft landing', () => {
    // the pedal passes the stance test at 0.77-0.8 g once a turn; before SOFT_LANDING_ACC_TOL_G each turn was a stride
    const { t_ms, samples } = motionSamples('cycling', 61, 104, 10, MOUNTS.laces);
    const got = runEngine(t_ms, samples, { calibration: calibrationFor(MOUNTS.laces, 61) });
    expect(got.length).toBeLessThanOrEqual(1);
  });

  it('putting a shoe on (seed 90, heel counter): the top of a lift is not a landing', () => {
    // this seed's pick-up read as a stride in 16 of its ~40 cycles before MAX_CONTACT_RISE_MPS / APEX_BAND_M
    // (a shoe still rising), 4 before a slow swing's contact waited for its stance (SURE_SWING_SPEED_MPS)
    const { t_ms, samples } = motionSamples('shoe-on', 90, 52, 10, MOUNTS['heel-counter']);
    const got = runEngine(t_ms, samples, { calibration: calibrationFor(MOUNTS['heel-counter'], 90) });
    expect(got.length).toBeLessThanOrEqual(1);
  });

  it('putting a shoe on (seeds 3, 6 laces, 10 side of the shoe): a contact waiting for its stance expires after LANDING_TO_STANCE_MS', () => {
    // with no limit each seed counted one pick-up when the shoe was put down, 1-4 s after its "landing"
    for (const [seed, name] of [[3, 'laces'], [6, 'laces'], [10, 'side-of-shoe']] as const) {
      const { t_ms, samples } = motionSamples('shoe-on', seed, 52, 10, MOUNTS[name]);
      const got = runEngine(t_ms, samples, { calibration: calibrationFor(MOUNTS[name], seed) });
      expect(got.length, `seed ${seed}`).toBe(0);
    }
  });

  it('a seated foot tapping at 26 Hz (seeds 94, 97, side of the shoe): the mount still fits and no tap counts', () => {
    // each tap stops for one sample at ~1 g, 80 deg off gravity: taken for a new pose, it made the mount be
    // learnt again (CAL_STALE), and while relearning every tap counted (19 and 28 strides)
    for (const seed of [94, 97]) {
      const mount = MOUNTS['side-of-shoe'];
      const states: number[] = [];
      const { t_ms, samples } = motionSamples('tap-seated', seed, 26, 10, mount);
      const got = runEngine(t_ms, samples, { calibration: calibrationFor(mount, seed), onEvent: (e) => e.type === EVENT_CALIBRATION && states.push(e.cal_state) });
      expect(states, `seed ${seed}`).toEqual([]);
      expect(got.length, `seed ${seed}`).toBe(0);
    }
  });

  describe('putting a shoe on (seed 118) makes the mount look moved', () => {
    const mount = MOUNTS['side-of-shoe'];
    const on = motionSamples('shoe-on', 118, 52, 10, mount);
    /** The shoe put on for 10 minutes, then this walk, as one stream. */
    function thenWalk(walk: ReturnType<typeof createWalker>) {
      const w = sampleWalker(walk, 52);
      const t0 = on.t_ms[on.t_ms.length - 1] + 1000 / 52;
      const t_ms = Float64Array.from([...on.t_ms, ...Array.from(w.t_ms, (t) => t + t0)]);
      const samples = Float32Array.from([...on.samples, ...w.samples]);
      const states: number[] = [];
      const got = runEngine(t_ms, samples, { calibration: calibrationFor(mount, 118), onEvent: (e) => e.type === EVENT_CALIBRATION && states.push(e.cal_state) });
      const s = scoreContacts(walk.truth.map((c) => ({ ...c, t_ms: c.t_ms + t0 })), got.filter((c) => c.t_ms >= t0));
      return { states, handling: got.filter((c) => c.t_ms < t0), s };
    }

    it('nothing counts while it is handled, and walking backward with the pod where it was counts every stride, the right way', () => {
      const { states, handling, s } = thenWalk(createWalker([{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'backward', strides: 30 }], { seed: 118, mount }));
      expect(states[0]).toBe(CAL_STALE); // the test's premise: handling it took the mount for moved
      // before strides had to start from the moved pod's pose (or the old one) while relearning: 5
      expect(handling.length).toBeLessThanOrEqual(2);
      expect(s.missed).toBe(0);
      expect(s.extra).toBe(0);
      // the old mount fitted after all: its directions hold (relearning would have taken these for forward)
      expect(s.directionCorrect).toBe(s.matched);
      expect(states[states.length - 1]).toBe(CAL_DONE);
    });

    it('...and a pod clipped on another way while the shoe was handled learns its new mount and counts on', () => {
      const { states, s } = thenWalk(createWalker([{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'forward', strides: 30 }], { seed: 118, mount: MOUNTS['laces-sideways'] }));
      expect(states[states.length - 1]).toBe(CAL_DONE);
      // a run of strides from the new pose (CAL_STALE_STRIDES) says it was moved again, then it learns from them
      expect(s.matched).toBeGreaterThanOrEqual(24);
      expect(s.extra).toBe(0);
    });
  });

  for (const kind of MOTION_KINDS) {
    it(`${kind}: at most 1 stride in 10 minutes (calibrated pod)`, () => {
      for (const mount of ['laces', 'side-of-shoe']) {
        const { t_ms, samples } = motionSamples(kind, 2, 52, 10, MOUNTS[mount]);
        const got = runEngine(t_ms, samples, { calibration: calibrationFor(MOUNTS[mount], 2) });
        expect(got.length, `${kind} on ${mount}`).toBeLessThanOrEqual(1);
      }
    });
  }
});
