/**
 * The gait engine on REAL recordings (gaitmap, MIT: test/fixtures/gaitmap/README.md):
 *  - 2 x 20 m, both feet, motion-capture contacts (forward, heel first), at 26, 52, 104 and the
 *    native 204.8 Hz, and averaged down to rates no file has (30, 40, 64, 100, 128 Hz);
 *  - 4 x 10 m with turns, another walker and sensor, contacts from an IMU algorithm.
 * Every labelled stride is found; and since the labels leave out the steps that start, turn and stop,
 * every swing is scored too, found label-free from the gyro (the test's own detector below). The same
 * walk seen from other mounting angles, or through a sensor with another gain and zero-g offset, gives
 * the same steps.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecording, type Recording } from '../host/src/replay/recording.js';
import { playedBackward } from '../host/src/replay/played-backward.js';
import { resampleByAveraging } from '../host/src/replay/resample.js';
import { firstName, rotateSamples, rotationZYX, runEngine } from '../host/src/replay/run.js';
import { firstContactOf } from '../shared/gait/contact.js';
import { sameStepTolerance_ms, SENSOR_ERRORS, stepsDiffer, withSensorError } from '../host/src/replay/sensor-errors.js';
import { LANDING_JOLT_MS } from '../host/src/replay/swings.js';
import { labelsAreContactTimes, matchWindowFor, type Score, scoreContacts, type DetectedContact } from '../host/src/replay/score.js';
import { type Calibration, createGaitEngine, DIR_BACKWARD, DIR_FORWARD, EVENT_CONTACT, FIRST_HEEL, FIRST_TOE, type StrideVerdict } from '../shared/gait/engine.js';
import { FLOOR_TURN_SPREAD_G, MIN_TURN_DEG } from '../shared/gait/constants.js';
import { NOT_LIFTED, STEP, STEP_IN_WALK } from '../shared/gait/decision.js';

const DIR = 'test/fixtures/gaitmap';
const load = (file: string): Recording => parseRecording(fs.readFileSync(`${DIR}/${file}`, 'utf8'), file);
const LONG = fs.readdirSync(DIR).filter((f) => f.startsWith('walk-2x20m-') && f.endsWith('.csv')).sort();
const SHORT = fs.readdirSync(DIR).filter((f) => f.startsWith('walk-4x10m-') && f.endsWith('.csv')).sort();
const FEET = ['left', 'right'];
/** The native-rate file of a walk and foot: the swings are found there, once, for every rate of it. */
const nativeOf = (file: string) => file.replace(/-[\d.]+hz\.csv$/, file.startsWith('walk-2x20m') ? '-204.8hz.csv' : '-102.4hz.csv');

interface Step extends DetectedContact {
  emitted_ms: number;
}

/** The engine (public API) over samples, from a mount already learnt if given: its counted steps. */
function steps(t_ms: ArrayLike<number>, samples: ArrayLike<number>, mount?: Calibration | null): Step[] {
  return stepsAndMount(t_ms, samples, mount).steps;
}

/** ...and the mount it has learnt at the end. */
function stepsAndMount(t_ms: ArrayLike<number>, samples: ArrayLike<number>, mount?: Calibration | null): { steps: Step[]; mount: Calibration | null } {
  const out: Step[] = [];
  let now = 0;
  const engine = createGaitEngine((e) => {
    if (e.type !== EVENT_CONTACT) return;
    out.push({
      t_ms: e.t_ms,
      emitted_ms: now,
      direction: e.direction === DIR_FORWARD ? 'forward' : e.direction === DIR_BACKWARD ? 'backward' : 'unknown',
      first: e.first === FIRST_HEEL ? 'heel' : e.first === FIRST_TOE ? 'toe' : 'flat',
    });
  });
  if (mount) engine.setCalibration(mount);
  for (let i = 0, k = 0; i < t_ms.length; i++, k += 6) {
    now = t_ms[i];
    engine.push(t_ms[i], samples[k], samples[k + 1], samples[k + 2], samples[k + 3], samples[k + 4], samples[k + 5]);
  }
  return { steps: out, mount: engine.getCalibration() };
}

