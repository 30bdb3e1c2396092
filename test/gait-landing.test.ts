/**
 * The landing and the stance after it (stage 2, shared/gait/engine.ts `landing`, `settleWhereTurnStops`): the rules that
 * read the force. When a swing has landed (an impact once the foot has slowed down, a soft landing, a quiet one
 * only if the foot feels gravity, a turn that collapses under a load), when a late landing is timed at the swing's
 * jolt, how calm the stance after a jolt must be to show the foot has come down (SETTLE_FRACTION), and when a foot
 * that stopped turning with no calm sample is down (settleWhereTurnStops). docs/engine.md, "One stride's life".
 *
 * Seen from outside, as in test/gait-segmentation.test.ts: every landed stride's verdict (verdictsBy) with its
 * landing time (t_ms), when it was judged (decided_ms) and how calm its start was (start_dps). A landing is told
 * by its time; a stance that came down by the next swing counting (a foot that has not come down starts none).
 *
 * The foot is hand-built (test/helpers/hand-built-foot.ts): flat and turning about the vertical only, so its
 * calmness is its turn plus what a test sets of its force: carried over the ground (so it speeds up and slows
 * down), an impact, a load, a force off the vertical. Rates, forces and fractions are named from the constants,
 * so the tests follow a retune.
 */
import { describe, expect, it } from 'vitest';
import {
  CALM_JUMP_MS2,
  DECIDE_MS,
  IMPACT_G,
  LAND_SPEED_FRACTION,
  LANDING_JOLT_G,
  MAX_TILT_DEG,
  QUIET_DOWN_MS,
  QUIET_LANDING_MS,
  ROLL_G,
  SETTLE_FRACTION,
  SETTLE_MAX_DPS,
  SOFT_SPEED_FRACTION,
  SWING_DPS,
  UNSURE_START_DPS,
  V_TURN_RATIO,
} from '../shared/gait/constants.js';
import { AFTER_MS, carried, createFoot, FOOT_DT_MS, type Force, type HandBuiltFoot, jolted, loaded, QUIET_DPS, STANCE_MS, SWING_FAST_DPS, tilted } from './helpers/hand-built-foot.js';

const DT = FOOT_DT_MS;
/** the swing's run over the ground: from rest, faster, then slower (carried) */
const RUN_MS = 500;
const RUN_M = 0.3;
/** slowed down (under LAND_SPEED_FRACTION of the swing's top speed), but not to a soft landing (SOFT_SPEED_FRACTION) */
const SLOWED = (SOFT_SPEED_FRACTION + LAND_SPEED_FRACTION) / 2;
/** a foot that turns on after the landing for longer than DECIDE_MS: its stride is judged while it turns */
const TURN_ON_MS = DECIDE_MS + 200;

/**
 * A foot that has stood, swings at peak_dps, carried so it has slowed to endSpeed of its top speed, and moves on
 * at that speed for a few samples more, still swinging: then `at_ms` is the next sample's time.
 */
function swinging(peak_dps = SWING_FAST_DPS, endSpeed = SLOWED) {
  const foot = createFoot();
  foot.stand(STANCE_MS);
  const start_ms = foot.t_ms;
  foot.turn(peak_dps, RUN_MS, carried(RUN_M, RUN_MS, endSpeed));
  foot.turn(peak_dps, 3 * DT);
  return { foot, start_ms, at_ms: foot.t_ms };
}

/** The one verdict of a foot, its landing and when it was judged (ms). */
function onlyStride(foot: HandBuiltFoot) {
  expect(foot.verdicts).toHaveLength(1);
  return foot.verdicts[0];
}

