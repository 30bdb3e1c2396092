/**
 * Stance/swing segmentation (stage 2, shared/gait/engine.ts): when a swing starts, when it is looked at for a
 * landing, when it is dropped or started again, when a "landing" was none, when a landed stride is judged, and
 * what a gap in the samples does. docs/engine.md, "One stride's life".
 *
 * Seen from outside: every landed stride reaches the verdict listener (verdictsBy) whatever it is judged to be,
 * with its landing time (t_ms), when it was judged (decided_ms), how long its swing lasted (swing_ms, from the
 * swing's start, or its restart, to the landing), its fastest turn (peak_dps) and how far it turned (turn_deg).
 * So a swing that never started, or was dropped, is a stride with no verdict. A step the engine counts without a
 * verdict (slid, or a stride it did not see swing) is a contact event (EVENT_CONTACT) with stride_m 0.
 *
 * The foot is hand-built (test/helpers/hand-built-foot.ts): flat, standing or turning about the vertical only,
 * so its calmness is its turn and nothing else and each rate is set against a threshold to the dps; where a rule
 * reads the force too, the test sets it (a foot carried over the ground, a load, an impact). Rates are named from
 * the constants, so the tests follow a retune.
 */
import { describe, expect, it } from 'vitest';
import { CALM_DPS_PER_G, DECIDE_MS, IMPACT_G, MAX_PRESWING_MS, MAX_SAMPLE_GAP_MS, MAX_SWING_MS, MIN_SWING_MS, MIN_TURN_DEG, QUIET_LANDING_MS, SLIDE_MIN_M, STEP_SWING_DPS, STILL_DPS, SWING_DPS, WALK_GAP_MS } from '../shared/gait/constants.js';
import { EVENT_CONTACT } from '../shared/gait/engine.js';
import { AFTER_MS, carried, createFoot, FOOT_DT_MS, type Force, GRAVITY_ONLY, type HandBuiltFoot, jolted, loaded, QUIET_DPS, STANCE_MS, SWING_FAST_DPS } from './helpers/hand-built-foot.js';

const DT = FOOT_DT_MS;
/** a swing that never commits: past SWING_DPS, under STEP_SWING_DPS (a rolling walker's stance) */
const SWING_SLOW_DPS = (SWING_DPS + STEP_SWING_DPS) / 2;

/** A foot that has stood (settled), swings at dps for ms and stands again; when it started to turn and when it stood (ms). */
function swingOnce(dps: number, ms: number) {
  const foot = createFoot();
  foot.stand(STANCE_MS);
  const start_ms = foot.t_ms;
  foot.turn(dps, ms);
  const stop_ms = foot.t_ms;
  foot.stand(AFTER_MS);
  return { verdicts: foot.verdicts, start_ms, stop_ms };
}

describe('a swing starts once the foot has come down (settled) and turns faster than SWING_DPS (beginSwing)', () => {
  // breaks it: swingOn asking turn_dps2 > SWING2 / 2 (the slow turn swings), or > 4 SWING2 (the fast one does not)
  it('a turn just under SWING_DPS is no swing: nothing lands; just over it, one stride, its swing as long as the turn', () => {
    expect(swingOnce(0.98 * SWING_DPS, 400).verdicts).toEqual([]);
    const { verdicts, start_ms, stop_ms } = swingOnce(1.02 * SWING_DPS, 400);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0].swing_ms).toBe(stop_ms - start_ms);
    expect(verdicts[0].peak_dps).toBeCloseTo(1.02 * SWING_DPS, 6);
  });

  // breaks it: swingOn without `settled &&` (the foot turning from the first sample swings, and lands at its stop)
  it('a foot turning faster than SWING_DPS from the first sample has not come down: no swing however fast, until it has been calmer than SWING_DPS', () => {
    const never = createFoot();
    never.turn(SWING_FAST_DPS, 800);
    never.stand(AFTER_MS);
    expect(never.verdicts).toEqual([]);

    // one sample calmer than SWING_DPS between the two turns: the second is a swing
    const once = createFoot();
    once.turn(SWING_FAST_DPS, 400);
    once.turn(QUIET_DPS, DT);
    once.turn(SWING_FAST_DPS, 400);
    once.stand(AFTER_MS);
    expect(once.verdicts).toHaveLength(1);
    expect(once.verdicts[0].swing_ms).toBe(400);
  });
});

