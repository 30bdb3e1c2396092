/**
 * The whole gait engine on the simulator (host/src/sim), which models a real
 * sensor by default (a gain of 0.94-1.06, +-60 mg and +-1 dps offsets, noise,
 * jittering timestamps): every mounting learns its mount and tells forward
 * from backward at 26, 52 and 104 Hz; each wrong-gait rule buzzes; counting
 * does not wait for the mount; a pod moved on the shoe is learnt again; and
 * motion that is not walking counts (almost) nothing. Seeds here are tuning
 * seeds (1-8): the bench judges on held-out ones.
 */
import { describe, expect, it } from 'vitest';
import { MATCH_TOLERANCE_MS, scoreContacts, type DetectedContact, type Score, type TruthContact } from '../host/src/replay/score.js';
import { calibrationFor, motionSamples, motionSource, MOTION_KINDS } from '../host/src/sim/motions.js';
import { createWalker, type GaitStyle, type Mount, MOUNTS, sampleWalker, type Segment } from '../host/src/sim/walker.js';
import { rotationZYX } from '../host/src/replay/run.js';
import { withSensorError } from '../host/src/replay/sensor-errors.js';
import { DECIDE_MS, FLOOR_TURN_SPREAD_G, PIVOT_MIN_LIFT_M, SLIDE_MIN_M } from '../shared/gait/constants.js';
import { NOT_MOVED, STEP, STEP_IN_WALK } from '../shared/gait/decision.js';
import {
  type Calibration,
  CAL_DONE,
  createGaitEngine,
  DIR_BACKWARD,
  DIR_FORWARD,
  EVENT_BOUT_END,
  EVENT_BOUT_START,
  EVENT_CALIBRATION,
  EVENT_CONTACT,
  FIRST_HEEL,
  FIRST_TOE,
  type GaitEngine,
  type StrideVerdict,
  WRONG_BACKWARD_FLAT,
  WRONG_BACKWARD_HEEL,
  WRONG_DEFAULT,
  WRONG_FORWARD_FLAT,
  WRONG_FORWARD_TOE,
  verdictsBy,
} from '../shared/gait/engine.js';

interface Contact extends DetectedContact {
  /** when the engine said so */
  emitted_ms: number;
  wrong: boolean;
  calibrated: boolean;
}

/** Drives the engine (its public API only) over samples; collects contacts, calibration states and bout edges. */
function drive(t_ms: ArrayLike<number>, samples: ArrayLike<number>, opts: { calibration?: Calibration; wrongRule?: number } = {}) {
  const contacts: Contact[] = [];
  const states: { state: number; t_ms: number; at_ms: number }[] = [];
  const bouts: { kind: 'start' | 'end'; t_ms: number }[] = [];
  let now = 0;
  const engine: GaitEngine = createGaitEngine((e) => {
    if (e.type === EVENT_CONTACT) {
      contacts.push({
        t_ms: e.t_ms,
        emitted_ms: now,
        direction: e.direction === DIR_FORWARD ? 'forward' : e.direction === DIR_BACKWARD ? 'backward' : 'unknown',
        first: e.first === FIRST_HEEL ? 'heel' : e.first === FIRST_TOE ? 'toe' : 'flat',
        wrong: e.wrong,
        calibrated: e.calibrated,
      });
    } else if (e.type === EVENT_CALIBRATION) states.push({ state: e.cal_state, t_ms: e.t_ms, at_ms: now });
    else if (e.type === EVENT_BOUT_START || e.type === EVENT_BOUT_END) bouts.push({ kind: e.type === EVENT_BOUT_START ? 'start' : 'end', t_ms: e.t_ms });
  }, opts.wrongRule);
  if (opts.calibration) engine.setCalibration(opts.calibration);
  for (let i = 0, k = 0; i < t_ms.length; i++, k += 6) {
    now = t_ms[i];
    engine.push(t_ms[i], samples[k], samples[k + 1], samples[k + 2], samples[k + 3], samples[k + 4], samples[k + 5]);
  }
  return { contacts, states, bouts, engine };
}

/** A walk's samples at `rate`: most of a test's time (the walker's 1 kHz layout; the engine takes a tenth of it). */
function sampled(segments: Segment[], seed: number, mount: Mount, rate: number) {
  const w = createWalker(segments, { seed, mount });
  return { w, ...sampleWalker(w, rate) };
}

function walk(segments: Segment[], seed: number, mount: Mount, rate: number, opts: { calibration?: Calibration; wrongRule?: number } = {}) {
  const { w, t_ms, samples } = sampled(segments, seed, mount, rate);
  return { w, ...drive(t_ms, samples, opts) };
}

/** fn's result, made at the first call and kept: a walk two tests read is walked once (each test still runs alone). */
function once<T>(fn: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: fn() }).value;
}

/** A pod's axes in its own frame: up (gravity's reaction while the foot is flat) and the toe. */
function axesOf(mount: Mount): { up: number[]; toe: number[] } {
  const m = rotationZYX(...mount.deg); // sensor -> foot
  return { up: [m[6], m[7], m[8]], toe: [m[0], m[1], m[2]] };
}
const angleDeg = (a: number[], b: number[]) => (Math.acos(Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]))) * 180) / Math.PI;

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
const figures = (s: Score) => `${s.detected} counted of ${s.truth} (${s.missed} missed, ${s.extra} extra), direction ${pct(s.direction_correct, s.matched)}, class ${pct(s.first_correct, s.matched)}`;

function addScores(all: Score[]): Score {
  const t: Score = { truth: 0, detected: 0, matched: 0, missed: 0, extra: 0, direction_correct: 0, first_labelled: 0, first_correct: 0, latencies_ms: [] };
  for (const s of all) for (const k of ['truth', 'detected', 'matched', 'missed', 'extra', 'direction_correct', 'first_labelled', 'first_correct'] as const) t[k] += s[k];
  return t;
}

