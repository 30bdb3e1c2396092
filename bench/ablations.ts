/**
 * The gait engine's rules, each as the edit that takes it out of the sources: what `npm run bench ablate`
 * (ablate.ts) measures, to show what each rule buys (docs/decisions.md, "Rules no recording needs, taken
 * out"). An edit replaces text that must appear exactly once in its file (test/bench-ablate.test.ts checks
 * every one against the sources, so an engine change that moves a rule's code breaks the test, not the bench).
 */

export interface Ablation {
  /** the rule, as the decisions.md table names it */
  rule: string;
  /** the source file, from the project's root */
  file: string;
  find: string;
  replace: string;
}

const ENGINE = 'shared/gait/engine.ts';
const DECISION = 'shared/gait/decision.ts';

export const ABLATIONS: Ablation[] = [
  {
    rule: 'a swing that slowed to a quarter of its peak speed has landed (SOFT_SPEED_FRACTION)',
    file: ENGINE,
    find: '(slowed && (speed2 < SOFT2 * peakSpeed2 || (before_dps2',
    replace: '(slowed && ((before_dps2',
  },
  {
    rule: 'a quiet swing is down after QUIET_DOWN_MS',
    file: ENGINE,
    find: '(slowed || quiet_ms >= QUIET_DOWN_MS || E[START_CALM2]',
    replace: '(slowed || E[START_CALM2]',
  },
  {
    rule: '...or at once, from an unsure start (UNSURE_START_DPS)',
    file: ENGINE,
    find: '(slowed || quiet_ms >= QUIET_DOWN_MS || E[START_CALM2] > UNSURE_START_DPS * UNSURE_START_DPS)',
    replace: '(slowed || quiet_ms >= QUIET_DOWN_MS)',
  },
  {
    rule: 'a quiet landing feels gravity (MAX_TILT_DEG)',
    file: ENGINE,
    find: ' || (before_dps2 >= V_TURN2 * turn_dps2 && dev_g > ROLL_G)))) && sd.offGravity_deg(pax, pay, paz) <= MAX_TILT_DEG))) return;',
    replace: ' || (before_dps2 >= V_TURN2 * turn_dps2 && dev_g > ROLL_G))))))) return;',
  },
  {
    rule: 'an impact after slowing down is a landing (IMPACT_G)',
    file: ENGINE,
    find: 'if (!(atRest_dps2 < STILL_DPS * STILL_DPS || (slowed && jump_g2 > IMPACT2) || (',
    replace: 'if (!(atRest_dps2 < STILL_DPS * STILL_DPS || (',
  },
  {
    rule: 'the landing at its hardest jolt (LANDING_JOLT_G)',
    file: ENGINE,
    find: 'if (E[JOLT_DA2] > 0 && jump_g2 < E[JOLT_DA2]) {',
    replace: 'if (false) {',
  },
  {
    rule: 'a landing already at rest starts the stance',
    file: ENGINE,
    find: '    if (atRest_dps2 < STILL_DPS * STILL_DPS) {\n      // already at rest',
    replace: '    if (false) {\n      // already at rest',
  },
  {
    rule: "a rolling stance's \"swing\" that never committed goes on (resumeSwing)",
    file: ENGINE,
    find: 'if (landed && turn_dps2 > COMMIT2 && !settled && peakTurn_dps2 < COMMIT2 && E[JOLT_DA2] === 0 && !E[FOLDED] && !E[EARLY]) return /*@__NOINLINE__*/ resumeSwing(turn_dps2);',
    replace: '',
  },
  {
    rule: 'a swing past MAX_SWING_MS after a turn starts again (overrun)',
    file: ENGINE,
    find: 'if (E[RESTARTED] || R[TURN_DEG] < MIN_TURN_DEG) {',
    replace: 'if (true) {',
  },
  {
    rule: 'a stale reference is renewed (MAX_PRESWING_MS)',
    file: ENGINE,
    find: 'if (!landed && calm_dps2 < settle_dps2 && t_ms - ref_ms > MAX_PRESWING_MS) /*@__NOINLINE__*/ calmest(calm_dps2);',
    replace: '',
  },
  {
    rule: "the stance settles at a fraction of the swing's peak (SETTLE_FRACTION, SETTLE_MAX_DPS)",
    file: ENGINE,
    find: 'const settle_now_dps2 = E[JOLT_DA2] > 0 || jump_g2 > JOLT2 ? SETTLE_FRACTION * SETTLE_FRACTION * peakTurn_dps2 : 0;',
    replace: 'const settle_now_dps2 = 0;',
  },
  {
    rule: "calmness counts the force's jump (CALM_JUMP_MS2)",
    file: ENGINE,
    find: 'const calm_dps2 = turn_dps2 + K2 * (dev_g * dev_g + (jump_g2 * CALM_JUMP_MS2) / (dt_ms * dt_ms));',
    replace: 'const calm_dps2 = turn_dps2 + K2 * dev_g * dev_g;',
  },
  {
    rule: "a landed stride's calmer sample counts only once it is calmer than the settle level",
    file: ENGINE,
    find: ' && (state !== LANDED || calm_dps2 < settle_dps2)) return /*@__NOINLINE__*/ calmest(calm_dps2);',
    replace: ') return /*@__NOINLINE__*/ calmest(calm_dps2);',
  },
  {
    rule: "a landed foot that stopped turning is down if its force is along the swing's carried gravity (settleWhereTurnStops, landed)",
    file: ENGINE,
    find: ': landed ? sd.offGravity_deg(pax, pay, paz) > MAX_TILT_DEG : dev_g > ROLL_G)) return;',
    replace: ': landed || dev_g > ROLL_G)) return;',
  },
  {
    rule: '...if it reads no less than its rest level less ROLL_G (a foot still falling)',
    file: ENGINE,
    find: 'if (dev_g < -ROLL_G || (moving ? calm_dps2 - turn_dps2 > K2 * (dev_g * dev_g + IMPACT2) || sd.offGravity_deg(pax, pay, paz) > MAX_TILT_DEG : landed ? sd.offGravity_deg(pax, pay, paz) > MAX_TILT_DEG : dev_g > ROLL_G)) return;',
    replace: 'if (moving ? calm_dps2 - turn_dps2 > K2 * (dev_g * dev_g + IMPACT2) || sd.offGravity_deg(pax, pay, paz) > MAX_TILT_DEG : landed ? sd.offGravity_deg(pax, pay, paz) > MAX_TILT_DEG : dev_g * dev_g > ROLL_G * ROLL_G) return;',
  },
  {
    rule: 'a stance that never settled may settle at rest (settleWhereTurnStops, not landed)',
    file: ENGINE,
    find: 'if (landed ? !E[FOLDED] : !settled) /*@__NOINLINE__*/ settleWhereTurnStops(landed, calm_dps2, turn_dps2);',
    replace: 'if (landed ? !E[FOLDED] : !settled && turn_dps2 >= STILL_DPS * STILL_DPS) /*@__NOINLINE__*/ settleWhereTurnStops(landed, calm_dps2, turn_dps2);',
  },
  {
    rule: 'a foot whose turn went through its least in a V came down between two samples (settleWhereTurnStops)',
    file: ENGINE,
    find: 'if (before_dps2 !== least_dps2 || turn_dps2 < E[V_AFTER_W2] || turn_dps2 >= SWING2) return;',
    replace: 'return;',
  },
  {
    rule: '...not at a sample jolted as by an impact (IMPACT_G)',
    file: ENGINE,
    find: '(moving ? calm_dps2 - turn_dps2 > K2 * (dev_g * dev_g + IMPACT2) || sd.offGravity_deg(pax, pay, paz)',
    replace: '(moving ? sd.offGravity_deg(pax, pay, paz)',
  },
  {
    rule: 'a slowed foot whose turn collapses under load has landed (landing)',
    file: ENGINE,
    find: ' || (before_dps2 >= V_TURN2 * turn_dps2 && dev_g > ROLL_G)',
    replace: '',
  },
  {
    rule: 'the gyro offset learnt while standing (GYRO_OFFSET_LEARN_S)',
    file: ENGINE,
    find: 'const weight = dt_ms / (GYRO_OFFSET_LEARN_S * 1000);',
    replace: 'const weight = 0;',
  },
  {
    rule: 'the rest level learnt only when the force is steady (REST_ACC_CHANGE_G)',
    file: ENGINE,
    find: 'if (turn_dps2 < STILL_DPS * STILL_DPS && jump_g2 < REST_DA2) rest_g2',
    replace: 'if (turn_dps2 < STILL_DPS * STILL_DPS) rest_g2',
  },
  {
    rule: 'counted at the landing only if lifted MIN_LIFT_M',
    file: ENGINE,
    find: ' && peakTurn_dps2 >= SWING2 && R[LIFT_M] >= MIN_LIFT_M;',
    replace: ' && peakTurn_dps2 >= SWING2;',
  },
  {
    rule: 'counted at the landing only within MAX_RISE_M of its start height',
    file: ENGINE,
    find: ' && rise_m <= MAX_RISE_M && rise_m >= -MAX_RISE_M',
    replace: '',
  },
  {
    rule: 'in a walk, a slid or slow stride is a step (stepInWalk)',
    file: ENGINE,
    find: 'else if (stepInWalk(R, verdict)) {',
    replace: 'else if (false) {',
  },
  {
    rule: '...once until the next step (IN_WALK_USED)',
    file: ENGINE,
    find: '      else if (!E[IN_WALK_USED]) {\n',
    replace: '      else {\n',
  },
  {
    // (walking backward: voisard played backward, its first steps)
    rule: "...and before a walk, the walk's first step if one follows within UNSEEN_MAX_PERIODS",
    file: ENGINE,
    find: '      if (!walk.inWalk(land_ms)) walk.unseen(land_ms, R[TRAVEL_M], pitch);\n',
    replace: '      if (!walk.inWalk(land_ms)) {}\n',
  },
  {
    rule: 'a short or unlifted stride swung faster than SWING_DPS',
    file: DECISION,
    find: '  if (peak < SWING_DPS && (travel < CLEAR_STEP_M || s[LIFT_M] < MIN_LIFT_M)) return NOT_SLOW_SWING;\n',
    replace: '',
  },
  {
    rule: 'an unturned stride moved the foot MIN_STEP_M',
    file: DECISION,
    find: 'if (travel < MIN_STEP_M && (!turned || s[ACC_SPREAD_G] < FLOOR_TURN_SPREAD_G)) return NOT_MOVED;',
    replace: 'if (travel < MIN_STEP_M && turned && s[ACC_SPREAD_G] < FLOOR_TURN_SPREAD_G) return NOT_MOVED;',
  },
  {
    rule: 'a stride rising more than MAX_RISE_M at a stair\'s slope is a stair (STAIR_MIN_SLOPE)',
    file: DECISION,
    find: '  if (((rise > MAX_RISE_M && s[LIFT_M] >= MAX_RISE_M) || rise < -MAX_RISE_M) && (rise > STAIR_MIN_SLOPE * travel || rise < -STAIR_MIN_SLOPE * travel)) return NOT_STAIR;\n',
    replace: '',
  },
  {
    rule: '...up a stair, only a stride whose foot rose MAX_RISE_M on its way (LIFT_M)',
    file: DECISION,
    find: '(rise > MAX_RISE_M && s[LIFT_M] >= MAX_RISE_M)',
    replace: 'rise > MAX_RISE_M',
  },
  {
    rule: 'its up axis is back within MAX_POSE_TILT_DEG',
    file: DECISION,
    find: '  if (s[TILT_DEG] > MAX_POSE_TILT_DEG) return NOT_TILTED;\n',
    replace: '',
  },
  {
    rule: 'a turned foot that stayed on the floor spun (SPIN_RADIUS_M)',
    file: DECISION,
    find: 'if (turned && s[LIFT_M] < PIVOT_MIN_LIFT_M && travel < 2 * SPIN_RADIUS_M',
    replace: 'if (false && travel < 2 * SPIN_RADIUS_M',
  },
  {
    rule: 'a short turned stride pushed off and landed (FLOOR_TURN_SPREAD_G)',
    file: DECISION,
    find: ' || s[ACC_SPREAD_G] < FLOOR_TURN_SPREAD_G)) return NOT_MOVED;',
    replace: ')) return NOT_MOVED;',
  },
  {
    rule: 'a short unturned stride lifted the foot (MIN_LIFT_M)',
    file: DECISION,
    find: '  if (travel < CLEAR_STEP_M && s[LIFT_M] < MIN_LIFT_M && !turned) return NOT_LIFTED;\n',
    replace: '',
  },
  {
    rule: 'a stride from an unsure start swung like a step (STEP_SWING_DPS)',
    file: DECISION,
    find: '  if (s[START_DPS] > UNSURE_START_DPS && peak < STEP_SWING_DPS) return NOT_LIFTED;\n',
    replace: '',
  },
  {
    // (the sets run without idle: what it buys shows in `npm run bench pod`, pod.wake.missed_strides)
    rule: 'a stride under way at a restart is counted with the next step of its walk (the pod woke on it)',
    file: ENGINE,
    find: 'E[UNSEEN] = E[UNSEEN] > -2 && calm_dps2 > SWING2 ? t_ms : -1;',
    replace: 'E[UNSEEN] = -1;',
  },
  {
    rule: 'in a walk, a foot set down somewhere new without a swing is a step (SLIDE_MIN_M)',
    file: ENGINE,
    find: '      if (t_ms - ref_ms > MIN_SWING_MS) /*@__NOINLINE__*/ slid(t_ms);\n',
    replace: '',
  },
  {
    rule: "...and before a walk, a foot so slid is the walk's first step if one follows within UNSEEN_MAX_PERIODS",
    file: ENGINE,
    find: '    if (!inWalk) return walk.unseen(t_ms, 0, 0);\n',
    replace: '    if (!inWalk) return;\n',
  },
  {
    // (walking backward: voisard played backward, "played backward direction wrong"; also what overrun reads)
    rule: "a stride counted at its landing turned only about the start's up (a steep toe landing has pitched, not turned)",
    file: 'shared/gait/strapdown.ts',
    find: 'R[TURN_DEG] = 2 * Math.atan(tanHalf < 0 ? -tanHalf : tanHalf) * DEG;',
    replace: 'R[TURN_DEG] = 2 * acos1(qw < 0 ? -qw : qw) * DEG;',
  },
  {
    // (at its landing and at the stance, finish: one function, directionAlong; with both taken out before
    // 2026-12-06, 106 the wrong way)
    rule: 'a turned stride goes the way the walk goes, not forward',
    file: ENGINE,
    find: '    return E[LAST_DIR] || (cosToe * cosToe >= COS_ALONG * COS_ALONG ? directionOf(cosToe) : 0);\n',
    replace: '    return DIR_FORWARD;\n',
  },
  {
    rule: "a turned step before the walk's way is known goes the way its own travel runs along the toe axis, not forward",
    file: ENGINE,
    find: '(cosToe * cosToe >= COS_ALONG * COS_ALONG ? directionOf(cosToe) : 0)',
    replace: '0',
  },
  {
    rule: 'not further than a step goes (MAX_STEP_M, in the decision; the landing count keeps it)',
    file: DECISION,
    find: '  if (travel > MAX_STEP_M) return NOT_TOO_FAR;\n',
    replace: '',
  },
];

/** The source with the ablation's edit made; throws unless its text is there exactly once. */
export function ablated(source: string, a: Ablation): string {
  const at = source.indexOf(a.find);
  if (at < 0 || source.indexOf(a.find, at + 1) >= 0) throw new Error(`ablation "${a.rule}": its text is ${at < 0 ? 'not' : 'more than once'} in ${a.file}`);
  return source.slice(0, at) + a.replace + source.slice(at + a.find.length);
}