describe('a landing is looked for only after MIN_SWING_MS (push)', () => {
  // breaks it: push without `if (swung_ms < MIN_SWING_MS) return` (the short turn lands at its stop, MIN_SWING_MS / 2)
  it('a foot that stops sooner, no calmer than its stance, lands at MIN_SWING_MS; one that stops later lands where it stops', () => {
    const short = swingOnce(SWING_FAST_DPS, MIN_SWING_MS / 2);
    expect(short.verdicts).toHaveLength(1);
    expect(short.verdicts[0].swing_ms).toBeGreaterThanOrEqual(MIN_SWING_MS);
    expect(short.verdicts[0].swing_ms).toBeLessThan(MIN_SWING_MS + DT);

    const long = swingOnce(SWING_FAST_DPS, MIN_SWING_MS + 100);
    expect(long.verdicts).toHaveLength(1);
    expect(long.verdicts[0].swing_ms).toBe(long.stop_ms - long.start_ms);
  });

  // breaks it: push's calmest test without `t - swingStart_ms < MIN_SWING_MS ||` (the short flick lands at MIN_SWING_MS)
  it('a "swing" that comes calmer than its stance within MIN_SWING_MS was the landing still ringing: no stride; after MIN_SWING_MS, a landing', () => {
    // the stance sways at half STILL_DPS, so standing at 0 dps after the flick is calmer than it
    function flick(ms: number) {
      const foot = createFoot();
      foot.turn(STILL_DPS / 2, STANCE_MS);
      const start_ms = foot.t_ms;
      foot.turn(SWING_FAST_DPS, ms);
      const stop_ms = foot.t_ms;
      foot.stand(AFTER_MS);
      return { verdicts: foot.verdicts, start_ms, stop_ms };
    }
    expect(flick(MIN_SWING_MS / 2).verdicts).toEqual([]);
    const long = flick(MIN_SWING_MS + 2 * DT);
    expect(long.verdicts).toHaveLength(1);
    expect(long.verdicts[0].swing_ms).toBe(long.stop_ms - long.start_ms);
  });
});

describe('a swing longer than MAX_SWING_MS (overrun)', () => {
  const ROCK_HALF_MS = 100;
  /**
   * A foot that has stood, turns to yaw_deg at SWING_SLOW_DPS, then rocks about it at that rate (toward the start
   * first if `back`) until `ms` after the swing began, and stands. Returns the foot, and the least and most it had
   * turned at MAX_SWING_MS into the swing and after (what overrun reads).
   */
  function rockAt(yaw_deg: number, back: boolean, ms: number) {
    const foot = createFoot();
    foot.stand(STANCE_MS);
    const start_ms = foot.t_ms;
    const out_ms = (1000 * yaw_deg) / SWING_SLOW_DPS;
    foot.turn(SWING_SLOW_DPS, out_ms);
    foot.rock(back ? -SWING_SLOW_DPS : SWING_SLOW_DPS, ROCK_HALF_MS, ms - (foot.t_ms - start_ms));
    const end_ms = foot.t_ms;
    foot.stand(AFTER_MS);
    const late = foot.yaws.filter((y) => y.t_ms >= start_ms + MAX_SWING_MS && y.t_ms < end_ms).map((y) => y.yaw_deg);
    return { foot, start_ms, end_ms, least_deg: Math.min(...late), most_deg: Math.max(...late) };
  }

  // breaks it: overrun without `R[TURN_DEG] < MIN_TURN_DEG ||` (the unturned swing starts again and lands)
  it('not turned MIN_TURN_DEG from its start: dropped, nothing lands', () => {
    const r = rockAt(MIN_TURN_DEG - 5, true, MAX_SWING_MS + 400);
    expect(r.most_deg).toBeLessThan(MIN_TURN_DEG);
    expect(r.foot.verdicts).toEqual([]);
  });

  // breaks it: overrun dropping every swing (the turned one lands nothing), or not restarting swingStart_ms (its swing
  // timed from the first start, past MAX_SWING_MS)
  it('turned MIN_TURN_DEG: started again there, it lands where the foot stops, its swing timed from the restart', () => {
    const r = rockAt(MIN_TURN_DEG + 5, false, MAX_SWING_MS + 400);
    expect(r.least_deg).toBeGreaterThanOrEqual(MIN_TURN_DEG);
    expect(r.foot.verdicts).toHaveLength(1);
    const v = r.foot.verdicts[0];
    expect(v.t_ms).toBe(r.end_ms);
    // (restarted at the first sample past MAX_SWING_MS)
    expect(v.swing_ms).toBeGreaterThan(r.end_ms - r.start_ms - MAX_SWING_MS - 2 * DT);
    expect(v.swing_ms).toBeLessThanOrEqual(r.end_ms - r.start_ms - MAX_SWING_MS);
  });

  // breaks it: overrun without `E[RESTARTED] ||` (started again a second time, it lands)
  it('once: swinging on past MAX_SWING_MS after the restart, it is dropped', () => {
    const r = rockAt(MIN_TURN_DEG + 5, false, 2 * MAX_SWING_MS + 400);
    expect(r.least_deg).toBeGreaterThanOrEqual(MIN_TURN_DEG);
    expect(r.foot.verdicts).toEqual([]);
  });
});

