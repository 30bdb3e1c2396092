/**
 * Every threshold of the gait engine, with its unit and why it has its value.
 * Each is set by physics or by a measurement on real recordings (gaitmap,
 * the voisard development set, shoe-nav); the figures behind them are in
 * docs/decisions.md ("The staged gait engine"). None is tuned to one simulator
 * seed or one recording. A figure in a comment is as measured when the value was set (decisions.md has the
 * session): voisard "of 1,592" is from before its trial 9-3 was scored once (1,563 since 2026-12-05,
 * decisions.md "voisard trial 9-3 is the first part of 9-4"); today's figures: `npm run bench gait`.
 */

/** Standard gravity, m/s^2: converts specific force in g to m/s^2. */
export const GRAVITY_MPS2 = 9.80665;

// ---- stance and swing (segmentation) ----

/**
 * Calmness of a sample, in dps: sqrt(|gyro|^2 + (K (|acc| - rest))^2 + (K |acc change|)^2)
 * with K this many dps per g. A foot at rest turns at < 1 dps and its force
 * changes by < 0.01 g a sample (sensor noise); a rolling stance turns at
 * 20-60 dps; a shoe ringing after an impact jumps 0.3-0.6 g a sample. At 500
 * a 0.1 g jump weighs like 50 dps of turn, so the stance sample trusted for
 * gravity is both slow-turning and free of shock.
 */
export const CALM_DPS_PER_G = 500;
/**
 * ...and its force jump is taken as over this interval, squared (ms^2): the pod's own sample interval
 * (52 Hz: 19.23 ms, 369.8 ms^2, written short, as the pod reads a number's every digit on every sample). A
 * smooth change of force jumps in proportion to the time between samples, so the same foot would look
 * four times less calm by it at 52 Hz than at 26 Hz (squared), and the calmness, and every threshold on
 * it (set at 52 Hz), would mean another thing at every rate. Scaled to this interval, 52 Hz reads as
 * before. At 26 Hz: shoe-nav 748 -> 766 of 780 strides (fast 205 -> 223 of 237), gaitmap 4 x 10 m right
 * 26 -> 28 of 30, voisard 1,575 of 1,592 either way. At 100 Hz: voisard 1,566 -> 1,573. (docs/decisions.md,
 * "Calmness as over the pod's own sample interval".)
 */
export const CALM_JUMP_MS2 = 370;
/**
 * A sample calmer than this (dps) is standing still: velocity is zeroed
 * there. Sensor noise and a 1-2 dps gyro offset stay well under it; a foot
 * starting to roll off passes 15 dps within a sample or two.
 */
export const STILL_DPS = 15;
/**
 * A foot that has come down and stopped turning (under STILL_DPS) is on the ground even if the sensor reads
 * this far (g) under its rest level, and in a stance between strides this far over it too (compared as half
 * the difference of the squares, as the calmness is: that lets |acc| through from 0.27 g over to 0.37 g
 * under the rest level). After a landing any more is its load, along the gravity carried through the swing
 * (engine.ts settleWhereTurnStops; the upper bound went on 2026-12-05: docs/decisions.md, "Rules no recording
 * needs, taken out"). A foot that lands between two samples (landing's V, V_TURN_RATIO) must read more than
 * this over the rest level: the body's load, not a rolling foot's push. A foot that starts to roll over its
 * toe or heel as it stops turning pushes the sensor with the roll's angular acceleration, alpha r (15-20
 * rad/s^2 at 0.15-0.2 m from the axis: 0.2-0.4 g), along the up axis it had on the ground. A swing in mid-air that stops turning is falling or being
 * caught: its reading is far further under, and its force is off gravity (the landing's own test).
 * Measured: the simulator's slow rolling walkers, whose stances have no sample within 0.2 g of rest, lost
 * 6-9% of their strides, and 26% of their backward ones, with the level test at STILL_DPS (0.03 g); 0.3 found
 * 97.6% against 93.7% at 52 Hz, and nothing changed on voisard, gaitmap or shoe-nav.
 * Wider (0.4-0.6) cost the simulator's varied sessions at 26 Hz (98.2% -> 97.5%) and helped nothing.
 */
export const ROLL_G = 0.3;

