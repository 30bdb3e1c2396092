/**
 * The step decision (shared/gait/decision.ts): each "this is not walking"
 * rule, with a constructed stride just inside and just outside its threshold
 * (the thresholds are the named constants), and the cases the constants'
 * reasons name.
 */
import { describe, expect, it } from 'vitest';
import {
  CLEAR_STEP_M,
  MAX_RISE_M,
  MAX_POSE_TILT_DEG,
  MAX_STEP_M,
  MIN_LIFT_M,
  MIN_STEP_M,
  MIN_SWING_MS,
  MIN_TURN_DEG,
  PIVOT_MIN_LIFT_M,
  FLOOR_TURN_SPREAD_G,
  STEP_SWING_DPS,
  SWING_DPS,
  IN_WALK_MIN_M,
  SPIN_RADIUS_M,
  STAIR_MIN_SLOPE,
  UNSURE_START_DPS,
} from '../shared/gait/constants.js';
import {
  DECISION_NAMES,
  judgeStride,
  NOT_LIFTED,
  NOT_MOVED,
  NOT_SLOW_SWING,
  NOT_STAIR,
  NOT_SWING_SHORT,
  NOT_TILTED,
  NOT_TOO_FAR,
  STEP,
  STEP_IN_WALK,
  stepInWalk,
} from '../shared/gait/decision.js';
import { type StrideFeatures, strideOf } from '../shared/gait/stride.js';

/** A plain forward walking stride: every feature well inside every rule. */
const WALKING: StrideFeatures = { swing_ms: 420, peak_dps: 450, travel_m: 1.35, rise_m: 0.01, turn_deg: 4, tilt_deg: 2, lift_m: 0.12, pitch_deg: 18, start_dps: 5, accSpread_g: 1.2 };

function judge(change: Partial<StrideFeatures>): number {
  return judgeStride(strideOf({ ...WALKING, ...change }));
}

/** "just": 1% of the threshold's own size, or this small an absolute step where the threshold is an angle or a length */
const near = (x: number) => Math.max(Math.abs(x) * 0.01, 1e-4);

const name = (code: number) => `${code} (${DECISION_NAMES[code]})`;

function expectVerdict(change: Partial<StrideFeatures>, code: number): void {
  expect(name(judge(change)), JSON.stringify(change)).toBe(name(code));
}

it('a plain walking stride is a step', () => {
  expectVerdict({}, STEP);
});