describe('a quiet "landing" of a swing that never committed, with no jolt, then at once a committed swing: no landing (resumeSwing)', () => {
  /**
   * A foot that has stood swings at first_dps for 300 ms, goes quiet (QUIET_DPS) for QUIET_LANDING_MS, which
   * lands it (no jolt: its force never changes), stays quiet `calm` samples more, swings at SWING_FAST_DPS
   * for 300 ms and stands. (Its speed stays 0, so it has "slowed down" all along: quiet QUIET_LANDING_MS lands it.)
   */
  function rollThenSwing(first_dps: number, calm: number) {
    const foot = createFoot();
    foot.stand(STANCE_MS);
    const start_ms = foot.t_ms;
    foot.turn(first_dps, 300);
    foot.turn(QUIET_DPS, QUIET_LANDING_MS);
    const quietLanding_ms = foot.t_ms - DT;
    foot.turn(QUIET_DPS, calm * DT);
    const second_ms = foot.t_ms;
    foot.turn(SWING_FAST_DPS, 300);
    const stop_ms = foot.t_ms;
    foot.stand(AFTER_MS);
    return { verdicts: foot.verdicts, start_ms, quietLanding_ms, second_ms, stop_ms };
  }

  // breaks it: stance without the resumeSwing line (the first "stride" is judged on its own, ending where it went
  // quiet, and the real swing is lost in its stance)
  it('uncommitted (under STEP_SWING_DPS): the swing goes on from its start; one stride, landing where the foot stops, its peak the committed swing\'s', () => {
    const r = rollThenSwing(SWING_SLOW_DPS, 0);
    expect(r.verdicts).toHaveLength(1);
    expect(r.verdicts[0].t_ms).toBe(r.stop_ms);
    expect(r.verdicts[0].swing_ms).toBe(r.stop_ms - r.start_ms);
    expect(r.verdicts[0].peak_dps).toBeCloseTo(SWING_FAST_DPS, 6);
  });

  // breaks it: resumeSwing's condition without both `!settled &&` and `!E[FOLDED] &&` (a calm sample after the landing,
  // and still resumed: one stride). Either alone is not seen: after a landing, the sample that settles the foot is
  // the one that folds the stride (calmest, settleWhereTurnStops), so the two go together
  // breaks it: stance's finish without `swingOn ||` too (the next swing starts over the landed stride, never judged)
  it('a calm sample after the quiet landing (the foot came down): it was a landing; two strides', () => {
    const r = rollThenSwing(SWING_SLOW_DPS, 1);
    expect(r.verdicts.map((v) => v.t_ms)).toEqual([r.quietLanding_ms, r.stop_ms]);
    expect(r.verdicts[1].swing_ms).toBe(r.stop_ms - r.second_ms);
  });

  // breaks it: resumeSwing's condition without `peakTurn_dps2 < COMMIT2 &&` (the committed swing goes on too)
  it('a swing that committed (STEP_SWING_DPS) landed where it went quiet: not resumed', () => {
    const r = rollThenSwing(SWING_FAST_DPS, 0);
    expect(r.verdicts).toHaveLength(1);
    expect(r.verdicts[0].t_ms).toBe(r.quietLanding_ms);
    expect(r.verdicts[0].swing_ms).toBe(r.quietLanding_ms - r.start_ms);
  });
});