/** The budgets these tests hold the engine to: count within 2%, direction >= 99%, first contact >= 95% of the strides found. */
function expectAccurate(s: Score, what: string): void {
  expect(Math.abs(s.detected - s.truth), `${what}: count (${figures(s)})`).toBeLessThanOrEqual(0.02 * s.truth);
  expect(s.direction_correct, `${what}: direction (${figures(s)})`).toBeGreaterThanOrEqual(0.99 * s.matched);
  expect(s.first_correct, `${what}: first contact (${figures(s)})`).toBeGreaterThanOrEqual(0.95 * s.matched);
}

/** Stand (the sensor's rest level, the standing pose), then forward strides: the pod learns its mount. */
const LEARN: Segment[] = [
  { kind: 'stand', duration_s: 5 },
  { kind: 'walk', direction: 'forward', strides: 12 },
];
const script = (...rest: Segment[]): Segment[] => [...LEARN, ...rest, { kind: 'stand', duration_s: 3 }];

const WALKS: [string, Segment][] = [
  ['forward brisk', { kind: 'walk', direction: 'forward', strides: 30, cadence_spm: 130, stride_m: 1.6 }],
  ['backward', { kind: 'walk', direction: 'backward', strides: 30 }],
  ['backward jogging', { kind: 'walk', direction: 'backward', strides: 30, cadence_spm: 170, stride_m: 1.0 }],
  ['5% incline up', { kind: 'walk', direction: 'forward', strides: 30, rise_m: 0.07 }],
  ['turning (a full circle forward, a half backward)', { kind: 'walk', direction: 'forward', strides: 20, turn_deg: 360 }],
];
/** (the turn's backward half: a separate walk after the forward circle) */
const BACKWARD_TURN: Segment = { kind: 'walk', direction: 'backward', strides: 16, turn_deg: -180 };

describe('every mounting learns its mount and tells forward from backward', () => {
  const names = Object.keys(MOUNTS);
  for (const rate of [26, 52, 104]) {
    for (const [k, name] of names.entries()) {
      it(`${name} at ${rate} Hz: ${WALKS.map(([w]) => w).join(', ')}`, () => {
        const mount = MOUNTS[name];
        const axes = axesOf(mount);
        const scores: Score[] = [];
        const lines: string[] = [];
        for (const [j, [what, seg]] of WALKS.entries()) {
          const segs = j === WALKS.length - 1 ? script(seg, { kind: 'stand', duration_s: 2 }, BACKWARD_TURN) : script(seg);
          const r = walk(segs, 1 + ((k + j) % 8), mount, rate);
          const s = scoreContacts(r.w.truth, r.contacts);
          scores.push(s);
          lines.push(`${what}: ${figures(s)}`);
          // learnt: once, from the forward strides, and the axes it learnt are the pod's
          const cal = r.engine.getCalibration();
          expect(cal, `${what}: a mount learnt`).not.toBeNull();
          expect(r.states.filter((e) => e.state === CAL_DONE).length, `${what}: learnt once`).toBe(1);
          expect(angleDeg(cal!.up, axes.up), `${what}: up`).toBeLessThan(10);
          // (the walker toes out 7 +- 3 deg from the way it walks: the toe axis learnt is the way it walks)
          expect(angleDeg(cal!.toe, axes.toe), `${what}: toe axis`).toBeLessThan(20);
        }
        expectAccurate(addScores(scores), `${name} at ${rate} Hz\n  ${lines.join('\n  ')}\n  all`);
      });
    }
  }
});

describe('wrong gait: each rule buzzes its strides and no others', () => {
  const segs = script(
    { kind: 'walk', direction: 'backward', strides: 20, odd: [3, 9, 15] }, // three backward strides on the heel
    { kind: 'stand', duration_s: 2 },
    { kind: 'walk', direction: 'forward', strides: 20, odd: [5, 12] }, // two forward strides on the toe
    { kind: 'stand', duration_s: 2 },
    { kind: 'walk', direction: 'backward', strides: 12, first: 'flat' },
    { kind: 'stand', duration_s: 2 },
    { kind: 'walk', direction: 'forward', strides: 12, first: 'flat' },
  );
  const rules: [string, number, (t: TruthContact) => boolean][] = [
    ['by default: backward on the heel', WRONG_DEFAULT, (t) => t.direction === 'backward' && t.first === 'heel'],
    ['backward landing flat', WRONG_BACKWARD_FLAT, (t) => t.direction === 'backward' && t.first === 'flat'],
    ['forward on the toe', WRONG_FORWARD_TOE, (t) => t.direction === 'forward' && t.first === 'toe'],
    ['forward landing flat', WRONG_FORWARD_FLAT, (t) => t.direction === 'forward' && t.first === 'flat'],
    ['backward on the heel or forward on the toe', WRONG_BACKWARD_HEEL | WRONG_FORWARD_TOE, (t) => (t.direction === 'backward' && t.first === 'heel') || (t.direction === 'forward' && t.first === 'toe')],
    ['switched off', 0, () => false],
  ];
  const bits: [number, string, string][] = [
    [WRONG_BACKWARD_HEEL, 'backward', 'heel'],
    [WRONG_BACKWARD_FLAT, 'backward', 'flat'],
    [WRONG_FORWARD_TOE, 'forward', 'toe'],
    [WRONG_FORWARD_FLAT, 'forward', 'flat'],
  ];
  // (at 26 Hz a flat landing is told from heel or toe by one or two samples: its class, ~92-97%, is in the bench)
  for (const rate of [52, 104]) {
    // (the same walk for every rule: only the engine's rule differs)
    const walked = once(() => sampled(segs, 6, MOUNTS.laces, rate));
    for (const [what, rule, isWrong] of rules) {
      it(`${what} at ${rate} Hz`, () => {
        const { w, t_ms, samples } = walked();
        const r = { w, ...drive(t_ms, samples, { wrongRule: rule }) };
        // the flag is the rule applied to what the engine reported, on every stride
        for (const c of r.contacts) expect(c.wrong, `${c.t_ms}: ${c.direction} ${c.first}`).toBe(bits.some(([b, d, f]) => (rule & b) !== 0 && d === c.direction && f === c.first));
        // and what it reported is right: the truly wrong strides buzz, the others do not (first contact >= 95%)
        const wrongTruth = r.w.truth.filter(isWrong);
        const buzzed = scoreContacts(wrongTruth, r.contacts.filter((c) => c.wrong));
        const quiet = scoreContacts(r.w.truth.filter((t) => !isWrong(t)), r.contacts.filter((c) => !c.wrong));
        const say = `${wrongTruth.length} wrong strides, ${buzzed.matched} buzzed; ${buzzed.extra} buzzes on other strides; all: ${figures(scoreContacts(r.w.truth, r.contacts))}`;
        expect(buzzed.missed, say).toBeLessThanOrEqual(Math.floor(0.05 * wrongTruth.length));
        expect(buzzed.extra, say).toBeLessThanOrEqual(Math.floor(0.05 * quiet.matched));
      });
    }
  }
});