describe('each rule, just inside and just outside its threshold', () => {
  it('the swing lasted like a swing (MIN_SWING_MS)', () => {
    expectVerdict({ swing_ms: MIN_SWING_MS + near(MIN_SWING_MS) }, STEP);
    expectVerdict({ swing_ms: MIN_SWING_MS - near(MIN_SWING_MS) }, NOT_SWING_SHORT);
  });

  it('the foot is back on the ground, its own up axis where it was: not a shoe set down on its side (MAX_POSE_TILT_DEG)', () => {
    expectVerdict({ tilt_deg: MAX_POSE_TILT_DEG - near(MAX_POSE_TILT_DEG) }, STEP);
    expectVerdict({ tilt_deg: MAX_POSE_TILT_DEG + near(MAX_POSE_TILT_DEG) }, NOT_TILTED);
  });

  it('the swing turned the foot like one (SWING_DPS)', () => {
    expectVerdict({ peak_dps: SWING_DPS + near(SWING_DPS) }, STEP);
    // (a short step, lifted: the slow-swing rule is the one that answers)
    const short = { travel_m: (CLEAR_STEP_M + MIN_STEP_M) / 2, lift_m: 0.05, turn_deg: 0 };
    expectVerdict({ ...short, peak_dps: SWING_DPS + near(SWING_DPS) }, STEP);
    expectVerdict({ ...short, peak_dps: SWING_DPS - near(SWING_DPS) }, NOT_SLOW_SWING);
  });

  it('...unless it lifted the foot (MIN_LIFT_M) and carried it past a short step (CLEAR_STEP_M): a peak between 26 Hz samples', () => {
    const slow = { peak_dps: SWING_DPS - near(SWING_DPS), turn_deg: 0 };
    expectVerdict({ ...slow, travel_m: CLEAR_STEP_M + near(CLEAR_STEP_M), lift_m: MIN_LIFT_M + near(MIN_LIFT_M) }, STEP);
    expectVerdict({ ...slow, travel_m: CLEAR_STEP_M - near(CLEAR_STEP_M), lift_m: MIN_LIFT_M + near(MIN_LIFT_M) }, NOT_SLOW_SWING);
    expectVerdict({ ...slow, travel_m: CLEAR_STEP_M + near(CLEAR_STEP_M), lift_m: MIN_LIFT_M - near(MIN_LIFT_M) }, NOT_SLOW_SWING);
  });

  it('the foot moved to a new place (MIN_STEP_M)', () => {
    expectVerdict({ travel_m: MIN_STEP_M + near(MIN_STEP_M), turn_deg: 0 }, STEP);
    expectVerdict({ travel_m: MIN_STEP_M - near(MIN_STEP_M), turn_deg: 0 }, NOT_MOVED);
  });

  it('...or turned there, a pivot step (MIN_TURN_DEG)', () => {
    expectVerdict({ travel_m: 0.05, turn_deg: MIN_TURN_DEG + near(MIN_TURN_DEG) }, STEP);
    expectVerdict({ travel_m: 0.05, turn_deg: MIN_TURN_DEG - near(MIN_TURN_DEG) }, NOT_MOVED);
    // a pivot lifts the foot little: the short step's lift rule (MIN_LIFT_M) does not apply to it...
    expectVerdict({ travel_m: 0.05, lift_m: PIVOT_MIN_LIFT_M + near(PIVOT_MIN_LIFT_M), turn_deg: MIN_TURN_DEG + near(MIN_TURN_DEG) }, STEP);
  });

  it('...but a turned foot that neither moved nor lifted spun on the floor (PIVOT_MIN_LIFT_M)', () => {
    expectVerdict({ travel_m: 0.05, lift_m: PIVOT_MIN_LIFT_M - near(PIVOT_MIN_LIFT_M), turn_deg: 150 }, NOT_MOVED);
    // one that moved a step's length with a small turn is a step however little it lifted
    expectVerdict({ travel_m: MIN_STEP_M + near(MIN_STEP_M), lift_m: 0, turn_deg: MIN_TURN_DEG + near(MIN_TURN_DEG) }, STEP);
  });

  it('...and one whose sensor felt little but gravity, no push-off and no landing, turned on the floor (FLOOR_TURN_SPREAD_G)', () => {
    const pivot = { travel_m: 0.05, lift_m: PIVOT_MIN_LIFT_M + 0.005, turn_deg: 150 };
    expectVerdict({ ...pivot, accSpread_g: FLOOR_TURN_SPREAD_G + near(FLOOR_TURN_SPREAD_G) }, STEP);
    expectVerdict({ ...pivot, accSpread_g: FLOOR_TURN_SPREAD_G - near(FLOOR_TURN_SPREAD_G) }, NOT_MOVED);
    // (a stride a step's length is judged on its travel: at 26 Hz a real turning step's landing averages down to 0.13 g)
    expectVerdict({ ...pivot, travel_m: MIN_STEP_M + near(MIN_STEP_M), accSpread_g: 0.05 }, STEP);
  });

  it('...and one that moved the sensor no further than spinning about a point under the foot does (SPIN_RADIUS_M)', () => {
    for (const turn_deg of [90, 150, 180]) {
      const chord_m = 2 * SPIN_RADIUS_M * Math.sin((turn_deg * Math.PI) / 360);
      expectVerdict({ travel_m: chord_m - near(chord_m), lift_m: 0, turn_deg }, NOT_MOVED);
      expectVerdict({ travel_m: chord_m + near(chord_m), lift_m: 0, turn_deg }, STEP);
      // lifted, it is a pivot step
      expectVerdict({ travel_m: chord_m - near(chord_m), lift_m: PIVOT_MIN_LIFT_M + near(PIVOT_MIN_LIFT_M), turn_deg }, STEP);
    }
  });

  it('not further than a step goes (MAX_STEP_M)', () => {
    expectVerdict({ travel_m: MAX_STEP_M - near(MAX_STEP_M) }, STEP);
    expectVerdict({ travel_m: MAX_STEP_M + near(MAX_STEP_M) }, NOT_TOO_FAR);
  });

  it('on level ground, up or down (MAX_RISE_M), over a stair stride\'s travel', () => {
    // (a foot that climbs is lifted over the stair: lift_m 0.4)
    for (const sign of [1, -1]) {
      expectVerdict({ travel_m: 0.55, lift_m: 0.4, rise_m: sign * (MAX_RISE_M - near(MAX_RISE_M)) }, STEP);
      expectVerdict({ travel_m: 0.55, lift_m: 0.4, rise_m: sign * (MAX_RISE_M + near(MAX_RISE_M)) }, NOT_STAIR);
    }
  });

  it('...or rising less steeply than a stair: a long level stride read from a tilted reference (STAIR_MIN_SLOPE)', () => {
    const rise = 0.33;
    const travel = rise / STAIR_MIN_SLOPE;
    for (const sign of [1, -1]) {
      expectVerdict({ travel_m: travel + near(travel), lift_m: 0.4, rise_m: sign * rise }, STEP);
      expectVerdict({ travel_m: travel - near(travel), lift_m: 0.4, rise_m: sign * rise }, NOT_STAIR);
    }
  });

  it('...and a stride up a stair lifted the foot MAX_RISE_M on its way: one read as rising that never rose so high is level', () => {
    expectVerdict({ travel_m: 0.55, rise_m: 0.34, lift_m: MAX_RISE_M + near(MAX_RISE_M) }, NOT_STAIR);
    expectVerdict({ travel_m: 0.55, rise_m: 0.34, lift_m: MAX_RISE_M - near(MAX_RISE_M) }, STEP);
    // (down a stair the foot need not rise at all)
    expectVerdict({ travel_m: 0.55, rise_m: -0.34, lift_m: 0 }, NOT_STAIR);
  });

  it('a short step lifted the foot (MIN_LIFT_M)', () => {
    const short = (CLEAR_STEP_M + MIN_STEP_M) / 2;
    expectVerdict({ travel_m: short, turn_deg: 0, lift_m: MIN_LIFT_M + near(MIN_LIFT_M) }, STEP);
    expectVerdict({ travel_m: short, turn_deg: 0, lift_m: MIN_LIFT_M - near(MIN_LIFT_M) }, NOT_LIFTED);
  });

  it('...a rule for short steps only (CLEAR_STEP_M)', () => {
    expectVerdict({ travel_m: CLEAR_STEP_M + near(CLEAR_STEP_M), turn_deg: 0, lift_m: 0 }, STEP);
    expectVerdict({ travel_m: CLEAR_STEP_M - near(CLEAR_STEP_M), turn_deg: 0, lift_m: 0 }, NOT_LIFTED);
  });

  it('a stride from a stance that never came to rest (UNSURE_START_DPS) swung the foot like a step (STEP_SWING_DPS)', () => {
    const unsure = UNSURE_START_DPS + near(UNSURE_START_DPS), calm = UNSURE_START_DPS - near(UNSURE_START_DPS);
    const slow = STEP_SWING_DPS - near(STEP_SWING_DPS), swung = STEP_SWING_DPS + near(STEP_SWING_DPS);
    expectVerdict({ start_dps: unsure, peak_dps: slow }, NOT_LIFTED);
    expectVerdict({ start_dps: unsure, peak_dps: swung }, STEP);
    expectVerdict({ start_dps: calm, peak_dps: slow }, STEP);
  });

  it('how steeply it landed refuses nothing: a backward step may land toe first far steeper than a heel strike', () => {
    for (const pitch_deg of [-75, -55, 55]) expectVerdict({ pitch_deg }, STEP);
  });
});