const rateOf = (t_ms: ArrayLike<number>) => Math.round((1000 * (t_ms.length - 1)) / (t_ms[t_ms.length - 1] - t_ms[0]));
const figures = (s: Score) => `${s.matched} of ${s.truth} labelled found, ${s.extra} others, direction ${s.direction_correct}/${s.matched}${s.first_labelled ? `, first contact ${s.first_correct}/${s.first_labelled}` : ''}`;

/** Every labelled stride found, forward; heel first: every one at 52 Hz and above, 95% below. */
function expectLabelled(rec: Recording, got: Step[], rate_hz: number, what: string): void {
  const s = scoreContacts(rec.contacts, got, matchWindowFor(rec.meta));
  expect(s.missed, `${what}: ${figures(s)}`).toBe(0);
  expect(s.direction_correct, `${what}: ${figures(s)}`).toBe(s.matched);
  if (rec.contacts.some((c) => c.first !== 'unknown')) {
    if (rate_hz >= 52) expect(s.first_correct, `${what}: ${figures(s)}`).toBe(s.matched);
    else expect(s.first_correct, `${what}: ${figures(s)}`).toBeGreaterThanOrEqual(0.95 * s.matched);
  }
}

// ---- label-free swings ----
/**
 * A foot in swing turns faster than SWING_DPS (real walks 300-700 dps; a stance, a heel rise or a pivot
 * stays under 250), once per step: a new swing at most every SWING_GAP_MS. Its step lands within
 * STEP_AFTER_SWING_MS of the swing's first sample over SWING_DPS (a swing's second half lasts < 600 ms).
 */
const SWING_DPS = 250;
const SWING_GAP_MS = 700;
const STEP_AFTER_SWING_MS = 900;
/** ...and a step may be timed up to LANDING_JOLT_MS before it: a slow swing passes SWING_DPS only in its landing's jolt. */
const JOLT_MS = LANDING_JOLT_MS;

function swingsOf(rec: Recording): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < rec.t_ms.length; i++) {
    const w = Math.hypot(rec.samples[6 * i + 3], rec.samples[6 * i + 4], rec.samples[6 * i + 5]);
    if (w > SWING_DPS && rec.t_ms[i] - last > SWING_GAP_MS) {
      out.push(rec.t_ms[i]);
      last = rec.t_ms[i];
    }
  }
  return out;
}

/**
 * Every swing has a counted step landing after it (before the next swing, within STEP_AFTER_SWING_MS),
 * at most one; and every counted step follows a swing (nothing is counted while standing).
 */
function swingSteps(swings: number[], got: Step[]): { bare: string[]; standing: string[]; twice: string[] } {
  const windows = swings.map((s, i) => [s - JOLT_MS, Math.min(s + STEP_AFTER_SWING_MS, (swings[i + 1] ?? Infinity) - JOLT_MS)]);
  const stepsIn = windows.map(([a, b]) => got.filter((c) => c.t_ms > a && c.t_ms <= b).length);
  const bare = swings.filter((_, i) => stepsIn[i] === 0).map((t) => (t / 1000).toFixed(2));
  const twice = swings.filter((_, i) => stepsIn[i] > 1).map((t) => (t / 1000).toFixed(2));
  const standing = got.filter((c) => !windows.some(([a, b]) => c.t_ms > a && c.t_ms <= b)).map((c) => (c.t_ms / 1000).toFixed(2));
  return { bare, standing, twice };
}

function expectEverySwingStepped(swings: number[], got: Step[], what: string): void {
  expect(swingSteps(swings, got), `${what}: ${swings.length} swings (s) and ${got.length} steps counted: swings with no step after them, steps with no swing before them, swings counted twice`).toEqual({ bare: [], standing: [], twice: [] });
}