/**
 * A foot that stops turning between two samples shows it as a V in its turn: a neighbour of the sample turning
 * least turns at least twice as fast, so the line through the two reaches zero turn within one sample interval.
 * Geometry, not a tuned value: a pivot turning evenly has no such neighbour, and a jogging stance at 26 Hz (one
 * or two samples at 8-35 deg/s between the landing and the roll) has one (engine.ts settleWhereTurnStops and
 * landing; docs/decisions.md, "Backward jogs at 26 Hz").
 */
export const V_TURN_RATIO = 2;

/**
 * The foot turning faster than this (dps) is swinging, one boundary for three tests: a sample calmer than it
 * shows the foot has come down, a stance (real stances, voisard, gaitmap, shoe-nav, reach 5-60; swings stay
 * above 250 from toe-off to the landing); once settled, a swing starts when the foot turns faster (heel rise
 * and toe-off pass 100 within 50-100 ms; a stance never does); and a stride whose swing never passed it did
 * not swing (decision.ts: real steps peak at 90-1000 dps, voisard first steps 91 and up; a sliding or
 * fidgeting foot stays slower; short or unlifted strides only, under CLEAR_STEP_M or under MIN_LIFT_M, as at
 * 26 Hz a slow first step's peak falls between samples: voisard 3-5_lf, 98 dps sampled, 0.38 m, lifted
 * 3.8 cm). Three constants of the same value until 2026-12-05 (SETTLE_DPS, SWING_ON_DPS, MIN_SWING_PEAK_DPS).
 */
export const SWING_DPS = 100;
/**
 * ...or, after a landing with a jolt, calmer than this fraction of the swing's peak turn, up to
 * SETTLE_MAX_DPS: a stance's calmness scales with the pace as the swing's peak does. At a fast walk
 * (shoe-nav, 1.7-2.2 m/s) the shoe rolls on through a short stance and its calmest sample stays at 0.11 /
 * 0.22 / 0.37 of the swing's peak (median / p90 / p99 of 237 strides; calmness 55 / 127 / 201 against
 * peaks of ~530 dps): under SWING_DPS alone none of those stances settled and 66 of the 237 strides were
 * lost. At normal paces the ratio is 0.04-0.06 (p99 0.10; voisard, shoe-nav normal), far under 0.35.
 */
export const SETTLE_FRACTION = 0.35;
/**
 * The fraction's ceiling (dps): after a very hard landing (voisard at 100 Hz, peaks of 750-800 dps) the
 * shoe rings for 100 ms, and a ringing sample calmer than 0.35 of the peak (165-275) was taken for the
 * stance, the next ringing one for a swing, and the real stance lost (53 of 1,841 labels at 100 Hz).
 * 175 keeps 9 of those and the fast stances up to their p95; 150 kept fewer fast strides (23 lost at
 * 52 Hz against 10).
 */
export const SETTLE_MAX_DPS = 175;
/**
 * A step's swing turns the foot faster than this (dps): walking swings pass 250 (voisard: 300 and more).
 * Until a swing passes it, a calmer sample than the stance's calmest sends it back to the stance: a rolling
 * walker's foot flattens after its landing at 110-130 dps (gaitmap 4 x 10 m), which taken for a swing stole
 * the stance's calm part from the next stride. A stride from a stance that never came to rest must pass it
 * (UNSURE_START_DPS: a foot sliding back and forth turns at 100-160). Two constants of the same value until
 * 2026-12-05 (SWING_COMMIT_DPS, SHORT_STEP_PEAK_DPS).
 */
export const STEP_SWING_DPS = 200;
/**
 * A swing is at least this long (ms) before it can land: the shortest real
 * swing (a first step off standing) lasts ~300 ms; within this time a
 * "swing" that goes calmer than its stance was the landing still ringing.
 */
export const MIN_SWING_MS = 150;
/**
 * ...and at most this long (ms): the slowest walking swings for ~0.8 s. A foot moving longer than this was
 * not swinging (a pivot on the floor, cycling, a shoe in the hands): the swing starts again, once (engine.ts
 * overrun), so a real swing after a pivot still lands.
 */