describe("a gyro's zero-rate offset, learnt while the foot stands", () => {
  // 8 dps on each axis (14 in all), past what an LSM6DS3 reads at rest after trim: without the learning, 52 Hz
  // strides were found but 7 of 40 landings on the laces were called the wrong first contact, the class the
  // wrong-gait buzz stands on
  const segs: Segment[] = [{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'stand', duration_s: 2 }, { kind: 'walk', direction: 'backward', strides: 20 }, { kind: 'stand', duration_s: 3 }];
  it('after standing, every stride is found both ways with its first contact, as without the offset (52 Hz)', () => {
    for (const name of ['laces', 'side-of-shoe-tilted', 'heel-counter-upside-down']) {
      const w = createWalker(segs, { seed: 11, mount: MOUNTS[name] });
      const { t_ms, samples } = sampleWalker(w, 52);
      const offset = withSensorError(samples, { name: 'gyro offset +8 -8 +8 dps', gain: 1, offset_g: [0, 0, 0], gyro_dps: [8, -8, 8] });
      const s = scoreContacts(w.truth, drive(t_ms, offset).contacts);
      expect(s.matched, `${name}: ${figures(s)}`).toBe(s.truth);
      expect(s.extra, `${name}: ${figures(s)}`).toBe(0);
      expect(s.direction_correct, `${name}: ${figures(s)}`).toBe(s.matched);
      expect(s.first_correct, `${name}: ${figures(s)}`).toBe(s.matched);
    }
  });
});

describe('counting does not wait for the mount', () => {
  const first: [string, Segment[]][] = [
    ['after standing', [{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'forward', strides: 12 }, { kind: 'walk', direction: 'backward', strides: 20 }, { kind: 'stand', duration_s: 3 }]],
    ['straight off, never seen standing', [{ kind: 'walk', direction: 'forward', strides: 12 }, { kind: 'walk', direction: 'backward', strides: 20 }, { kind: 'stand', duration_s: 3 }]],
  ];
  const MOUNTINGS = ['laces', 'side-of-shoe-tilted', 'heel-counter-upside-down'];
  for (const [how, segs] of first) {
    for (const rate of [52, 26]) {
      // (each mounting's walk, read by both tests below)
      const walked = MOUNTINGS.map((name, k) => once(() => walk(segs, 2 + k, MOUNTS[name], rate)));
      it(`a fresh pod's first walk (${how}, ${rate} Hz): its first strides count, at their own times, and none is lost`, () => {
        for (const [k, name] of MOUNTINGS.entries()) {
          const r = walked[k]();
          const forward = r.w.truth.filter((t) => t.direction === 'forward');
          // (not lost: counted within 80 ms, or 3 samples at 26 Hz, where a landing's first clear impact can be the
          // foot flat's, 2-3 samples after the initial contact: 16-18 of 1,800 such strides over 150 seeded runs, with
          // or without the gyro's offset learnt; docs/decisions.md, "The gyro's zero-rate offset")
          const window_ms = Math.max(MATCH_TOLERANCE_MS, (3 * 1000) / rate);
          const early = scoreContacts(forward, r.contacts.filter((c) => c.t_ms < forward[forward.length - 1].t_ms + 300), window_ms);
          expect(early.missed, `${name}: forward strides lost (${figures(early)})`).toBe(0);
          expect(early.extra, `${name}: ${figures(early)}`).toBe(0);
          // the very first stride is among them, at its own time (backdated, not when it was released)
          expect(Math.abs(r.contacts[0].t_ms - forward[0].t_ms), name).toBeLessThanOrEqual(80);
          expect(r.states.filter((e) => e.state === CAL_DONE).length, `${name}: learnt`).toBe(1);
          expectAccurate(scoreContacts(r.w.truth, r.contacts), `${name}, the whole walk`);
        }
      });

      it(`a fresh pod's first walk (${how}, ${rate} Hz): strides counted before the mount is learnt are marked calibrated=false, later ones true`, () => {
        for (const [k, name] of MOUNTINGS.entries()) {
          const r = walked[k]();
          const learnt = r.states.find((e) => e.state === CAL_DONE);
          expect(learnt, `${name}: learnt`).toBeDefined();
          // the strides counted before the mount was known (released as it is learnt: their direction was
          // taken as forward, not measured) are marked calibrated=false; every later one calibrated=true
          const assumed = r.contacts.filter((c) => c.emitted_ms <= learnt!.at_ms);
          const measured = r.contacts.filter((c) => c.emitted_ms > learnt!.at_ms);
          expect(assumed.length, `${name}: strides counted by the time it learnt`).toBeGreaterThanOrEqual(1);
          expect(measured.length, name).toBeGreaterThan(0);
          expect(assumed.filter((c) => c.calibrated).length, `${name}: of ${assumed.length} strides counted by the time it learnt (at ${learnt!.at_ms.toFixed(0)} ms), marked calibrated`).toBe(0);
          expect(measured.filter((c) => !c.calibrated).length, `${name}: of ${measured.length} later strides, marked uncalibrated`).toBe(0);
        }
      });
    }
  }
});