describe('the fixtures', () => {
  it('2 x 20 m: both feet at 26, 52, 104 and the native 204.8 Hz, motion-capture contacts; 4 x 10 m: both feet at 26, 52 and 102.4 Hz, IMU-algorithm contacts', () => {
    expect(LONG).toHaveLength(8);
    expect(SHORT).toHaveLength(6);
    for (const f of LONG) {
      const rec = load(f);
      expect(labelsAreContactTimes(rec.meta.contact_times), f).toBe(true);
      expect(rec.contacts.length, f).toBeGreaterThan(25);
    }
    for (const f of SHORT) expect(labelsAreContactTimes(load(f).meta.contact_times), f).toBe(false);
    expect(SHORT.reduce((n, f) => n + load(f).contacts.length, 0) / 3).toBe(22);
  });

  it('averaging down takes the mean of the input samples in each output period', () => {
    // 100 Hz input, one axis counting 0, 1, 2, ...: at 25 Hz each output sample is the mean of four
    const n = 12;
    const t = Float64Array.from({ length: n }, (_, i) => i * 10);
    const x = new Float32Array(n * 6);
    for (let i = 0; i < n; i++) x[6 * i] = i;
    const r = resampleByAveraging(t, x, 25);
    expect(Array.from(r.t_ms)).toEqual([0, 40, 80]);
    expect([r.samples[0], r.samples[6], r.samples[12]]).toEqual([1.5, 5.5, 9.5]);
  });
});

describe('2 x 20 m: every labelled stride, forward, heel first', () => {
  for (const file of LONG) {
    it(file, () => {
      const rec = load(file);
      expectLabelled(rec, steps(rec.t_ms, rec.samples), rec.rate_hz, file);
    });
  }
  for (const rate of [30, 40, 64, 100, 128]) {
    it(`the native 204.8 Hz walk averaged down to ${rate} Hz`, () => {
      for (const foot of FEET) {
        const rec = load(`walk-2x20m-${foot}-204.8hz.csv`);
        const r = resampleByAveraging(rec.t_ms, rec.samples, rate);
        expectLabelled(rec, steps(r.t_ms, r.samples), rate, `${foot} at ${rate} Hz`);
      }
    });
  }
});

// The 4 x 10 m walker rolls through short stances with no calm sample; through its turns the engine loses
// 0-9 of 30-32 swings (the strapdown's velocity runs away from a reference taken on a moving foot, so no
// landing is found): an open problem (docs/decisions.md), its figures in the bench (gait.fixture.gaitmap/
// walk-4x10m-*). Here: what it counts is right.
describe('4 x 10 m (turns; labels from an IMU algorithm, 20-68 ms after the contact): every step counted is a real one', () => {
  for (const file of SHORT) {
    it(`${file}: the labelled strides found are forward; no swing counted twice, nothing while standing`, () => {
      const rec = load(file);
      const got = steps(rec.t_ms, rec.samples);
      const s = scoreContacts(rec.contacts, got, matchWindowFor(rec.meta));
      expect(s.matched, `${file}: ${figures(s)}`).toBeGreaterThan(0);
      expect(s.direction_correct, `${file}: ${figures(s)}`).toBe(s.matched);
      const { standing, twice } = swingSteps(swingsOf(load(nativeOf(file))), got);
      expect({ standing, twice }, `${file}: steps with no swing before them, swings counted twice`).toEqual({ standing: [], twice: [] });
    });
  }
});