describe('an impact lands a swing that has slowed down (IMPACT_G, LAND_SPEED_FRACTION); a smaller jolt times a landing found later (LANDING_JOLT_G)', () => {
  /** The slowed swing, one sample's force jumping by jump_g at at_ms, turning on, then standing from stop_ms. */
  function impactAt(jump_g: number, endSpeed = SLOWED) {
    const { foot, at_ms } = swinging(SWING_FAST_DPS, endSpeed);
    foot.turn(SWING_FAST_DPS, DT, jolted(jump_g));
    foot.turn(SWING_FAST_DPS, TURN_ON_MS);
    const stop_ms = foot.t_ms;
    foot.stand(AFTER_MS);
    return { v: onlyStride(foot), at_ms, stop_ms };
  }

  // breaks it: landing asking jump_g2 > 1.1 IMPACT2 (the first lands late), or > 0.9 IMPACT2 (the second lands there)
  it('just over IMPACT_G: landed there, and judged DECIDE_MS later while the foot turns on; just under: landed only when the foot stops, timed back at that jolt', () => {
    const over = impactAt(1.02 * IMPACT_G);
    expect(over.v.t_ms).toBe(over.at_ms);
    expect(over.v.decided_ms - over.v.t_ms).toBeGreaterThan(DECIDE_MS);
    expect(over.v.decided_ms - over.v.t_ms).toBeLessThanOrEqual(DECIDE_MS + DT);

    const under = impactAt(0.98 * IMPACT_G);
    expect(under.v.t_ms).toBe(under.at_ms);
    expect(under.v.decided_ms).toBeGreaterThanOrEqual(under.stop_ms);
    expect(under.v.decided_ms).toBeLessThanOrEqual(under.stop_ms + DT);
  });

  // breaks it: landing asking jump_g2 > 1.1 JOLT2 (the first is timed at the stop), or > 0.9 JOLT2 (the second at the
  // jolt); landing's timing without its `E[JOLT_DA2] > 0 &&` branch (every late landing timed where it was found)
  it('a jolt just over LANDING_JOLT_G times the landing found when the foot stops; one just under does not', () => {
    const over = impactAt(1.02 * LANDING_JOLT_G);
    expect(over.v.t_ms).toBe(over.at_ms);
    expect(over.v.decided_ms).toBeGreaterThanOrEqual(over.stop_ms);
    const under = impactAt(0.98 * LANDING_JOLT_G);
    expect(under.v.t_ms).toBe(under.stop_ms);
  });

  // breaks it: LAND2 as (LAND_SPEED_FRACTION + 0.2)^2 (the faster foot lands at the impact), or as
  // (LAND_SPEED_FRACTION - 0.2)^2 (the slower one does not)
  it('an impact while the foot is still faster than LAND_SPEED_FRACTION of its top speed (a push-off) is no landing, nor a jolt to time one', () => {
    // (the impact's own push adds a little speed across the foot's way: 0.1 either side of the fraction is clear of it)
    const slower = impactAt(2 * IMPACT_G, LAND_SPEED_FRACTION - 0.1);
    expect(slower.v.t_ms).toBe(slower.at_ms);
    const faster = impactAt(2 * IMPACT_G, LAND_SPEED_FRACTION + 0.1);
    expect(faster.v.t_ms).toBe(faster.stop_ms);
  });
});