describe('a landed stride is judged (finish)', () => {
  /** A foot that has stood, swings (committing) for 300 ms, goes quiet (landing after QUIET_LANDING_MS) for quiet_ms, then `then`. */
  function landQuiet(quiet_ms: number, then: (foot: HandBuiltFoot) => void): HandBuiltFoot {
    const foot = createFoot();
    foot.stand(STANCE_MS);
    foot.turn(SWING_FAST_DPS, 300);
    foot.turn(QUIET_DPS, quiet_ms);
    then(foot);
    foot.stand(AFTER_MS);
    return foot;
  }

  // breaks it: stance asking t - E[LAND_T] > DECIDE_MS + 100 (judged later), or not at all (judged only when the foot stands)
  it('DECIDE_MS after its landing when the foot never stands still', () => {
    const foot = landQuiet(QUIET_LANDING_MS + DECIDE_MS + 200, () => {});
    expect(foot.verdicts).toHaveLength(1);
    const v = foot.verdicts[0];
    expect(v.decided_ms - v.t_ms).toBeGreaterThan(DECIDE_MS);
    expect(v.decided_ms - v.t_ms).toBeLessThanOrEqual(DECIDE_MS + DT);
  });

  // breaks it: calmest judging a landed stride only when the foot is still (the easing stance is calmer at every
  // sample, so it never reaches stance's DECIDE_MS test: judged when the foot stands, ~750 ms after its landing)
  it('DECIDE_MS after its landing when the stance eases off, calmer at every sample, and never stands still', () => {
    const foot = createFoot();
    foot.stand(STANCE_MS);
    foot.turn(SWING_FAST_DPS, 300);
    // quiet from the first sample (a quiet landing after QUIET_LANDING_MS), then easing off to just over STILL_DPS
    const ease_ms = QUIET_LANDING_MS + DECIDE_MS + 400;
    for (let t = 0; t < ease_ms; t += DT) foot.turn(QUIET_DPS - ((QUIET_DPS - 1.2 * STILL_DPS) * t) / ease_ms, DT);
    foot.stand(AFTER_MS);
    expect(foot.verdicts).toHaveLength(1);
    const v = foot.verdicts[0];
    expect(v.decided_ms - v.t_ms).toBeGreaterThan(DECIDE_MS);
    expect(v.decided_ms - v.t_ms).toBeLessThanOrEqual(DECIDE_MS + DT);
  });

  // breaks it: stance's finish without `swingOn ||` (the next swing starts over the landed stride, never judged: one verdict)
  it('sooner when the foot stands still, or when the next swing starts', () => {
    const still = swingOnce(SWING_FAST_DPS, 300);
    expect(still.verdicts).toHaveLength(1);
    expect(still.verdicts[0].decided_ms - still.verdicts[0].t_ms).toBeLessThanOrEqual(DT);

    let next_ms = 0;
    const next = landQuiet(QUIET_LANDING_MS + DT, (foot) => {
      next_ms = foot.t_ms;
      foot.turn(SWING_FAST_DPS, 300);
    });
    expect(next.verdicts).toHaveLength(2);
    expect(next.verdicts[0].decided_ms).toBe(next_ms);
    expect(next.verdicts[0].decided_ms - next.verdicts[0].t_ms).toBeLessThan(DECIDE_MS);
  });
});