describe('4 x 10 m: its rolling stances and U-turns do not lose the stride', () => {
  // (its stance turns at 40-110 deg/s: a "swing" starts there and goes quiet before the real swing, and its
  // strides end on a sample still pushed by the roll. Two rules hold this: engine.ts resumeSwing, which the
  // 52 Hz recording needs (7 swings with no step without it), and, until it went on 2026-12-05, a tolerance of
  // 25 deg for the force at a stride's end, which the 102.4 Hz one needed (8 with 20 deg): the end force is
  // no longer judged (docs/decisions.md, "Rules no recording needs, taken out"). At 26 Hz, the calmness's
  // force jump taken as over 52 Hz's interval (CALM_JUMP_MS2): 5 with the jump per sample. At 52 Hz, a swing that runs past MAX_SWING_MS after a pivot
  // on the floor starting again (engine.ts overrun): 5 when it was dropped. At 52 and 102.4 Hz, a U-turn stride
  // swung slowly from a rolling stance (peak 87-106 deg/s, lifted 13-23 cm, 1.1-1.3 m) is a step in a walk
  // (decision.ts stepInWalk): 3 and 5 without it. A U-turn step of 0.4-1.3 m whose end force was 28-81 deg
  // off the gravity carried through its swing is a step now that the end force is not judged. What is left
  // is the open problem above; the left foot's U-turn step at 20.5 s at 102.4 Hz, landed toe first at -51 deg,
  // counts since the landing's steepness is no longer judged)
  const cases: [string, number][] = [
    ['walk-4x10m-right-52hz.csv', 2],
    ['walk-4x10m-right-102.4hz.csv', 3],
    ['walk-4x10m-right-26hz.csv', 3],
    ['walk-4x10m-left-52hz.csv', 0],
    ['walk-4x10m-left-102.4hz.csv', 1],
    ['walk-4x10m-left-26hz.csv', 0],
  ];
  for (const [file, most] of cases) {
    it(`${file}: at most ${most} of its swings with no step`, () => {
      const rec = load(file);
      const { bare } = swingSteps(swingsOf(load(nativeOf(file))), steps(rec.t_ms, rec.samples));
      expect(bare.length, `swings with no step (s): ${bare.join(', ')}`).toBeLessThanOrEqual(most);
    });
  }
});

describe('every swing scored: the steps the labels leave out (start, turns, stop) are counted, nothing while standing', () => {
  const cases: [string, () => { t_ms: ArrayLike<number>; samples: ArrayLike<number> }, string][] = [];
  // (the 2 x 20 m walks, motion capture; the 4 x 10 m walks' turns are the open problem above)
  for (const file of LONG) cases.push([file, () => load(file), nativeOf(file)]);
  for (const rate of [30, 40, 64, 100, 128]) {
    for (const foot of FEET) {
      const native = `walk-2x20m-${foot}-204.8hz.csv`;
      cases.push([`2 x 20 m ${foot} averaged down to ${rate} Hz`, () => {
        const rec = load(native);
        return resampleByAveraging(rec.t_ms, rec.samples, rate);
      }, native]);
    }
  }
  for (const [what, samplesOf, native] of cases) {
    it(what, () => {
      const swings = swingsOf(load(native));
      // the test's premise: the walk has steps the labels do not cover
      expect(swings.length).toBeGreaterThan(load(native).contacts.length);
      const { t_ms, samples } = samplesOf();
      expectEverySwingStepped(swings, steps(t_ms, samples), what);
    });
  }
});

// Backward gait is close to forward gait played in reverse (host/src/replay/played-backward.ts): the walk
// played backward is a real sensor's backward walk, landing on the toe. The mount is the one the engine
// learnt walking forward, as the pod learns it from the forward walk it asks for first.
describe('the same walk played backward: backward steps, toe first', () => {
  for (const file of LONG.filter((f) => !f.includes('204.8'))) {
    it(file, () => {
      const rec = load(file);
      const forward = stepsAndMount(rec.t_ms, rec.samples);
      const b = playedBackward(rec.t_ms, rec.samples);
      const got = steps(b.t_ms, b.samples, forward.mount);
      const ways = got.map((d) => d.direction[0]).join('');
      // every step but the forward walk's closing ones (played backward, shuffles before the walk: the right
      // foot's is missed at every rate; one more of slack)
      expect(got.length, ways).toBeGreaterThanOrEqual(forward.steps.length - 2);
      // every step backward, the first too: the walk begins with the forward walk's closing turn, turned steps
      // (pivots), whose travel runs along the toe axis: before any step has shown the walk's way, that is the
      // way (they were called forward, as the user is asked to walk first, until 2026-12-06; the engine before
      // 2026-12-05 called the left foot's first five steps forward, or half the steps after them). A steep
      // landing (50-70 deg toe down) has pitched the foot, not turned it
      expect(ways, ways).toBe('b'.repeat(got.length));
      // (the left foot lands one step mid-walk flat)
      const toe = got.filter((d) => d.first === 'toe').length;
      expect(toe, got.map((d) => d.first[0]).join('')).toBeGreaterThanOrEqual(0.9 * got.length);
    });
  }
});