describe('the cases the thresholds are set by (constants.ts)', () => {
  const cases: [string, Partial<StrideFeatures>, number][] = [
    ['a first step off standing: 0.39 m, lifted 1.5 cm', { travel_m: 0.39, lift_m: 0.015, peak_dps: 150, swing_ms: 320 }, STEP],
    ['a short backward stride, 0.5 m', { travel_m: 0.5, pitch_deg: -15, lift_m: 0.05 }, STEP],
    ["a jogger's stride, 2.2 m", { travel_m: 2.2 }, STEP],
    ['a 5% incline on a 1.4 m stride (0.07 m)', { rise_m: 0.07 }, STEP],
    ['a pivot step in a U-turn: 0.1 m, turned 90 deg', { travel_m: 0.1, turn_deg: 90, lift_m: 0.005 }, STEP],
    ['a heel strike at 31 deg', { pitch_deg: 31 }, STEP],
    ['a toe strike at -25 deg', { pitch_deg: -25 }, STEP],
    ['a stair pair up, 0.34 m, the foot lifted over it', { rise_m: 0.34, travel_m: 0.6, lift_m: 0.4 }, NOT_STAIR],
    ['a level U-turn step read as rising 0.29 m, the foot never above 1 mm (gaitmap 4 x 10 m left, 52 Hz, a 60 mg offset)', { rise_m: 0.29, travel_m: 0.4, turn_deg: 120, lift_m: 0.001, accSpread_g: 2.7 }, STEP],
    ['a stair pair down, 0.30 m', { rise_m: -0.3, travel_m: 0.6 }, NOT_STAIR],
    ['a foot fidgeting on the spot: 0.1 m, turned 30 deg', { travel_m: 0.1, turn_deg: 30 }, NOT_MOVED],
    ['a foot sliding on the floor: 0.2 m, lifted 5 mm', { travel_m: 0.2, turn_deg: 0, lift_m: 0.005 }, NOT_LIFTED],
    ['a foot sliding back and forth, never still (60 dps), turning at 130 dps, read as 0.35 m', { travel_m: 0.35, start_dps: 60, peak_dps: 130, lift_m: 0.02 }, NOT_LIFTED],
    ['a walking stride from a rolling stance (45 dps), swinging at 350 dps', { start_dps: 45, peak_dps: 350 }, STEP],
    ['a shoe set down on its side', { tilt_deg: 80 }, NOT_TILTED],
    ['a car integrating to metres', { travel_m: 6 }, NOT_TOO_FAR],
    ['a backward step landing toe first at -55 deg', { pitch_deg: -55, travel_m: 0.6 }, STEP],
    ['a landing still ringing, 80 ms after the "swing" began', { swing_ms: 80 }, NOT_SWING_SHORT],
    ['a foot sliding slowly, turning at 40 dps: 0.2 m, lifted 5 mm', { peak_dps: 40, travel_m: 0.2, lift_m: 0.005 }, NOT_SLOW_SWING],
  ];
  for (const [what, change, code] of cases) {
    it(`${what}: ${DECISION_NAMES[code]}`, () => {
      expectVerdict(change, code);
    });
  }
});