export const MAX_SWING_MS = 1200;
/**
 * In a walk, a foot that moved this far (m) over the ground between two still samples of its stance, without
 * swinging, for MIN_SWING_MS to MAX_SWING_MS, was set down somewhere new: a step (engine.ts slid). The
 * closing step into standing is often shuffled so: voisard's missed last steps turn the foot at 60-80 dps,
 * never the SWING_DPS a swing starts at, and move it 0.04-0.12 m. Over every such stretch of a voisard stance
 * where the foot stayed put (102 recordings at 26, 52 and 100 Hz: rocking, weight shifts, the other foot's
 * swing) the strapdown's de-drifted travel stays under 0.012 m, as an error of 0.02 g held for 0.4 s would
 * give; 0.03 is 2.5 times that. Every foot that moved read 0.039 m or more: the labelled last steps, and 3
 * feet set ~4 cm further ~1 s after a last step already counted, which the labels leave out (so they score
 * as extra). No other set (gaitmap, shoe-nav, the simulator's, the non-walking motions) moves a figure with
 * it. Measured and why it should hold elsewhere: docs/decisions.md, "A step set down without a swing".
 */
export const SLIDE_MIN_M = 0.03;
/**
 * A stance reference older than this (ms) when the foot starts to move is no
 * stride's start: a foot moving on the ground for longer (shuffling) has no
 * stance to measure from. The reference is the last sample standing still; a
 * walking heel rise takes 300-500 ms from there (gaitmap; voisard walking
 * steps: at most 600-750). The first step off standing of the foot that
 * leaves second waits longer, 650-1,000 ms (voisard at 100, 52 and 26 Hz),
 * its loaded foot rocking at 15-50 dps while the other foot rises and swings:
 * a stale reference is therefore replaced at a calm sample (the foot still
 * down) and kept while the foot already moves (engine.ts), and the first step
 * starts from the loaded foot. Not longer: at 1,200 ms the voisard figures
 * were the same (one first step more at 52 Hz) and a held-out simulated
 * shuffle counted 2 strides in 8.3 h at 52 Hz (4 at 104 Hz), against 0 at
 * 600 then (2026-12-04, decisions.md "Engine accuracy, 2026-12-04 night";
 * today's engine counts 2 shuffle strides at 600 at 52 and 104 Hz: later
 * changes, `npm run bench gait`).
 */
export const MAX_PRESWING_MS = 600;

// ---- landing (first contact) ----

/**
 * The foot lands once it has slowed below this fraction of the swing's peak
 * speed and then shows an impact: at toe-off it is still speeding up and
 * the push-off jolts it too; real contacts come at 0.05-0.4 of the peak
 * (voisard: 90% below 0.38).
 */
export const LAND_SPEED_FRACTION = 0.6;
/** Impact: the force jumps by this much between two samples (g); real heel strikes jump 2-9 g at 52 Hz, the softest ~1.5 (voisard). */
export const IMPACT_G = 1.5;
/**
 * A landing found late (the foot already slower than SOFT_SPEED_FRACTION, or at rest) is timed at the
 * swing's hardest jolt after it slowed down (LAND_SPEED_FRACTION), if one passed this (g): at 26 Hz a sample averages 38 ms and
 * a jogger's contact jumps 0.6-1.5 g (IMPACT_G misses it); the swing itself changes by < 0.5 g a sample.
 */
export const LANDING_JOLT_G = 0.5;
/** ...or, without an impact, the foot has slowed below this fraction of its peak (a soft landing: 0.23 of the peak at the median voisard contact). */
export const SOFT_SPEED_FRACTION = 0.25;
/**
 * ...or it has been calm (SWING_DPS) this long (ms), or is standing still (STILL_DPS) at all: a foot set
 * down gently, the last step into standing. 60 ms is two samples at 26 Hz (a jogger's stance may have
 * no more), four at 52: the count adds each quiet sample's interval, so three reach only 57.7 ms (until
 * 2026-12-07 this said three; 55 ms, three, moves no played-backward figure, and gives voisard at 52 Hz
 * one step found fewer and one extra fewer: docs/decisions.md, "Backward walking's extras and misses, one
 * by one").
 */