describe('a swing without an impact lands soft, or quiet (SOFT_SPEED_FRACTION, QUIET_DOWN_MS, UNSURE_START_DPS), only with its force along gravity (MAX_TILT_DEG)', () => {
  // breaks it: SOFT2 as (SOFT_SPEED_FRACTION - 0.1)^2 (neither lands before the stop)
  it('slowed to under SOFT_SPEED_FRACTION of its top speed, still turning: landed there; just over it, not until the foot stops', () => {
    function slowing(endSpeed: number) {
      const { foot, start_ms } = swinging(SWING_FAST_DPS, endSpeed);
      foot.turn(SWING_FAST_DPS, TURN_ON_MS);
      const stop_ms = foot.t_ms;
      foot.stand(AFTER_MS);
      return { v: onlyStride(foot), start_ms, stop_ms };
    }
    const soft = slowing(SOFT_SPEED_FRACTION - 0.05);
    expect(soft.v.t_ms).toBeGreaterThan(soft.start_ms + RUN_MS / 2);
    expect(soft.v.t_ms).toBeLessThan(soft.start_ms + RUN_MS);
    expect(slowing(SOFT_SPEED_FRACTION + 0.05).v.t_ms).toBe(slowing(SOFT_SPEED_FRACTION + 0.05).stop_ms);
  });

  /**
   * A foot that has stood (or turned at start_dps all through its stance: never at rest), swings, and from halfway
   * through its swing feels a force of 1 g off the vertical by tilt_deg: as its force is not gravity's, it speeds up
   * (never slows down). It then goes quiet (QUIET_DPS) at quiet_ms, for longer than QUIET_DOWN_MS, and stands.
   */
  function quietTilted(tilt_deg: number, start_dps = 0) {
    const foot = createFoot();
    if (start_dps > 0) foot.turn(start_dps, STANCE_MS);
    else foot.stand(STANCE_MS);
    foot.turn(SWING_FAST_DPS, 200);
    foot.turn(SWING_FAST_DPS, 100, tilted(tilt_deg));
    const quiet_ms = foot.t_ms;
    foot.turn(QUIET_DPS, QUIET_DOWN_MS + 200, tilted(tilt_deg));
    const stop_ms = foot.t_ms;
    foot.stand(AFTER_MS, tilted(tilt_deg));
    return { v: onlyStride(foot), quiet_ms, stop_ms };
  }

  // breaks it: landing's `sd.offGravity_deg(pax, pay, paz) <= MAX_TILT_DEG` as `<= MAX_TILT_DEG + 5` (the second lands
  // quiet too), or as `<= MAX_TILT_DEG - 5` (the first waits for the stop); landing's `quiet_ms >= QUIET_DOWN_MS` as
  // `> QUIET_DOWN_MS` (a sample later)
  it('a foot that has not slowed down lands quiet after QUIET_DOWN_MS with its force within MAX_TILT_DEG of gravity; further off, only once it stands still', () => {
    const near = quietTilted(MAX_TILT_DEG - 2);
    // (quiet QUIET_DOWN_MS at its last sample: the first quiet sample counts one interval)
    expect(near.v.t_ms).toBe(near.quiet_ms + QUIET_DOWN_MS - DT);
    // (standing still, it is down by turn and level alone, whatever its force's direction)
    const off = quietTilted(MAX_TILT_DEG + 2);
    expect(off.v.t_ms).toBe(off.stop_ms);
  });

  // breaks it: landing without `|| E[START_CALM2] > UNSURE_START_DPS * UNSURE_START_DPS` (the unsure start waits
  // QUIET_DOWN_MS), or with it as `> (0.8 UNSURE_START_DPS)^2` (the sure start lands early too)
  it('from a start never calmer than UNSURE_START_DPS, QUIET_LANDING_MS of quiet lands it though it never slowed down; from a calmer start, QUIET_DOWN_MS', () => {
    const unsure = quietTilted(MAX_TILT_DEG / 2, 1.1 * UNSURE_START_DPS);
    expect(unsure.v.start_dps).toBeCloseTo(1.1 * UNSURE_START_DPS, 6);
    expect(unsure.v.t_ms).toBe(unsure.quiet_ms + QUIET_LANDING_MS - DT);
    const sure = quietTilted(MAX_TILT_DEG / 2, 0.9 * UNSURE_START_DPS);
    expect(sure.v.start_dps).toBeCloseTo(0.9 * UNSURE_START_DPS, 6);
    expect(sure.v.t_ms).toBe(sure.quiet_ms + QUIET_DOWN_MS - DT);
  });

  // breaks it: landing's `before_dps2 >= V_TURN2 * turn_dps2` as `>= turn_dps2` (the slower collapse lands), or
  // `dev_g > ROLL_G` as `dev_g > 0` (the lighter load lands)
  it('a slowed foot whose turn collapses to under 1 / V_TURN_RATIO of the last sample\'s, loaded over ROLL_G: landed there (a stop between two samples)', () => {
    function collapse(ratio: number, load_g: number) {
      const { foot, at_ms } = swinging();
      foot.turn(ratio * SWING_FAST_DPS, DT, loaded(load_g));
      // (turning on at that rate, past SWING_DPS: not quiet, and no longer collapsing)
      foot.turn(ratio * SWING_FAST_DPS, 200);
      const stop_ms = foot.t_ms;
      foot.stand(AFTER_MS);
      return { v: onlyStride(foot), at_ms, stop_ms };
    }
    expect(0.9 * SWING_FAST_DPS / V_TURN_RATIO).toBeGreaterThan(SWING_DPS);
    const stop = collapse(0.9 / V_TURN_RATIO, ROLL_G + 0.04);
    expect(stop.v.t_ms).toBe(stop.at_ms);
    for (const [ratio, load_g] of [[1.1 / V_TURN_RATIO, ROLL_G + 0.04], [0.9 / V_TURN_RATIO, ROLL_G - 0.04]]) {
      const none = collapse(ratio, load_g);
      expect(none.v.t_ms, `${ratio} of the turn, ${load_g} g`).toBe(none.stop_ms);
    }
  });
});