describe("a walk's first step that slid counts when the walk follows at once", () => {
  // Played backward, gaitmap's 4 x 10 m left foot begins with its forward closing step: a short step slid off
  // standing (0.17 m, lifted under 1 cm), refused for how it swung, then the walk (its U-turn spin, then
  // steps). As a slid step into standing counts within a walk (STEP_IN_WALK), a slid step off standing counts
  // once a walk follows within UNSEEN_MAX_PERIODS stride periods: the walk's way, with what it measured. The
  // same stride with standing still for a while before the walk is a fidget, and counts nothing.
  const rec = load('walk-4x10m-left-52hz.csv');
  const forward = stepsAndMount(rec.t_ms, rec.samples);
  const b = playedBackward(rec.t_ms, rec.samples);
  const verdicts: StrideVerdict[] = [];
  const got = runEngine(b.t_ms, b.samples, { calibration: forward.mount, onVerdict: (v) => verdicts.push(v) });
  const slid = verdicts[0];

  it('counted, the way the walk goes', () => {
    expect(slid.verdict, 'the first stride: a short step refused for how it swung').toBe(NOT_LIFTED);
    expect(slid.travel_m).toBeGreaterThan(0.1);
    expect(got[0].t_ms).toBe(slid.t_ms);
    expect(got[0].stride_m).toBeCloseTo(slid.travel_m, 6);
    expect(got[0].first).toBe(firstName(firstContactOf(slid.pitch_deg)));
    expect(got[0].direction).toBe('backward');
    expect(got[1].t_ms - got[0].t_ms, 'the walk follows within a stride and a half').toBeLessThan(2000);
  });

  it('not counted when the walk starts only after standing still a while', () => {
    // 4 s of the stance after it, standing still, before the rest of the recording
    const cut = b.t_ms.findIndex((t) => t >= slid.decided_ms + 200);
    const pause = Math.round(4000 / (b.t_ms[1] - b.t_ms[0]));
    const dt = b.t_ms[1] - b.t_ms[0];
    const t = Float64Array.from({ length: b.t_ms.length + pause }, (_, i) => (i < cut ? b.t_ms[i] : i < cut + pause ? b.t_ms[cut - 1] + (i - cut + 1) * dt : b.t_ms[i - pause] + pause * dt));
    const s = new Float32Array(t.length * 6);
    for (let i = 0; i < t.length; i++) {
      const j = i < cut ? i : i < cut + pause ? cut - 1 : i - pause;
      for (let k = 0; k < 6; k++) s[6 * i + k] = k < 3 ? b.samples[6 * j + k] : i >= cut && i < cut + pause ? 0 : b.samples[6 * j + k];
    }
    const paused = runEngine(t, s, { calibration: forward.mount });
    expect(paused.some((d) => Math.abs(d.t_ms - slid.t_ms) < 1), 'the slid stride, a fidget before a pause').toBe(false);
    expect(paused.length, 'the walk after it, every step').toBe(got.filter((d) => d.t_ms > slid.t_ms + 1).length);
  });
});