export const QUIET_LANDING_MS = 60;
/**
 * ...but a foot gone quiet while still at speed (its speed from a start at rest above LAND_SPEED_FRACTION of
 * its peak) is in the air, unless it stays quiet this long (ms): the first step off standing and the last
 * into standing slow their turn under SWING_DPS in mid-air, and ending the swing there split the step in
 * two (voisard 2-3_rf, 4-2_rf). Such mid-air quiet spans, the foot at speed and moving again after, last at
 * most 150 ms (voisard: 150 at 100 Hz, 135 at 52, 115 at 26; 95% under 100); a foot pivoting on the ground
 * through a turn, whose speed drifts on (nothing zeroes it), stays quiet longer (1-5_lf at 26 Hz: 270 ms).
 * Any value from 150 to 200 gives the same voisard and gaitmap figures. A stride from a start that never
 * came to rest (UNSURE_START_DPS) has a speed that cannot tell (gaitmap 4 x 10 m turns): quiet is enough.
 */
export const QUIET_DOWN_MS = 200;
/**
 * A landed stride is judged at its stance's calmest sample: when the foot
 * stands still, when the next swing starts, or this long after the landing
 * (ms) at the latest (a walker's foot is flat 100-300 ms after contact).
 */
export const DECIDE_MS = 300;

/**
 * A stride this long (m) or longer is clearly a walking step's: within a walk it is counted at its landing
 * (so a wrong step buzzes within a sample or two of the contact) if it also fits the learnt mount, swung
 * past SWING_DPS, lifted MIN_LIFT_M, is no longer than MAX_STEP_M and is within MAX_RISE_M of its
 * start height, under a stair's (a heel strike holds the pod a few cm up; until 2026-12-05 it had a limit of
 * its own, 0.15 m, and at 0.25 every set counts the same steps), the stance then only
 * confirming it, and anything less clear waits for the stance (DECIDE_MS at most); it cannot have slid, so
 * the lift rule is for shorter ones (decision.ts; and a stance tilted by a few degrees reads a long
 * stride's lift as 0); and only strides this long (and not turning) say which way the toe points (mount.ts).
 * Three constants of the same value until 2026-12-05 (EARLY_MIN_TRAVEL_M, LIFT_RULE_BELOW_M, TOE_STRIDE_M).
 */
export const CLEAR_STEP_M = 0.3;

// ---- the step decision ----

/**
 * A step moves the foot at least this far (m) from where it stood. Real
 * steps, first steps off standing included, move it 0.39 m or more (voisard
 * first steps: 0.39-0.66 m; backward strides 0.5-0.9 m); a foot sliding on
 * the floor, tapping or fidgeting moves it less than 0.15 m.
 */
export const MIN_STEP_M = 0.15;
/**
 * ...or turns it at least this much (deg) about the vertical: a pivot step in
 * a U-turn re-places the foot turned 45-180 deg (voisard turns) with little
 * travel; a foot fidgeting on the spot turns less than 40.
 */
export const MIN_TURN_DEG = 45;
/**
 * ...and left the floor: a turned stride shorter than a step whose |acc| ranged less than this (stride.ts
 * ACC_SPREAD_G: over what the sensor reads at rest, ~g) from its swing's start to its landing turned on the
 * floor. (Not the bench's FLOOR_SWING_SPREAD_G, host/src/replay/swings.ts: raw g, over a swing's fast
 * samples and one either side.) A foot that steps
 * pushes off and lands, and each swings |acc| more; PIVOT_MIN_LIFT_M alone cannot tell (the lift is
 * integrated without its de-drift and reads 5-14 mm on such pivots). voisard's short turned strides that
 * lifted 5 mm: the labelled pivot steps ranged 0.27 g and more at 52 Hz, 0.24 at 26 Hz (averaging two
 * samples takes up to half of a landing's jolt away); of those no label matches, the lowest 0.07 and 0.07 g
 * at 52 Hz, 0.06 and 0.11 at 26 (the rest 0.16-1.15). 0.15 sits in the gap at both rates. Only below
 * MIN_STEP_M: a gaitmap turning step of 0.16-0.18 m ranged 0.13-0.18 g at 26 Hz through the sensor errors
 * (docs/decisions.md, "A turned foot that never left the floor").
 */