describe('after a landing with a jolt, the stance has come down calmer than SETTLE_FRACTION of the swing\'s peak turn, up to SETTLE_MAX_DPS', () => {
  /**
   * A foot that swings at peak_dps and lands (an impact, or going quiet QUIET_LANDING_MS), then turns at
   * stance_dps, past SWING_DPS: if that stance has come down, the next swing starts at its second sample and the
   * stride is judged there; if not, it is judged DECIDE_MS after its landing.
   */
  function landThenTurn(peak_dps: number, stance_dps: number, impact = true) {
    const { foot } = swinging(peak_dps);
    if (impact) foot.turn(peak_dps, DT, jolted(2 * IMPACT_G));
    else foot.turn(QUIET_DPS, QUIET_LANDING_MS);
    foot.turn(stance_dps, TURN_ON_MS);
    foot.stand(AFTER_MS);
    const v = onlyStride(foot);
    return v.decided_ms - v.t_ms;
  }
  /** the peak turn whose SETTLE_FRACTION is under SETTLE_MAX_DPS, and past SWING_DPS */
  const PEAK_DPS = (0.9 * SETTLE_MAX_DPS) / SETTLE_FRACTION;
  /** one whose SETTLE_FRACTION is past SETTLE_MAX_DPS */
  const HARD_PEAK_DPS = (2 * SETTLE_MAX_DPS) / SETTLE_FRACTION;

  // breaks it: landing's settle_now_dps2 as (SETTLE_FRACTION - 0.05)^2 x peak (the first is not down), or the
  // fraction's ceiling taken out (the hard swing's stance is down at 1.05 SETTLE_MAX_DPS)
  it('just under SETTLE_FRACTION of the peak: down, the next swing starts at once; just over: not down, judged DECIDE_MS after the landing; the same at SETTLE_MAX_DPS after a harder swing', () => {
    expect(SETTLE_FRACTION * PEAK_DPS).toBeGreaterThan(1.1 * SWING_DPS);
    expect(landThenTurn(PEAK_DPS, 0.95 * SETTLE_FRACTION * PEAK_DPS)).toBeLessThanOrEqual(3 * DT);
    expect(landThenTurn(PEAK_DPS, 1.05 * SETTLE_FRACTION * PEAK_DPS)).toBeGreaterThan(DECIDE_MS);
    expect(landThenTurn(HARD_PEAK_DPS, 0.95 * SETTLE_MAX_DPS)).toBeLessThanOrEqual(3 * DT);
    expect(landThenTurn(HARD_PEAK_DPS, 1.05 * SETTLE_MAX_DPS)).toBeGreaterThan(DECIDE_MS);
  });

  // breaks it: landing's settle_now_dps2 asking nothing of the jolt (`E[JOLT_DA2] > 0 || jump_g2 > JOLT2 ?` as `1 ?`)
  it('a landing without a jolt (quiet): the stance must come calmer than SWING_DPS, whatever the swing\'s peak', () => {
    expect(landThenTurn(PEAK_DPS, 0.95 * SETTLE_FRACTION * PEAK_DPS, false)).toBeGreaterThan(DECIDE_MS);
  });
});