it('every verdict code has its own name, for replay and the bench', () => {
  const codes = [STEP, NOT_SWING_SHORT, NOT_TILTED, NOT_SLOW_SWING, NOT_MOVED, NOT_TOO_FAR, NOT_STAIR, NOT_LIFTED, STEP_IN_WALK];
  expect(new Set(codes).size).toBe(codes.length);
  for (const c of codes) expect(DECISION_NAMES[c], String(c)).toMatch(/\w/);
  expect(new Set(codes.map((c) => DECISION_NAMES[c])).size).toBe(codes.length);
  expect(DECISION_NAMES).toHaveLength(codes.length);
});

it('judging a stride leaves its record as it was', () => {
  const s = strideOf({ ...WALKING, travel_m: 0.05 });
  const copy = Array.from(s);
  judgeStride(s);
  expect(Array.from(s)).toEqual(copy);
});

describe('in a walk, a stride refused only for how it swung is a step (stepInWalk)', () => {
  const slid = { travel_m: IN_WALK_MIN_M + near(IN_WALK_MIN_M), lift_m: 0.002, peak_dps: SWING_DPS - 10, turn_deg: 5 };
  it('a slow or slid stride that moved the foot IN_WALK_MIN_M', () => {
    expect(judge(slid)).toBe(NOT_SLOW_SWING);
    expect(stepInWalk(strideOf({ ...WALKING, ...slid }), NOT_SLOW_SWING)).toBe(true);
    const unsure = { ...slid, peak_dps: STEP_SWING_DPS - 10, start_dps: UNSURE_START_DPS + 10, travel_m: 1.2, lift_m: 0.15 };
    expect(judge(unsure)).toBe(NOT_LIFTED);
    expect(stepInWalk(strideOf({ ...WALKING, ...unsure }), NOT_LIFTED)).toBe(true);
  });
  it('not one that did not move the foot that far, nor one refused for anything else', () => {
    const still = { ...slid, travel_m: IN_WALK_MIN_M - near(IN_WALK_MIN_M) };
    expect(stepInWalk(strideOf({ ...WALKING, ...still }), judge(still))).toBe(false);
    for (const change of [{ tilt_deg: MAX_POSE_TILT_DEG + 1 }, { travel_m: 0.1, turn_deg: 5 }, { travel_m: MAX_STEP_M + 0.1 }, { travel_m: 0.3, rise_m: MAX_RISE_M + 0.05, lift_m: 0.4 }, { travel_m: 0.2, turn_deg: 150, lift_m: 0 }]) {
      const code = judge(change);
      expect(code, JSON.stringify(change)).not.toBe(STEP);
      expect(stepInWalk(strideOf({ ...WALKING, ...change }), code), JSON.stringify(change)).toBe(false);
    }
  });
});