export const FLOOR_TURN_SPREAD_G = 0.15;
/**
 * A turned foot that lifted less than this (m) stayed on the floor: it spun there (on its heel or ball),
 * which is not a step, unless it moved the sensor further than a spin does (SPIN_RADIUS_M). (Until
 * 2026-12-05 a turned foot shorter than MIN_STEP_M had to lift this much as well as push off and land
 * (FLOOR_TURN_SPREAD_G): no recording needed both.) voisard's U-turns at 52 Hz: 48 strides counted that no label
 * matches, 27 of them turned 50-180 deg moving 2-15 cm and lifting 0-8 mm; the labelled pivot steps lift
 * 4-28 mm. 5 mm takes out 20 of the spins and 1 labelled step (of 121 labelled turned steps); 1 cm
 * (MIN_LIFT_M) took out 27 and 3.
 */
export const PIVOT_MIN_LIFT_M = 0.005;
/**
 * How far a spin moves the sensor: a foot that spins on its heel or ball moves a sensor
 * on the instep along a chord, 2 r sin(turn / 2), r the sensor's distance from the point it spins about:
 * up to this (m), an adult foot's heel to instep (the ball is nearer). For turns over ~60 deg the chord is
 * longer than MIN_STEP_M: voisard's unlabelled U-turn strides that lifted under PIVOT_MIN_LIFT_M turned
 * 108-179 deg moving the sensor 0.16-0.24 m (r 0.08-0.12 m); the labelled turned steps that lifted as
 * little moved it 0.44-1.0 m (r 0.24 and more), but for one at 26 Hz (0.24 m, lifted 4 mm).
 * docs/decisions.md, "A U-turn spin that moved the sensor".
 */
export const SPIN_RADIUS_M = 0.15;
/**
 * In a walk, a stride refused for how it swung is a step if it moved the foot this far (m; decision.ts
 * stepInWalk): to a new place. The last steps into standing that a swing rule refused (voisard) moved it 7-26
 * cm at 70-114 deg/s, lifting it under 1 cm; a foot set down where it was moves it less.
 */
export const IN_WALK_MIN_M = 0.05;
/** No step travels further than this (m): a brisk walker's stride is ~1.8 m, a jogger's ~2.2 (shoe-nav at 2.2 m/s); a car's motion integrates to metres. */
export const MAX_STEP_M = 2.5;
/**
 * A step ends at the height it started (m): a stair pair rises or falls
 * 0.30-0.36 m; level strides measure within 0.2 m (voisard, 99% of 1,700;
 * the sensor's own integration error at first contact). A stride read as
 * rising more is a stair only if its swing also lifted the foot this high
 * (decision.ts: an offset turned with the foot reads a level stride as
 * rising; decisions.md, "A stair climbs").
 */
export const MAX_RISE_M = 0.25;
/**
 * ...and a stair is steep: it rises more than this per metre travelled. Stairs rise at 30-42 deg (risers of
 * 15-19 cm over treads of 25-30 cm): a foot's stride two steps up or down rises 0.30-0.36 m over 0.5-0.6 m, a
 * slope of 0.5-0.7 (sim stairs: 99% over 0.47). A level stride measured from a tilted reference reads a
 * slope of tan(tilt), and the stride's tilt checks keep that under 25 deg (0.47: a level stride 22-25 deg
 * off is refused as a stair only if it also rises more than MAX_RISE_M); ramps are 0.08 at most.
 * On voisard's level walks 11 of 1,708 strides at 52 Hz (19 at 26 Hz) rose 0.25-0.36 m, all but one of them
 * less steeply than this; a sensor 60 mg off (gaitmap 2 x 20 m) pushed one to 0.33.
 */
export const STAIR_MIN_SLOPE = 0.4;
/**
 * A foot back on the ground feels gravity alone within this (deg) of its start's, carried through the
 * swing: a foot still in the air, or a shoe held up and turned, does not. Tested where the engine looks
 * for the landing of a swing that went quiet or slow without an impact, where a foot that stopped
 * turning after a landing is taken as down, and where a foot that stopped between two samples (the V) is
 * (engine.ts landing, settleWhereTurnStops); not again when the stride is judged (docs/decisions.md, "Rules no
 * recording needs, taken out").
 */
export const MAX_TILT_DEG = 20;
/**
 * A stride is a step only if its own up axis is within this (deg) of where it was: a shoe set down on its
 * side turned it by 90. Not tighter: a rolling walker's calmest stance samples come at foot pitches up to
 * 33 deg apart (gaitmap 4 x 10 m).
 */