describe('the first step off standing', () => {
  // The foot that leaves second stands loaded while the weight shifts and the other foot rises and swings:
  // it rocks at 15-50 dps, never still, for up to ~1 s after its last still sample before its own swing
  // (voisard first steps: 650-1,000 ms at 26-100 Hz). Here the simulated foot wobbles, 25 dps about an axis
  // circling in its sole's plane at 3 Hz (1.3 deg: never still), for a while before its first swing, from
  // 0.4 to 2 s in 50 ms steps, so that the stance reference's age limit (MAX_PRESWING_MS) falls anywhere
  // in the wobble, the heel rise or the swing: the first stride counts every time.
  for (const rate of [52, 26]) {
    it(`counts the first stride however long the foot rocked, never still, before it (${rate} Hz)`, () => {
      for (const [k, name] of ['laces', 'side-of-shoe-tilted'].entries()) {
        const w = createWalker([{ kind: 'stand', duration_s: 4 }, { kind: 'walk', direction: 'forward', strides: 4 }, { kind: 'stand', duration_s: 3 }], { seed: 5 + k, mount: MOUNTS[name] });
        const plain = sampleWalker(w, rate);
        // the first swing: the first sample turning faster than 100 dps
        let swing = 0;
        while (Math.hypot(plain.samples[6 * swing + 3], plain.samples[6 * swing + 4], plain.samples[6 * swing + 5]) < 100) swing++;
        // the wobble: about the foot's x and y (the toe and left axes in the sensor frame)
        const m = rotationZYX(...MOUNTS[name].deg);
        for (let rock_ms = 400; rock_ms <= 2000; rock_ms += 50) {
          const samples = Float32Array.from(plain.samples);
          for (let i = 0; i < swing; i++) {
            const before = plain.t_ms[swing] - plain.t_ms[i];
            if (before > rock_ms) continue;
            const phase = (2 * Math.PI * 3 * before) / 1000;
            for (let a = 0; a < 3; a++) samples[6 * i + 3 + a] += 25 * (Math.cos(phase) * m[a] + Math.sin(phase) * m[3 + a]);
          }
          const r = drive(plain.t_ms, samples);
          const sc = scoreContacts(w.truth, r.contacts);
          const what = `${name}, rocked ${rock_ms} ms: ${figures(sc)}`;
          expect(Math.abs(r.contacts[0]?.t_ms - w.truth[0].t_ms), `${what}: the first stride, at its own time`).toBeLessThanOrEqual(80);
          expect(sc.missed, what).toBe(0);
        }
      }
    });
  }
});

describe('a stride under way when the samples start again (the pod woke from idle on it)', () => {
  // The idle pod's IMU wakes on the foot's motion, up to ~0.6 s into it (its 1.6 Hz samples), and the engine
  // starts again (resetMotion) with the first stride's swing already under way: that stride's start was not
  // seen, but it is a step of the walk that follows. Here the samples stop 1 s into the stand and start again
  // anywhere from the first swing's start to 150 ms before its landing.
  it('is counted with the walk after it, the way the walk goes; not judged for wrong gait; the same walk with the samples there counts the same', () => {
    const mount = MOUNTS.laces;
    const calibration = calibrationFor(mount, 4);
    // backward, the second stride landing on its heel (wrong by the default rule)
    const w = createWalker([{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'backward', strides: 6, odd: [1] }, { kind: 'stand', duration_s: 3 }], { seed: 4, mount });
    const { t_ms, samples } = sampleWalker(w, 52);
    let swing = 0;
    while (Math.hypot(samples[6 * swing + 3], samples[6 * swing + 4], samples[6 * swing + 5]) < 100) swing++;
    const all = drive(t_ms, samples, { calibration });
    expect(scoreContacts(w.truth, all.contacts).missed, 'with every sample').toBe(0);
    let tried = 0;
    for (let wake_ms = t_ms[swing]; wake_ms < w.truth[0].t_ms - 150; wake_ms += 40) {
      const keep = Array.from(t_ms.keys()).filter((i) => t_ms[i] < 1000 || t_ms[i] >= wake_ms);
      const r = drive(keep.map((i) => t_ms[i]), keep.flatMap((i) => Array.from(samples.subarray(6 * i, 6 * i + 6))), { calibration });
      const sc = scoreContacts(w.truth, r.contacts);
      const what = `samples from ${(wake_ms - t_ms[swing]).toFixed(0)} ms into the first swing: ${figures(sc)}`;
      expect(sc.missed, what).toBe(0);
      expect(sc.extra, what).toBe(0);
      expect(sc.direction_correct, what).toBe(sc.matched);
      expect(r.contacts.map((c) => c.wrong), what).toEqual(all.contacts.map((c, i) => i !== 0 && c.wrong));
      tried++;
    }
    expect(tried).toBeGreaterThan(5);
  });

  it('a foot standing still when the samples start again takes its first swing as any other: counted once', () => {
    const w = createWalker([{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 5 }, { kind: 'stand', duration_s: 3 }], { seed: 6, mount: MOUNTS.laces });
    const { t_ms, samples } = sampleWalker(w, 52);
    const keep = Array.from(t_ms.keys()).filter((i) => t_ms[i] < 1000 || t_ms[i] >= 3000);
    const r = drive(keep.map((i) => t_ms[i]), keep.flatMap((i) => Array.from(samples.subarray(6 * i, 6 * i + 6))));
    const sc = scoreContacts(w.truth, r.contacts);
    expect([sc.missed, sc.extra], figures(sc)).toEqual([0, 0]);
  });
});