describe("a walk's way is forgotten when it ends", () => {
  // A turned step goes the way the walk goes (its travel says nothing of it); a walk that ended backward must
  // not hand its way to the next one. The forward walk from its U-turn on (its first steps turned), alone and
  // after the same walk played backward and a minute of nothing (the pod asleep): the same steps, the same way.
  for (const file of ['walk-2x20m-left-52hz.csv', 'walk-2x20m-right-52hz.csv']) {
    it(file, () => {
      const rec = load(file);
      let mount: Calibration | null = null;
      const verdicts: StrideVerdict[] = [];
      const forward = runEngine(rec.t_ms, rec.samples, { onMount: (c) => (mount = c), onVerdict: (v) => verdicts.push(v) });
      const turn = verdicts.find((v) => (v.verdict === STEP || v.verdict === STEP_IN_WALK) && v.turn_deg >= MIN_TURN_DEG && v.t_ms > rec.t_ms[0] + 6000);
      expect(turn, 'a turned step in the middle of the walk').toBeDefined();
      const before = forward.filter((d) => d.t_ms < turn!.t_ms - 50).pop()!;
      const a = rec.t_ms.findIndex((t) => t >= before.t_ms + 250);
      const t1 = rec.t_ms.slice(a), s1 = rec.samples.slice(6 * a);
      const alone = runEngine(t1, s1, { calibration: mount });
      const b = playedBackward(rec.t_ms, rec.samples);
      const shift = b.t_ms[b.t_ms.length - 1] + 60000 - t1[0];
      const t = Float64Array.from([...b.t_ms, ...Array.from(t1, (x) => x + shift)]);
      const s = Float32Array.from([...b.samples, ...s1]);
      const after = runEngine(t, s, { calibration: mount }).filter((d) => d.t_ms >= t1[0] + shift);
      const ways = (xs: { direction: string; wrong: boolean }[]) => xs.map((d) => d.direction[0] + (d.wrong ? '!' : '')).join('');
      expect(ways(alone).slice(0, 3), 'the walk alone begins forward').toBe('fff');
      expect(ways(after), 'after a backward walk').toBe(ways(alone));
    });
  }
});

describe('the same walk from other mounting angles gives the same steps', () => {
  const mounts: [string, number[]][] = [
    ['upside down', rotationZYX(0, 0, 180)],
    ['pointing backwards', rotationZYX(180, 0, 0)],
    ['on its side, tilted', rotationZYX(30, 20, 90)],
    ['arbitrary', rotationZYX(-123, 47, -61)],
  ];
  for (const [name, m] of mounts) {
    it(`mounted ${name}`, () => {
      for (const file of ['walk-2x20m-left-52hz.csv', 'walk-2x20m-right-104hz.csv', 'walk-4x10m-left-52hz.csv']) {
        const rec = load(file);
        const base = steps(rec.t_ms, rec.samples);
        const turned = steps(rec.t_ms, rotateSamples(rec.samples, m));
        expectSameSteps(base, turned, 1000 / rateOf(rec.t_ms) + 1, `${file} ${name}`);
      }
    });
  }
});

/** Same count, each step within tol_ms of the other run's and the same way. */
function expectSameSteps(base: Step[], other: Step[], tol_ms: number, what: string): void {
  expect(stepsDiffer(base, other, tol_ms), what).toEqual([]);
}

// "the same step": within SAME_STEP_FRACTION of the walk's step period (host/src/replay/sensor-errors.ts)
describe('a sensor with another gain and zero-g offset gives the same steps', () => {
  // (the 2 x 20 m walks: the 4 x 10 m walker's rolling stances do not hold through a 60 mg offset yet, an open
  // problem the bench prints as gait.fixture.gaitmap/walk-4x10m-*.sensor_errors: docs/decisions.md)
  for (const file of LONG.filter((f) => !f.includes('204.8'))) {
    it(file, () => {
      const rec = load(file);
      const base = steps(rec.t_ms, rec.samples);
      const tol_ms = sameStepTolerance_ms(base);
      const differ: string[] = [];
      for (const e of SENSOR_ERRORS) {
        const d = stepsDiffer(base, steps(rec.t_ms, withSensorError(rec.samples, e)), tol_ms);
        if (d.length) differ.push(`${e.name}: ${d.join('; ')}`);
      }
      expect(differ, `${file}: sensor errors whose steps differ from the unmodified run's`).toEqual([]);
    });
  }
});