describe('a gap between samples over MAX_SAMPLE_GAP_MS drops the reference: nothing is integrated across it (resetMotion)', () => {
  /** A foot that has stood, swings, has no samples for gap_ms mid-swing, swings on and stands. */
  function gapInSwing(gap_ms: number): HandBuiltFoot {
    const foot = createFoot();
    foot.stand(STANCE_MS);
    foot.turn(SWING_FAST_DPS, 200);
    foot.gap(gap_ms);
    foot.turn(SWING_FAST_DPS, 200);
    foot.stand(AFTER_MS);
    return foot;
  }

  // breaks it: push accepting dt_ms < MAX_SAMPLE_GAP_MS only (the exact gap drops the swing), or any gap (the longer
  // one lands a stride)
  it('a swing with a gap of exactly MAX_SAMPLE_GAP_MS lands, turned through the gap too; one a millisecond longer is forgotten', () => {
    const exact = gapInSwing(MAX_SAMPLE_GAP_MS);
    expect(exact.verdicts).toHaveLength(1);
    // (turned at SWING_FAST_DPS through the gap as well, as the foot's trapezoid has it: within the strapdown's
    // second-order step, 0.2 deg over a gap this long, where leaving the gap out would lose a fifth of the turn)
    expect(Math.abs(exact.verdicts[0].turn_deg - exact.yaw_deg)).toBeLessThan(1);
    expect(gapInSwing(MAX_SAMPLE_GAP_MS + 1).verdicts).toEqual([]);
  });

  // breaks it: resetMotion keeping still_ms, or push accepting the longer gap
  it('the time the foot has stood still goes on across a gap of MAX_SAMPLE_GAP_MS, and starts again after a longer one', () => {
    const exact = createFoot();
    exact.stand(1000);
    const before_ms = exact.engine.quietFor_ms();
    exact.gap(MAX_SAMPLE_GAP_MS);
    exact.stand(DT);
    expect(exact.engine.quietFor_ms()).toBe(before_ms + MAX_SAMPLE_GAP_MS);

    const over = createFoot();
    over.stand(1000);
    over.gap(MAX_SAMPLE_GAP_MS + 1);
    over.stand(DT);
    expect(over.engine.quietFor_ms()).toBe(0);
    over.stand(DT);
    expect(over.engine.quietFor_ms()).toBe(DT);
  });
});

describe('a stance reference older than MAX_PRESWING_MS is replaced at a calm sample, not while the foot moves (stance)', () => {
  /** A foot that has stood, turns at QUIET_DPS (calm, not still) for ms feeling force, swings and stands: its stride, and its yaw (deg) at the reference the stride started from. */
  function quietThenSwing(ms: number, force: Force = GRAVITY_ONLY) {
    const foot = createFoot();
    foot.stand(STANCE_MS);
    const lastStill_ms = foot.t_ms - DT;
    foot.turn(QUIET_DPS, ms, force);
    foot.turn(SWING_FAST_DPS, 300);
    foot.stand(AFTER_MS);
    expect(foot.verdicts).toHaveLength(1);
    const yawAt = (t_ms: number) => foot.yaws.find((y) => y.t_ms === t_ms)!.yaw_deg;
    return { v: foot.verdicts[0], lastStill_ms, turned_deg: (from_ms: number) => yawAt(foot.verdicts[0].decided_ms) - yawAt(from_ms) };
  }

  // breaks it: stance asking t - ref_ms > MAX_PRESWING_MS + DT (the second keeps the still reference), or
  // >= MAX_PRESWING_MS (the first is replaced)
  it('the last quiet sample MAX_PRESWING_MS after the last still one: the stride starts from the still one; a sample later, from a quiet one, as calm as it (start_dps) and turned from there', () => {
    const kept = quietThenSwing(MAX_PRESWING_MS);
    expect(kept.v.start_dps).toBe(0);
    expect(kept.v.turn_deg).toBeCloseTo(kept.turned_deg(kept.lastStill_ms), 0);

    const stale = quietThenSwing(MAX_PRESWING_MS + DT);
    expect(stale.v.start_dps).toBeCloseTo(QUIET_DPS, 6);
    // (replaced at the first quiet sample past MAX_PRESWING_MS, the last one here)
    expect(stale.v.turn_deg).toBeCloseTo(stale.turned_deg(stale.lastStill_ms + MAX_PRESWING_MS + DT), 0);
  });

  // breaks it: stance without `calm_dps2 < settle_dps2 &&` in that test (the moving foot's reference is replaced)
  it('a foot moving less calm than a settled stance (its force off the rest level too) keeps the still reference however long', () => {
    // (loaded so that its calmness alone is past SWING_DPS, the settled level)
    const moving = quietThenSwing(2 * MAX_PRESWING_MS, loaded(SWING_DPS / CALM_DPS_PER_G));
    expect(moving.v.start_dps).toBe(0);
    expect(moving.v.turn_deg).toBeCloseTo(moving.turned_deg(moving.lastStill_ms), 0);
  });
});