describe('a pod moved on the shoe', () => {
  const segs: Segment[] = [
    { kind: 'stand', duration_s: 3 },
    { kind: 'walk', direction: 'forward', strides: 20 },
    { kind: 'stand', duration_s: 2 },
    { kind: 'walk', direction: 'backward', strides: 30 },
    { kind: 'stand', duration_s: 3 },
  ];
  const cal = calibrationFor(MOUNTS.laces, 1);
  const MOVED = ['side-of-shoe', 'laces-sideways', 'laces-pointing-back', 'heel-counter'];
  // (each move's walk, read by its own test and the last one)
  const walked = new Map(MOVED.map((moved) => [moved, once(() => walk(segs, 5, MOUNTS[moved], 52, { calibration: cal }))]));

  for (const moved of MOVED) {
    it(`from the laces to ${moved}: learnt again during the forward walk, and counting goes on`, () => {
      const r = walked.get(moved)!();
      const axes = axesOf(MOUNTS[moved]);
      const now = r.engine.getCalibration();
      expect(now, 'a mount at the end').not.toBeNull();
      expect(angleDeg(now!.up, axes.up), 'up').toBeLessThan(10);
      expect(angleDeg(now!.toe, axes.toe), 'toe axis').toBeLessThan(20);
      // every stride counted, moved or not; the backward ones (walked after the relearning) backward
      const all = scoreContacts(r.w.truth, r.contacts);
      expect(Math.abs(all.detected - all.truth), figures(all)).toBeLessThanOrEqual(0.02 * all.truth);
      const forwardEnd = r.w.truth.filter((t) => t.direction === 'forward').pop()!.t_ms;
      const backward = scoreContacts(
        r.w.truth.filter((t) => t.direction === 'backward'),
        r.contacts.filter((c) => c.t_ms > forwardEnd + 500),
      );
      expectAccurate(backward, `${moved}: backward after relearning`);
    });
  }

  it('the new mount is announced (CAL_DONE) during the forward walk: the pod saves its calibration on that event (firmware/src/pod.ts)', () => {
    const lines: string[] = [];
    for (const moved of MOVED) {
      const r = walked.get(moved)!();
      const forwardEnd = r.w.truth.filter((t) => t.direction === 'forward').pop()!.t_ms;
      const done = r.states.filter((e) => e.state === CAL_DONE && e.at_ms < forwardEnd + 1000);
      if (done.length === 0) lines.push(`${moved}: calibration events ${JSON.stringify(r.states.map((e) => [e.state, Math.round(e.at_ms)]))}`);
    }
    expect(lines, 'moved pods whose new mount was not announced').toEqual([]);
  });
});

describe('a rolling walker jogging backward', () => {
  // (the simulator's slow rolling walker: the foot rolls on through the stance, so as it stops turning the roll
  // pushes the sensor 0.2-0.4 g off its rest level and no stance sample is calm; engine.ts, settleWhereTurnStops. At
  // 175 steps a minute the stance is short and loaded, its force 1.2-2.7 g along gravity as the foot stops
  // turning: taken as down only if its force is not asked to be near the rest level, which lost 8-19 of these
  // 126 strides per mounting)
  const style: GaitStyle = { preswing_s: 1, preswingMaxShare: 0.54, flatRoll: 0.4, accScale: 1.02 };
  for (const cadence_spm of [155, 175]) {
    const jog: Segment = { kind: 'walk', direction: 'backward', strides: 30, cadence_spm, stride_m: 1.0 };
    for (const name of ['laces', 'side-of-shoe']) {
      it(`${name} at 52 Hz, ${cadence_spm} steps a minute: every stride counted, backward`, () => {
        const scores: Score[] = [];
        for (const seed of [1, 2, 3]) {
          const w = createWalker(script({ kind: 'stand', duration_s: 2 }, jog), { seed, mount: MOUNTS[name], style });
          const { t_ms, samples } = sampleWalker(w, 52);
          scores.push(scoreContacts(w.truth, drive(t_ms, samples).contacts));
        }
        expectAccurate(addScores(scores), `${name}, seeds 1-3`);
      });
      // (at 26 Hz the stance is one or two samples turning 8-35 deg/s and loaded, none still: the foot is taken
      // as down where its turn went through its least in a V, and as landed where its turn collapses under load;
      // engine.ts, settleWhereTurnStops and landing. Without them 10-53 of these 90 jog strides per mounting were
      // counted; with them 78-90 (side-of-shoe at 175 steps a minute, 78). Scored on the jog's strides alone, within 150 ms: a stride that lands between two samples is found 95-150
      // ms after its landing, which the 80 ms window of the other tests counts as a miss and an extra)
      it(`${name} at 26 Hz, ${cadence_spm} steps a minute: four jog strides in five counted, backward`, () => {
        const scores: Score[] = [];
        for (const seed of [1, 2, 3]) {
          const w = createWalker(script({ kind: 'stand', duration_s: 2 }, jog), { seed, mount: MOUNTS[name], style });
          const { t_ms, samples } = sampleWalker(w, 26);
          const forwardEnd_ms = w.truth.filter((t) => t.direction === 'forward').pop()!.t_ms;
          const jogContacts = drive(t_ms, samples).contacts.filter((c) => c.t_ms > forwardEnd_ms + 300);
          scores.push(scoreContacts(w.truth.filter((t) => t.direction === 'backward'), jogContacts, 150));
        }
        const s = addScores(scores);
        expect(s.matched, `${name}, seeds 1-3 (${figures(s)})`).toBeGreaterThanOrEqual(0.8 * s.truth);
        expect(s.extra, `${name}, seeds 1-3: extra (${figures(s)})`).toBeLessThanOrEqual(0.02 * s.truth);
        expect(s.direction_correct, `${name}, seeds 1-3: direction (${figures(s)})`).toBeGreaterThanOrEqual(0.99 * s.matched);
      });
    }
  }
});