describe('a foot that stopped turning after an impact, no sample of it calm, is down if its force says so (settleWhereTurnStops)', () => {
  /**
   * The slowed swing lands on an impact; if `judged`, the foot turns on past SWING_DPS until its stride is judged
   * (DECIDE_MS: then it stands between strides, and has never settled); then it stops turning for two samples
   * feeling `force` (no sample calm: the force is off the rest level, or jumps), and swings again. The number of
   * strides: 2 if the foot came down there (so the next swing started), 1 if not.
   */
  function stopsFeeling(force: Force, judged = false) {
    const { foot } = swinging();
    foot.turn(SWING_FAST_DPS, DT, jolted(2 * IMPACT_G));
    if (judged) foot.turn(1.5 * SWING_DPS, DECIDE_MS + 100);
    foot.stand(2 * DT, force);
    foot.turn(SWING_FAST_DPS, 400);
    foot.stand(AFTER_MS);
    return foot.verdicts;
  }

  // breaks it: stance without its settleWhereTurnStops line (nothing is down); settleWhereTurnStops's `dev_g < -ROLL_G` as
  // `dev_g < -2 * ROLL_G` (the falling foot is down), or its `calmest_dps2 = SWING_DPS * SWING_DPS` as `= 0` (the next
  // stride starts as from a still foot)
  it('landed: loaded along gravity, however much (its weight), or light by less than ROLL_G, it is down, and the next stride starts from there, only as calm as settled; lighter, it is still falling', () => {
    for (const load_g of [ROLL_G + 0.02, 1, -ROLL_G + 0.02]) {
      const strides = stopsFeeling(loaded(load_g));
      expect(strides, `${load_g} g`).toHaveLength(2);
      // (an unsure start: UNSURE_START_DPS)
      expect(strides[1].start_dps, `${load_g} g`).toBe(SWING_DPS);
    }
    expect(stopsFeeling(loaded(-ROLL_G - 0.02))).toHaveLength(1);
  });

  // breaks it: settleWhereTurnStops's landed test `sd.offGravity_deg(pax, pay, paz) > MAX_TILT_DEG` as `> MAX_TILT_DEG + 5`
  // (the tilted foot is down), or as `> MAX_TILT_DEG - 5` (the other is not)
  it('landed: loaded, its force further than MAX_TILT_DEG off the gravity carried through the swing, it is not down', () => {
    const load = loaded(2 * ROLL_G)[2];
    expect(stopsFeeling(tilted(MAX_TILT_DEG - 2, load))).toHaveLength(2);
    expect(stopsFeeling(tilted(MAX_TILT_DEG + 2, load))).toHaveLength(1);
  });

  // breaks it: settleWhereTurnStops's `: dev_g > ROLL_G` (the level in a stance between strides) as `: false` (the loaded foot
  // is down), or `dev_g < -ROLL_G` as `dev_g < -2 * ROLL_G`
  it('in a stance between strides (its stride judged already): down only with its force within ROLL_G of the rest level, either way', () => {
    for (const load_g of [ROLL_G - 0.02, -ROLL_G + 0.02]) expect(stopsFeeling(loaded(load_g), true), `${load_g} g`).toHaveLength(2);
    for (const load_g of [ROLL_G + 0.02, -ROLL_G - 0.02]) expect(stopsFeeling(loaded(load_g), true), `${load_g} g`).toHaveLength(1);
  });
});