/** A step: the foot swings (committing) over STEP_MS, carried STEP_M, and stands for the rest of STEP_PERIOD_MS. */
const STEP_MS = 500, STEP_M = 0.5, STEP_PERIOD_MS = 1000;
function steps(foot: HandBuiltFoot, n: number): void {
  for (let i = 0; i < n; i++) {
    foot.turn(SWING_FAST_DPS, STEP_MS, carried(STEP_M, STEP_MS));
    foot.stand(STEP_PERIOD_MS - STEP_MS);
  }
}
/** The foot's counted steps: contact events' times (ms) and strides (m). */
function contacts(foot: HandBuiltFoot) {
  return foot.events.filter((e) => e.type === EVENT_CONTACT).map((e) => ({ t_ms: e.t_ms, stride_m: e.stride_m }));
}

describe('a foot set down somewhere new without a swing, SLIDE_MIN_M or more from where it stood (slid)', () => {
  /** the slide's turn: quiet, never a swing (the foot must turn, or every sample is still and zeroes its travel) */
  const SLIDE_DPS = QUIET_DPS;
  /**
   * A walk of three steps, then the foot slides slide_m in ms (turning at SLIDE_DPS) and stands; returns its
   * contacts, and when it stood still again (ms: the first sample after the slide, whose force no longer changes).
   */
  function slideAfterWalk(slide_m: number, ms: number, dt_ms = DT) {
    const foot = createFoot({ dt_ms });
    foot.stand(STANCE_MS);
    steps(foot, 3);
    const walked = contacts(foot);
    foot.turn(SLIDE_DPS, ms, carried(slide_m, ms));
    const still_ms = foot.t_ms;
    foot.stand(AFTER_MS);
    return { walked, slid: contacts(foot).slice(walked.length), still_ms };
  }

  // breaks it: slid asking R[TRAVEL_M] < 2 SLIDE_MIN_M (the longer slide is no step), or < SLIDE_MIN_M / 2 (the shorter is one)
  it('within a walk: 1.5 SLIDE_MIN_M, one step more where it stands still, unmeasured (stride 0); 0.7 SLIDE_MIN_M, none', () => {
    const far = slideAfterWalk(1.5 * SLIDE_MIN_M, 400);
    // (the walk's steps, carried STEP_M: the engine measures them so, as it would the slide)
    expect(far.walked).toHaveLength(3);
    for (const step of far.walked) expect(step.stride_m).toBeCloseTo(STEP_M, 1);
    expect(far.slid).toEqual([{ t_ms: far.still_ms, stride_m: 0 }]);
    expect(slideAfterWalk(0.7 * SLIDE_MIN_M, 400).slid).toEqual([]);
  });

  // breaks it: push asking t - ref_ms >= MIN_SWING_MS (the first counts)
  it('moving for MIN_SWING_MS from one still sample to the next, none; a sample longer, one', () => {
    // (at 40 Hz a sample interval divides MIN_SWING_MS: from the last still sample to the next, the slide's samples and one)
    const DT40 = 25;
    expect(MIN_SWING_MS % DT40).toBe(0);
    expect(slideAfterWalk(2 * SLIDE_MIN_M, MIN_SWING_MS - DT40, DT40).slid).toEqual([]);
    expect(slideAfterWalk(2 * SLIDE_MIN_M, MIN_SWING_MS, DT40).slid).toHaveLength(1);
  });

  // breaks it: slid without `if (inWalk && E[IN_WALK_USED]) return` (two steps)
  it('two slides before the next step: one step (once until the next step)', () => {
    const foot = createFoot();
    foot.stand(STANCE_MS);
    steps(foot, 3);
    for (let i = 0; i < 2; i++) {
      foot.turn(SLIDE_DPS, 400, carried(1.5 * SLIDE_MIN_M, 400));
      foot.stand(300);
    }
    expect(contacts(foot).slice(3)).toHaveLength(1);
  });

  // breaks it: slid asking sd.slide() >= MAX_SWING_MS (the first counts none)
  it('moving MAX_SWING_MS from one still sample to the next (the slide, and the sample its force returns), one step; a sample longer is no step (a shuffle)', () => {
    // (a slide calmer than a settled stance would have its stale reference replaced at MAX_PRESWING_MS, so this one is
    // loaded too, its force alone twice as far from calm as SWING_DPS: less calm than settled down to its last
    // sample and the next, where its force jumps back to gravity; the one after is still)
    const load = loaded((2 * SWING_DPS) / CALM_DPS_PER_G);
    function longSlide(ms: number) {
      const foot = createFoot();
      foot.stand(STANCE_MS);
      steps(foot, 3);
      const slide = carried(1.5 * SLIDE_MIN_M, ms);
      foot.turn(SLIDE_DPS, ms, (i, n) => [slide(i, n)[0], 0, load[2]]);
      foot.stand(AFTER_MS);
      return contacts(foot).slice(3);
    }
    expect(longSlide(MAX_SWING_MS - 2 * DT)).toHaveLength(1);
    expect(longSlide(MAX_SWING_MS - DT)).toEqual([]);
  });

  // breaks it: slid's `if (!inWalk) return walk.unseen(t_ms, 0, 0)` as `return` (the slide before the walk counts nothing)
  it('before a walk: its first step if the walk follows at once; after a pause of WALK_GAP_MS, nothing', () => {
    function slideThenWalk(pause_ms: number) {
      const foot = createFoot();
      foot.stand(STANCE_MS);
      foot.turn(SLIDE_DPS, 400, carried(1.5 * SLIDE_MIN_M, 400));
      const still_ms = foot.t_ms;
      foot.stand(pause_ms);
      steps(foot, 3);
      return { still_ms, counted: contacts(foot) };
    }
    const first = slideThenWalk(STEP_PERIOD_MS - STEP_MS);
    expect(first.counted).toHaveLength(4);
    expect(first.counted[0]).toEqual({ t_ms: first.still_ms, stride_m: 0 });
    expect(slideThenWalk(WALK_GAP_MS).counted).toHaveLength(3);
  });
});