describe('not walking: at most 1 stride in 10 minutes (52 Hz, a calibrated pod)', () => {
  for (const kind of MOTION_KINDS) {
    it(kind, () => {
      const lines: string[] = [];
      let worst = 0;
      for (const [k, name] of ['laces', 'side-of-shoe', 'heel-counter'].entries()) {
        const seed = 1 + k;
        const { t_ms, samples } = motionSamples(kind, seed, 52, 10, MOUNTS[name]);
        const r = drive(t_ms, samples, { calibration: calibrationFor(MOUNTS[name], seed) });
        lines.push(`${name} (seed ${seed}): ${r.contacts.length}${r.contacts.length ? ` at ${r.contacts.map((c) => (c.t_ms / 1000).toFixed(1)).join(', ')} s` : ''}`);
        worst = Math.max(worst, r.contacts.length);
      }
      expect(worst, lines.join('; ')).toBeLessThanOrEqual(1);
    });
  }
});

describe('a shuffle that goes on right after a walk', () => {
  it('has at most one stride counted as a step in the walk (stepInWalk) before the next real step, the way the walk went', () => {
    // (the walk's last stride ends as the shuffle starts; 40 walk ends, forward and backward)
    const seen: string[] = [];
    let inWalkSteps = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const w = createWalker([{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: seed % 2 ? 'forward' : 'backward', strides: 12 }], { seed });
      const shuffle = motionSource('shuffle', seed);
      const end_ms = w.duration_ms - 300;
      let run = 0;
      const inWalkAt = new Set<number>();
      let walkDir = 0;
      const engine = createGaitEngine((e) => {
        if (e.type !== EVENT_CONTACT) return;
        // (the walk's way as the engine counted it: a fresh pod takes its first walk as forward)
        if (inWalkAt.has(e.t_ms) && e.direction !== walkDir) seen.push(`seed ${seed}: the step in the walk at ${(e.t_ms / 1000).toFixed(1)} s went the other way`);
        walkDir = e.direction;
      }, undefined, verdictsBy((v) => {
        if (v.verdict === STEP) run = 0;
        else if (v.verdict === STEP_IN_WALK) {
          inWalkSteps++;
          inWalkAt.add(v.t_ms);
          if (++run > 1) seen.push(`seed ${seed}: another at ${(v.t_ms / 1000).toFixed(1)} s`);
        }
      }));
      const out = new Float64Array(6);
      for (let t = 0; t < end_ms + 60_000; t += 1000 / 52) {
        if (t < end_ms) w.source(t, 52, out);
        else shuffle(t - end_ms, 52, out);
        engine.push(t, out[0], out[1], out[2], out[3], out[4], out[5]);
      }
    }
    expect(seen).toEqual([]);
    // the premise: the shuffles do bring strides the rule counts
    expect(inWalkSteps).toBeGreaterThan(0);
  });
});