export const MAX_POSE_TILT_DEG = 45;
/** A short step (under CLEAR_STEP_M) lifts the foot at least this much (m): the smallest real first step lifts it 1.5 cm; a foot sliding on the floor 0-1 cm. */
export const MIN_LIFT_M = 0.01;
/**
 * A stride whose start stance never came calmer than this (dps) measured its travel from a foot still
 * moving at up to ~0.3 m/s (a shuffle's 0.16 m read as 0.3-0.4): it counts only if it also swung the
 * foot faster than STEP_SWING_DPS, as walking strides do (voisard: 300 dps and more; 95% of its
 * steps start calmer than 40). A foot sliding back and forth never stops (25-90; 25-30 with the pod on
 * the heel counter, which turns least) and turns at 100-160. 20, not 30: the same voisard steps are
 * found at 52 and 26 Hz, and a heel-counter shuffle no longer counts 4 strides in 10 minutes.
 */
export const UNSURE_START_DPS = 20;

// ---- direction and first contact ----

/**
 * First contact class from the toe's pitch at the landing (toe up +, against the stride's start): within
 * this (deg) of the start's pitch, flat; further toe up, heel first; further toe down, toe first. Heel
 * strikes land at +7..+31 deg (gaitmap: 23-31), toe strikes at -7..-25, flat within +-2. The landing is
 * read at most a sample before the foot touches, the toe still 2-3 deg short of its landing pitch, so
 * the borders sit at +-3. (Two constants, +3 and -3, until 2026-12-05.)
 */
export const FLAT_PITCH_DEG = 3;

// ---- mount learning ----

/**
 * Two stances are one pose when their gravity is within this (deg): a stride fits the mount when its
 * stance's is within this of the mount's, and the strides of a run (RUN_STRIDES) share one pose. Walking
 * stances stay within 12, a steep ramp adds 10. (The run had one of its own, 20, until 2026-12-05: at 30
 * the same strides are counted, and gaitmap's steps through the sensor errors agree a little more.)
 */
export const FIT_DEG = 30;
/**
 * Strides that do not fit (or before there is a mount) are counted at once, their direction provisional
 * (GaitEvent.calibrated false); once this many in a row come from one pose (FIT_DEG) at walking pace and
 * travel one way (ALONG_DEG), the mount is learnt from them (the first strides after a move are taken as
 * forward, as the user is asked to walk). A shoe being handled lands every way and never makes such a run.
 */
export const RUN_STRIDES = 3;
/**
 * A stride travels along an axis when within this (deg) of it: the strides of a run travel one way, and
 * strides further than this off the toe axis, RUN_STRIDES in a row, mean the pod was turned on the shoe
 * (the mount is learnt again). Only strides of CLEAR_STEP_M and more, not turning, are asked. (The run had
 * one of its own, 40, until 2026-12-05: at 45 every set counts the same steps.)
 */
export const ALONG_DEG = 45;

// ---- walks and bouts ----

/**
 * A walk starts with this many steps in a row at walking pace (each within
 * WALK_GAP_MS of the last): they are held, then counted together. Within a
 * walk every step counts at once. Foot tapping, a shoe being put on or a
 * fidget makes one step-like motion now and then, not two in a row.
 */
export const WALK_CONFIRM_STEPS = 2;
/** Steps further apart than this (ms) are not one walk: the slowest walking (60 steps/min) puts 2 s between one foot's contacts. */
export const WALK_GAP_MS = 2500;
/**
 * A stride the engine did not see swing (the pod woke on it), or one refused for how it swung before a walk (a
 * first step slid off standing), is the walk's first only if it landed within this many stride periods of the
 * first step seen: it lands one period before it (1.0 in the wake sweeps of test/gait-engine.test.ts; 0.6-1.5
 * for the slid first steps of voisard and gaitmap played backward), while a fidget that woke the pod, a pause,
 * then a walk puts 2 or more between them (a review's sweep, 2026-12-05: 118-166 of 538 wake times counted one
 * stride too many under WALK_GAP_MS alone).
 */