describe('a landed foot whose stance turns through a V, no sample of it calm, stopped between two samples (settleWhereTurnStops)', () => {
  /** the least turn of the stance: moving (past STILL_DPS), under SWING_DPS by more than V_TURN_RATIO */
  const LEAST_DPS = 0.4 * SWING_DPS;
  /**
   * The slowed swing lands on an impact, then its stance turns at each of turns_dps in turn, loaded (2 ROLL_G:
   * never calm, never at rest) and tilt_deg off the vertical, the last sample's force jumping by jump_g more; then
   * the foot swings again. The number of strides: 2 if it came down in that stance (the next swing started), 1 if not.
   */
  function stanceTurning(turns_dps: number[], opts: { jump_g?: number; tilt_deg?: number } = {}) {
    const { foot } = swinging();
    foot.turn(SWING_FAST_DPS, DT, jolted(2 * IMPACT_G));
    const load = tilted(opts.tilt_deg ?? 0, loaded(2 * ROLL_G)[2]);
    const jumped: Force = [load[0], load[1], load[2] + (opts.jump_g ?? 0)];
    turns_dps.forEach((dps, i) => foot.turn(dps, DT, i === turns_dps.length - 1 ? jumped : load));
    foot.turn(SWING_FAST_DPS, 400);
    foot.stand(AFTER_MS);
    return foot.verdicts.length;
  }
  /** into the least turn from V_TURN_RATIO times as fast and a little more, out of it slower than that */
  const FELL = [1.05 * V_TURN_RATIO * LEAST_DPS, LEAST_DPS, 1.5 * LEAST_DPS];

  // breaks it: settleWhereTurnStops's V_AFTER_W2 as `before_dps2 >= 1.2 * V_TURN2 * turn_dps2 ? -1 : ...` (the fall is no V), or
  // `... : 0.8 * V_TURN2 * turn_dps2` (the slower climb is one); without `|| turn_dps2 >= SWING2` (down as the next swing
  // starts); without `before_dps2 !== least_dps2 ||` (down at a later sample)
  it('down at the sample right after the least turn if the turn fell into it from V_TURN_RATIO times as fast, or climbs out of it so, and that sample is under SWING_DPS', () => {
    expect(stanceTurning(FELL)).toBe(2);
    expect(stanceTurning([0.95 * V_TURN_RATIO * LEAST_DPS, LEAST_DPS, 1.5 * LEAST_DPS])).toBe(1);
    expect(stanceTurning([0.95 * V_TURN_RATIO * LEAST_DPS, LEAST_DPS, 1.05 * V_TURN_RATIO * LEAST_DPS])).toBe(2);
    expect(stanceTurning([0.95 * V_TURN_RATIO * LEAST_DPS, LEAST_DPS, 0.95 * V_TURN_RATIO * LEAST_DPS])).toBe(1);
    expect(stanceTurning([FELL[0], LEAST_DPS, 1.1 * SWING_DPS])).toBe(1);
    expect(stanceTurning([FELL[0], LEAST_DPS, 1.1 * SWING_DPS, FELL[2]])).toBe(1);
  });

  // breaks it: settleWhereTurnStops's `K2 * (dev_g * dev_g + IMPACT2)` as `K2 * (dev_g * dev_g + 4 * IMPACT2)` (the impact is
  // a stop too), or without IMPACT2 (the smaller jump is none); its moving test without `|| sd.offGravity_deg(pax, pay,
  // paz) > MAX_TILT_DEG` (the tilted foot is down)
  it('not at a sample whose force jumps like an impact (IMPACT_G, as over the pod\'s own sample interval: CALM_JUMP_MS2), nor with its force further than MAX_TILT_DEG off gravity', () => {
    const impact_g = (IMPACT_G * DT) / Math.sqrt(CALM_JUMP_MS2);
    expect(stanceTurning(FELL, { jump_g: 0.95 * impact_g })).toBe(2);
    expect(stanceTurning(FELL, { jump_g: 1.05 * impact_g })).toBe(1);
    expect(stanceTurning(FELL, { tilt_deg: MAX_TILT_DEG - 2 })).toBe(2);
    expect(stanceTurning(FELL, { tilt_deg: MAX_TILT_DEG + 2 })).toBe(1);
  });
});