describe('a foot set down somewhere new without a swing (the closing step into standing, shuffled: SLIDE_MIN_M)', () => {
  // A walk of 8 strides, then standing; after_ms past the last landing the foot slides flat along its toe axis
  // by slide_m in 0.4 s, rocking about its side axis at up to 60 dps (under SWING_DPS: no swing starts), and
  // stands again. The slide's force and turn are worked out in the sensor's frame from its still reading
  // before it (gravity there) and the mount's axes.
  const RATE_HZ = 52, SLIDE_MS = 400, PEAK_DPS = 60;
  const mount = MOUNTS.laces;
  // (before: the slide's after_ms is from the walk's first landing, negative: before the walk, which goes backward)
  // (the walk, and the one before which slides come, each walked once for every slide put into a copy of it)
  const walks = [false, true].map((before) => once(() => sampled([{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: before ? 'backward' : 'forward', strides: 8 }, { kind: 'stand', duration_s: 6 }], 3, mount, RATE_HZ)));
  function slideAfterWalk(slide_m: number, after_ms: number, wrongRule?: number, slides: { after_ms: number; ms: number }[] = [{ after_ms, ms: SLIDE_MS }], before = false) {
    const { w, t_ms, samples } = walks[before ? 1 : 0]();
    const s = Float32Array.from(samples);
    const anchor_ms = w.truth[before ? 0 : w.truth.length - 1].t_ms;
    const start = anchor_ms + after_ms;
    for (const slide of slides) slideIn(t_ms, s, anchor_ms + slide.after_ms, slide.ms, slide_m);
    return { w, start, ...drive(t_ms, s, { calibration: calibrationFor(mount, 3), wrongRule }) };
  }
  /** The slide, from `from` (ms) for `ms`, into the samples s (in place). */
  function slideIn(t_ms: ArrayLike<number>, s: Float32Array, from: number, ms: number, slide_m: number): void {
    const { up, toe } = axesOf(mount);
    const side = [up[1] * toe[2] - up[2] * toe[1], up[2] * toe[0] - up[0] * toe[2], up[0] * toe[1] - up[1] * toe[0]];
    {
      let i0 = 0;
      while (t_ms[i0] < from) i0++;
      const g = [s[6 * i0 - 6], s[6 * i0 - 5], s[6 * i0 - 4]];
      const tilt = (PEAK_DPS * ms) / 1000 / Math.PI; // deg: the rocking's largest angle
      for (let i = i0; t_ms[i] <= from + ms; i++) {
        const u = (t_ms[i] - from) / ms, wave = Math.sin(2 * Math.PI * u);
        // along the toe: accelerating then braking (m/s^2 -> g), so it ends at rest slide_m further on
        const a_g = (slide_m * 2 * Math.PI * wave) / (ms / 1000) ** 2 / 9.80665;
        const f = g.map((x, k) => x + a_g * toe[k]);
        // rocked by th about the side axis: the force as the turned sensor feels it (turned back by th)
        const th = ((tilt * Math.sin(Math.PI * u) ** 2) * Math.PI) / 180, c = Math.cos(th), sn = -Math.sin(th);
        const kf = side[0] * f[0] + side[1] * f[1] + side[2] * f[2];
        const cross = [side[1] * f[2] - side[2] * f[1], side[2] * f[0] - side[0] * f[2], side[0] * f[1] - side[1] * f[0]];
        for (let k = 0; k < 3; k++) {
          s[6 * i + k] = f[k] * c + cross[k] * sn + side[k] * kf * (1 - c);
          s[6 * i + 3 + k] += PEAK_DPS * wave * side[k];
        }
      }
    }
  }

  it('within the walk (0.9 s after its last step): one step more, at the slide\'s end, the way the walk went, flat and not judged for wrong gait', () => {
    const { w, start, contacts } = slideAfterWalk(0.1, 900, WRONG_FORWARD_FLAT);
    expect(contacts.length).toBe(w.truth.length + 1);
    const last = contacts[contacts.length - 1];
    expect(last.t_ms).toBeGreaterThanOrEqual(start + SLIDE_MS - 100);
    expect(last.t_ms).toBeLessThanOrEqual(start + SLIDE_MS + 200);
    expect(last.direction).toBe('forward');
    expect(last.first).toBe('flat');
    expect(last.wrong).toBe(false);
  });

  it('rocking in place (no slide), a slide shorter than SLIDE_MIN_M, one after the walk is over, or one slower than a swing (MAX_SWING_MS): nothing more', () => {
    for (const [slide_m, after_ms] of [[0, 900], [SLIDE_MIN_M / 2, 900], [0.1, 4000]]) {
      const { w, contacts } = slideAfterWalk(slide_m, after_ms);
      expect(contacts.length, `${slide_m} m, ${after_ms} ms after`).toBe(w.truth.length);
    }
    const slow = slideAfterWalk(0.1, 700, undefined, [{ after_ms: 700, ms: 1500 }]);
    expect(slow.contacts.length, 'a 1.5 s slide').toBe(slow.w.truth.length);
  });

  it("before a walk, a stride period or so before its first landing: the walk's first step, the way the walk goes, flat and not judged; a pause after it, nothing", () => {
    const first = slideAfterWalk(0.1, -1500, WRONG_BACKWARD_FLAT, undefined, true);
    expect(first.contacts.length).toBe(first.w.truth.length + 1);
    const slid = first.contacts[0];
    expect(slid.t_ms).toBeGreaterThanOrEqual(first.start + SLIDE_MS - 100);
    expect(slid.t_ms).toBeLessThanOrEqual(first.start + SLIDE_MS + 200);
    expect(slid.direction).toBe('backward');
    // (flat and not judged, as a slide within a walk: nothing of its landing was seen)
    expect(slid.first).toBe('flat');
    expect(slid.wrong).toBe(false);
    const fidget = slideAfterWalk(0.1, -4000, undefined, undefined, true);
    expect(fidget.contacts.length, '4 s before the walk').toBe(fidget.w.truth.length);
  });

  it("before a walk, after another walk that ended on a slid step (counted within it, once until the next step) and a pause: the walk's first step all the same", () => {
    // (the "once" is the walk's: it lapses with the walk, so the next walk's slid first step counts as if there had been no walk before)
    const w = createWalker([{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 8 }, { kind: 'stand', duration_s: 15 }, { kind: 'walk', direction: 'backward', strides: 8 }, { kind: 'stand', duration_s: 3 }], { seed: 3, mount });
    const { t_ms, samples } = sampleWalker(w, RATE_HZ);
    const end1 = w.truth[7].t_ms, first2 = w.truth[8].t_ms;
    for (const closing of [false, true]) {
      const s = Float32Array.from(samples);
      if (closing) slideIn(t_ms, s, end1 + 900, SLIDE_MS, 0.1);
      slideIn(t_ms, s, first2 - 1400, SLIDE_MS, 0.1);
      const { contacts } = drive(t_ms, s, { calibration: calibrationFor(mount, 3) });
      const what = closing ? 'the first walk closed by a slid step' : 'the first walk closed by a swung step';
      expect(contacts.length, what).toBe(w.truth.length + (closing ? 2 : 1));
      const before = contacts.filter((c) => c.t_ms > end1 + 2000 && c.t_ms < first2 - 150);
      expect(before.map((c) => c.direction), what).toEqual(['backward']);
    }
  });

  it('two slides before the next step: one step (once until the next step)', () => {
    const { w, contacts } = slideAfterWalk(0.1, 700, undefined, [{ after_ms: 700, ms: SLIDE_MS }, { after_ms: 1500, ms: SLIDE_MS }]);
    expect(contacts.length).toBe(w.truth.length + 1);
  });
});