describe('a stride under way when the samples start again after a gap: counted with the walk that follows, at its impact (calmest, unsettled, beginSwing)', () => {
  /**
   * A foot that has stood; no samples for a while; from the first sample after the gap it turns at first_dps, for
   * impact_ms from the first one the engine reads (the one after the gap's: that one only starts it again), lands
   * on an impact there (its least calm sample), comes to rest and walks three steps.
   */
  function wokeInStride(first_dps: number, impact_ms: number) {
    const foot = createFoot();
    foot.stand(STANCE_MS);
    foot.gap(MAX_SAMPLE_GAP_MS + 1);
    const read_ms = foot.t_ms + DT;
    foot.turn(first_dps, impact_ms + DT);
    const impact_at = foot.t_ms;
    foot.turn(first_dps, DT, jolted(2 * IMPACT_G));
    foot.turn(QUIET_DPS, QUIET_LANDING_MS);
    foot.stand(STEP_PERIOD_MS - STEP_MS - QUIET_LANDING_MS - DT);
    steps(foot, 3);
    expect(impact_at - read_ms).toBe(impact_ms);
    return { impact_at, counted: contacts(foot) };
  }

  // breaks it: calmest asking calm_dps2 > 2 SWING2 (the first is not counted), or > SWING2 / 2 (the second is);
  // unsettled without its `E[UNSEEN_LAND] = t_ms` (counted at its first sample read, not its impact)
  it('turning just over SWING_DPS at the first sample read: a stride, counted first, at its impact, unmeasured (stride 0); just under: none', () => {
    const stride = wokeInStride(1.02 * SWING_DPS, 400);
    expect(stride.counted).toHaveLength(4);
    expect(stride.counted[0]).toEqual({ t_ms: stride.impact_at, stride_m: 0 });
    expect(wokeInStride(0.98 * SWING_DPS, 400).counted).toHaveLength(3);
  });

  // breaks it: beginSwing asking E[UNSEEN_LAND] - E[UNSEEN] < MAX_SWING_MS (the first is not counted)
  it('its impact MAX_SWING_MS after the first sample read: counted; a sample later, none (longer than any swing)', () => {
    expect(wokeInStride(1.02 * SWING_DPS, MAX_SWING_MS).counted).toHaveLength(4);
    expect(wokeInStride(1.02 * SWING_DPS, MAX_SWING_MS + DT).counted).toHaveLength(3);
  });
});