describe('a level stride read as rising through a zero-g offset is no stair (MAX_RISE_M: a climbing foot was lifted that high)', () => {
  // a 60 mg offset turned with the foot through a U-turn leaves (R - I) o in the force: 0.27-0.56 m of "rise" on
  // level ground at 26 and 52 Hz, with the path's highest point 0-4.5 cm (docs/decisions.md, issue 19, nineteenth session)
  const cases: [string, number, number][] = [
    ['walk-4x10m-left-52hz.csv', 3, 20.58],
    ['walk-4x10m-left-26hz.csv', 3, 24.5],
    ['walk-4x10m-right-26hz.csv', 6, 16.65],
  ];
  for (const [file, ei, t_s] of cases) {
    it(`${file} through ${SENSOR_ERRORS[ei].name}: its step at ${t_s} s`, () => {
      const rec = load(file);
      const base = steps(rec.t_ms, rec.samples);
      const tol_ms = sameStepTolerance_ms(base);
      expect(base.some((s) => Math.abs(s.t_ms - t_s * 1000) <= tol_ms), 'unmodified').toBe(true);
      const got = steps(rec.t_ms, withSensorError(rec.samples, SENSOR_ERRORS[ei]));
      expect(got.some((s) => Math.abs(s.t_ms - t_s * 1000) <= tol_ms), SENSOR_ERRORS[ei].name).toBe(true);
    });
  }
});

describe("a swing's |acc| range (ACC_SPREAD_G: did the foot leave the floor?)", () => {
  /** The engine's steps' ranges over a recording: the labelled ones (matched within 150 ms). */
  function spreads(rec: Recording, samples: ArrayLike<number>): number[] {
    const out: number[] = [];
    runEngine(rec.t_ms, samples, {
      onVerdict: (v) => {
        if (v.verdict === STEP && rec.contacts.some((c) => Math.abs(c.t_ms - v.t_ms) < 150)) out.push(v.accSpread_g);
      },
    });
    return out;
  }
  it('a labelled stride pushes off and lands: its range is far over FLOOR_TURN_SPREAD_G at 52 Hz', () => {
    for (const foot of FEET) {
      const rec = load(`walk-2x20m-${foot}-52hz.csv`);
      const s = spreads(rec, rec.samples);
      expect(s.length, foot).toBeGreaterThan(25);
      expect(Math.min(...s), foot).toBeGreaterThan(3 * FLOOR_TURN_SPREAD_G);
    }
  });
  it("is read against the sensor's own rest level: the same at gain 0.94 and 1.06", () => {
    const rec = load('walk-2x20m-left-52hz.csv');
    const base = spreads(rec, rec.samples);
    for (const gain of [0.94, 1.06]) {
      const got = spreads(rec, withSensorError(rec.samples, { name: `gain ${gain}`, gain, offset_g: [0, 0, 0] }));
      expect(got.length).toBe(base.length);
      // (within 2%: the rest level is learnt from the stances, and at the walk's start it is still settling; read in g, each would be 6% off)
      got.forEach((x, i) => expect(Math.abs(x - base[i]), `stride ${i} at gain ${gain}: ${x} against ${base[i]}`).toBeLessThanOrEqual(0.02 * base[i]));
    }
  });
});

describe("a gyro's zero-rate offset, learnt while the foot stands, loses no labelled stride", () => {
  // (the 4 x 10 m walks stand 2.9-3.5 s before the first step; 5-8 dps, more than an LSM6DS3 reads at rest after
  // trim, on one axis and on all three: without the learning, 4 x 10 m right at 102.4 Hz and left at 52 Hz lost labelled strides)
  const OFFSETS_DPS: [number, number, number][] = [[5, -5, 5], [-5, 5, -5], [8, 0, 0], [0, 8, 0], [0, 0, 8], [0, 0, -8]];
  for (const file of SHORT) {
    it(file, () => {
      const rec = load(file);
      for (const o of OFFSETS_DPS) {
        const e = { name: `gyro offset ${o.join(' ')} dps`, gain: 1, offset_g: [0, 0, 0] as [number, number, number], gyro_dps: o };
        expectLabelled(rec, steps(rec.t_ms, withSensorError(rec.samples, e)), rateOf(rec.t_ms), `${file}, ${e.name}`);
      }
    });
  }
});