describe('a lone step-like motion is not a step', () => {
  const mount = MOUNTS.laces;
  const cal = calibrationFor(mount, 3);

  it('one stride (a tap of the foot forward, a shoe lifted and set down), then standing: nothing counted, calibrated or not', () => {
    for (const stride_m of [1.3, 0.4]) {
      const segs: Segment[] = [{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'forward', strides: 1, stride_m }, { kind: 'stand', duration_s: 12 }];
      for (const calibration of [cal, undefined]) {
        const r = walk(segs, 3, mount, 52, { calibration });
        expect(r.contacts, `${stride_m} m, ${calibration ? 'calibrated' : 'fresh'}`).toEqual([]);
        expect(r.bouts, `${stride_m} m`).toEqual([]);
      }
    }
  });

  it('lone strides every few seconds are never a walk; two in a row are, both counted', () => {
    const lone: Segment[] = [{ kind: 'stand', duration_s: 3 }];
    for (let i = 0; i < 5; i++) lone.push({ kind: 'walk', direction: 'forward', strides: 1 }, { kind: 'stand', duration_s: 3 });
    expect(walk(lone, 4, mount, 52, { calibration: cal }).contacts).toEqual([]);
    const two = walk([{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'forward', strides: 2 }, { kind: 'stand', duration_s: 12 }], 4, mount, 52, { calibration: cal });
    const s = scoreContacts(two.w.truth, two.contacts);
    expect(s.matched, figures(s)).toBe(2);
    expect(s.extra, figures(s)).toBe(0);
    // a bout: it starts at the first and ends after the last
    expect(two.bouts.map((b) => b.kind)).toEqual(['start', 'end']);
    expect(two.bouts[0].t_ms).toBe(two.contacts[0].t_ms);
    expect(two.bouts[1].t_ms).toBe(two.contacts[1].t_ms);
  });

  it('one cycle of putting a shoe on is not a step', () => {
    for (const [k, name] of ['laces', 'side-of-shoe', 'heel-counter'].entries()) {
      const { t_ms, samples } = motionSamples('shoe-on', 4 + k, 52, 0.3, MOUNTS[name]);
      expect(drive(t_ms, samples, { calibration: calibrationFor(MOUNTS[name], 4 + k) }).contacts, name).toEqual([]);
    }
  });
});

describe('time and events', () => {
  it('each stride is timed at its landing (within 80 ms) and reported within DECIDE_MS of it, in time order', () => {
    const r = walk(script({ kind: 'walk', direction: 'backward', strides: 30 }), 7, MOUNTS.laces, 52);
    const s = scoreContacts(r.w.truth, r.contacts);
    expect(s.missed, figures(s)).toBe(0);
    for (let i = 1; i < r.contacts.length; i++) expect(r.contacts[i].t_ms).toBeGreaterThan(r.contacts[i - 1].t_ms);
    // once the mount is learnt and the walk under way, a stride is reported at most DECIDE_MS after it
    // landed (and a sample: the jitter), most at once
    const learnt = r.states.find((e) => e.state === CAL_DONE)!;
    const within = r.contacts.filter((c) => c.emitted_ms > learnt.at_ms);
    expect(within.length).toBeGreaterThan(20);
    for (const c of within) expect(c.emitted_ms - c.t_ms, `stride at ${c.t_ms.toFixed(0)} ms`).toBeLessThanOrEqual(DECIDE_MS + 1000 / 52);
  });

  it('a session is a bout from its first counted stride to its last', () => {
    const r = walk(script({ kind: 'walk', direction: 'backward', strides: 10 }, { kind: 'stand', duration_s: 15 }), 8, MOUNTS.laces, 52);
    expect(r.bouts.map((b) => b.kind)).toEqual(['start', 'end']);
    expect(r.bouts[0].t_ms).toBe(r.contacts[0].t_ms);
    expect(r.bouts[1].t_ms).toBe(r.contacts[r.contacts.length - 1].t_ms);
  });
});

describe('a turned foot shorter than a step: did it leave the floor? (ACC_SPREAD_G, FLOOR_TURN_SPREAD_G)', () => {
  // A foot standing 3 s, then turned 150 deg about the vertical in 0.5 s while it rises and comes down ~1 cm
  // (|acc| 1.07 g, then 0.93 g), then standing again: a pivot step, if the foot pushed off the floor first.
  const RATE_HZ = 52;
  function pivot(pushOff_g: number): StrideVerdict[] {
    const verdicts: StrideVerdict[] = [];
    const engine = createGaitEngine(() => {}, undefined, verdictsBy((v) => verdicts.push(v)));
    let t = 0;
    const push = (az: number, gz_dps: number) => {
      engine.push(t, 0, 0, az, 0, 0, gz_dps);
      t += 1000 / RATE_HZ;
    };
    for (let i = 0; i < 3 * RATE_HZ; i++) push(1, 0);
    const n = Math.round(0.5 * RATE_HZ), q = Math.round(0.15 * RATE_HZ);
    for (let i = 0; i < n; i++) push(i === 0 ? 1 + pushOff_g : i < q ? 1.07 : i < 2 * q ? 0.93 : 1, 300);
    for (let i = 0; i < 2 * RATE_HZ; i++) push(1, 0);
    return verdicts;
  }
  it('with no push-off its sensor felt gravity and little else: turned on the floor, not a step', () => {
    const [v, ...more] = pivot(0);
    expect(more).toEqual([]);
    expect(v.turn_deg).toBeGreaterThan(140);
    expect(v.lift_m).toBeGreaterThan(PIVOT_MIN_LIFT_M);
    expect(v.accSpread_g).toBeLessThan(FLOOR_TURN_SPREAD_G);
    expect(v.verdict).toBe(NOT_MOVED);
  });
  it('pushed off (0.3 g): a pivot step', () => {
    const [v, ...more] = pivot(0.3);
    expect(more).toEqual([]);
    expect(v.accSpread_g).toBeGreaterThan(FLOOR_TURN_SPREAD_G);
    expect(v.verdict).toBe(STEP);
  });
});