export const UNSEEN_MAX_PERIODS = 1.5;
/** A bout ends after this long without a step (a pause at a crossing is shorter). */
export const BOUT_GAP_MS = 10000;
/** Cadence: exponential average of stride periods, weight of the newest (about the last 4 strides). */
export const CADENCE_SMOOTHING = 0.25;

// ---- the sensor ----

/**
 * What the accelerometer reads at rest is learnt over this long of standing still (s): noise averages out in a
 * second, a temperature drift takes minutes, and a walking stance is still for a few tenths of a second. Measured
 * (bench/ablate-figures.ts, every set, 2026-12-07) at 0.25, 1 and 2 s against 0.5: from 0.25 to 1 s every figure
 * moves by 2 steps or fewer, either way (noise); at 2 s the gaitmap walks through the sensor errors give the same
 * steps in 120 runs (a file at a rate through one error) rather than 126, 58 steps changed rather than 41, the
 * sensor's error learnt more slowly than short stances need. 0.5 is in the flat middle
 * (docs/decisions.md, "REST_LEARN_S measured").
 */
export const REST_LEARN_S = 0.5;
/**
 * A sample whose force changes by less than this (g) since the last, turning slower than STILL_DPS, is at rest for
 * that learning. A still sensor's reading changes by ~1 mg a sample (the LSM6DS3's noise at 52 Hz, 0.5 mg RMS);
 * a foot rolling through its stance, by tens. Measured (bench/ablate-figures.ts, every set, 2026-12-07) at 0.01,
 * 0.04 and 0.08 against 0.02: up to 0.04 every figure moves by 4 steps or fewer either way (noise); at 0.08 the
 * simulator's slow walkers lose 6-16 steps a rate (a slowly rolling stance taken for rest). 0.02 is in the flat
 * part, twice as far from the loose end as from the tight one (docs/decisions.md, "REST_ACC_CHANGE_G measured").
 */
export const REST_ACC_CHANGE_G = 0.02;
/**
 * A foot still (calmer than STILL_DPS) this long (ms) is standing: the standing pose, the guided calibration's
 * first step (mount.ts sawStanding: CAL_GRAVITY), and from then on what the gyro reads at rest is learnt
 * (GYRO_OFFSET_LEARN_S; engine.ts standing). 800 came with the staged engine (2026-12-04) with no measurement
 * written down. It is not longer than every walking stance: measured 2026-12-07 (the engine's quietFor_ms
 * between two of a foot's counted contacts at most WALK_GAP_MS apart), the longest still stretch within a
 * walk reaches it in 4 of voisard's 104 recordings at 52 Hz (7 at 26 Hz, 2 at 100; at most 1.14-1.35 s,
 * median 0.15 s at 52 Hz), not in gaitmap's (0.52 s at most) or shoe-nav's fast walk (0). Where a walking
 * stance reaches it, the gyro's offset is learnt there too. Tried at 1,500 ms (past every walking stance
 * measured), `npm run bench gait`: voisard's found and extra the same at 26, 52 and 100 Hz, and the gaitmap
 * 4 x 10 m walks through the sensor errors a little worse (over their 11 errors: 1 step more lost, 1 more
 * added, 2 fewer errors giving the same steps): learning in a long walking stance does no harm measured, so
 * 800 stays (decisions.md, "STANDING_MS at 1,500 ms, measured").
 */
export const STANDING_MS = 800;
/**
 * What the gyro reads at rest (its zero-rate offset, per axis) is learnt over this long of standing (s: the
 * foot still for STANDING_MS), and taken off every sample. The LSM6DS3 family reads up to a few dps at
 * rest (more after soldering, and it drifts with temperature); STILL_DPS (15) leaves room for it, but an
 * offset adds to every stance's calmness and turns the strapdown's attitude: voisard with 6 dps added on
 * one axis lost 27 of 1,592 steps at 52 Hz. A standing foot's sway (1-2 dps) averages out within a second;
 * gaitmap's 4 x 10 m walker stands 2.9-3.5 s before walking, of which 1 s learns an offset all but fully
 * and 2 s only ~75% (docs/decisions.md, "The gyro's zero-rate offset, learnt while standing").
 */
export const GYRO_OFFSET_LEARN_S = 1;
/** Sample spacing accepted (ms): a longer gap restarts the integration (lost samples, IMU restarted). */
export const MAX_SAMPLE_GAP_MS = 100;
