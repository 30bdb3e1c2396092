/**
 * Every threshold of the gait engine, with its unit and why it has its value.
 * Values were chosen from published gait figures and checked on the real
 * gaitmap recordings (test/fixtures/gaitmap) as well as on the simulator;
 * none is tuned to one simulator seed.
 */

/** Standard gravity, m/s^2: converts specific force in g to m/s^2. */
export const GRAVITY_MPS2 = 9.80665;

/**
 * Foot-flat (zero-velocity) detection: |gyro| below this. A foot flat on the
 * ground turns at < 20 dps (gaitmap recordings: 5-20 dps in mid-stance) while
 * a swinging foot turns at 300-600 dps; 60 leaves room for a rolling stance
 * and for sensor noise at 26 Hz.
 */
export const STANCE_GYRO_DPS = 60;
/** ...and |acc| within this of 1 g: a flat foot feels gravity only (walking stance: 0.85-1.15 g). */
export const STANCE_ACC_TOL_G = 0.25;
/**
 * ...for at least this long. 30 ms is two samples at 52 Hz: one quiet sample
 * can happen mid-swing when the pitch rate crosses zero, two cannot.
 */
export const STANCE_MIN_MS = 30;
/**
 * ...unless, in the first MID_SWING_MS of a swing or while a stride is armed,
 * the foot moves faster than this horizontally (m/s): a backward swing's
 * rotation reverses mid-air with the foot at 0.6+ m/s and little force,
 * which passed the test for two samples; a slow backward step lowers its
 * foot for the last 60-80 ms at 0.6-0.9 m/s turning under 60 dps, and taken
 * for a stance there it was zeroed just before its landing. Later in an
 * unarmed motion the test applies as it is: a stance after a landing the
 * engine missed must still stop the integration (its velocity then carries
 * that landing's error); an armed one stops it after CALM_BEATS_SPEED_MS.
 */
export const STANCE_MAX_SPEED_MPS = 0.5;
export const MID_SWING_MS = 600;
/**
 * ...and a foot that passes the stance test for this long (ms) is standing
 * whatever its integrated speed: a mid-air reversal passes for at most two
 * samples (77 ms at 26 Hz), while a landing's slap integrated badly can
 * leave 0.5 m/s of error on a foot that then stands still.
 */
export const CALM_BEATS_SPEED_MS = 100;
/**
 * A swing that goes quiet without an impact or a rotation reversal is a
 * soft landing once it has stayed quiet this long. Slow strides glide the
 * last 30-50 ms before touching down (the foot turns and accelerates little),
 * so a stance test alone fires that much early.
 */
export const SOFT_LANDING_MS = 70;
/**
 * ...and it ends with the foot at rest: |acc| within this of 1 g (g). Soft
 * landings in the simulator and gaitmap end at 0.97-1.03 g; a foot going
 * round on a pedal passes the looser stance test (0.75-1.25 g) for 70 ms
 * at 0.77-0.8 g, once a turn.
 */
export const SOFT_LANDING_ACC_TOL_G = 0.1;
/**
 * A stance sample is trusted to show gravity's direction (to re-level the
 * frame) only within this of the 1 g the sensor reads at rest (measured
 * standing still; 1 g before that): a 0.05 g push tilts the estimate by 3
 * deg, a stance's 0.25 g tolerance would allow 14 deg.
 */
export const LEVEL_ACC_TOL_G = 0.05;
/**
 * ...and while the foot turns slower than this. A landing jogger's foot
 * rolls at 60-120 dps and its force passes through 1 g pointing anywhere;
 * levelling there tilted the frame by tens of degrees. A flat foot turns
 * at < 20 dps.
 */
export const LEVEL_GYRO_DPS = 30;
/**
 * ...and while its force changes by less than this from the sample before (g),
 * beyond what the gyro's turn explains. After an impact the shoe and pod ring
 * for ~100 ms: a real gaitmap walker's (4 x 10 m) samples jump 0.3-0.6 g apart
 * and pass through 1 g pointing up to 15 deg off gravity, and levelling there
 * started swings tilted enough to read a level stride as 0.1-0.15 m downhill.
 * A foot rolling at 120 dps turns its force by 0.08 g a sample at 26 Hz (left
 * out as the gyro explains it); the sensor's noise is < 0.01 g. Per sample,
 * so a faster rate tests harder: at 102.4 Hz the walker's ringing still
 * jumps 0.2-0.6 g a sample, and the simulator's varied sessions at 104 Hz
 * lost no stride to it.
 */
export const LEVEL_JERK_G = 0.1;
/**
 * A stance with no sample so far within LEVEL_ACC_TOL_G of gravity levels on
 * its calmest sample that turns slower than LEVEL_GYRO_DPS and reads within this
 * (g) of what the sensor reads at rest, rather than only ever turning the
 * frame by the gyro. A pod on the heel counter reads 1.03-1.13 g at 1-17
 * dps as the heel starts to rise about the ball (angular acceleration times
 * the ~0.19 m lever, nearly upward: a few degrees of tilt at most), and a
 * slow walker's stance at 26 Hz had no other sample: its frame drifted
 * 10-20 deg from stance to stance and strides were refused as stairs or
 * drops. Simulated slow walkers, count error at 26 / 52 / 104 Hz with the
 * slap-end restart (engine.ts): tuning seeds 1-48, 0.90 / 0.55 / 0.20% ->
 * 0.43 / 0.51 / 0.18%; held out, 3.4 / 0.4 / 0.4% -> 0.1 / 0.4 / 0.4%.
 * 0.10 and 0.12 g did about as well; 0.25 g lost 14 strides at 104 Hz (one
 * traced: a jogger's toe stance levelled on a 1.16 g sample pushing off,
 * 3 deg off gravity). Only in a walk: a shuffle in place levelled at its
 * turning points made strides (tuning seeds 31-130, 52 / 104 Hz: 13 / 13 ->
 * 17 / 20 in 16.7 h).
 */
export const CALM_LEVEL_ACC_TOL_G = 0.15;
/**
 * A foot already in its stance that turns slower than this (dps) with
 * |acc| within LEVEL_ACC_TOL_G of gravity is still on the ground: the heel
 * rising about the toes. A real gaitmap walker (4 x 10 m) turns at 60-140
 * dps for 300-500 ms of heel rise before the toe leaves the floor; a foot in
 * the air does not feel 1 g while turning this fast for more than a sample.
 * Only within a walk (engine.ts): a foot pivoting as its owner sits down or
 * stands up made strides.
 */
export const PIVOT_GYRO_DPS = 150;
/**
 * While it pivots (the heel rising, |acc| within LEVEL_ACC_TOL_G of gravity)
 * the frame's vertical is pulled toward the measured force with this time
 * constant (s): a stance too short and unsteady to level in leaves the frame
 * tilted by 10-15 deg (real gaitmap walker), which the swing then reads as
 * 0.2-0.5 m of height. Slow enough that the pivot's own ~0.1 g push moves it
 * little.
 */
export const PIVOT_TILT_TAU_S = 0.2;
/**
 * ...using only samples within this of the 1 g the sensor reads at rest (g):
 * most of the real walker's heel rise reads 0.96-0.98 g on a sensor that
 * reads 0.975 at rest; a backward toe rise about the heel accelerates a
 * heel-counter pod by ~0.1 g, and pulling the frame toward that force at
 * 0.03 g cut 0.03-0.05 m off 0.5 m strides (0.02 g: 0.005 m).
 */
export const PIVOT_TILT_ACC_TOL_G = 0.02;
/**
 * Within a stance, velocity and travel are zeroed only on samples turning
 * slower than this (dps), and on the first stance sample after a swing. A
 * foot that starts to roll off (heel rising forward, toe rising backward)
 * turns at 20-60 dps while the pod already moves at 0.1-0.2 m/s; zeroing
 * there cut 0.2 m from every stride's travel, enough to lose short backward
 * strides (0.5 m) to MIN_STRIDE_M.
 */
export const ZUPT_GYRO_DPS = 20;
/** After a contact the foot rolls flat while still turning: accept a looser stance (jogging has almost no still phase). */
export const LANDED_STANCE_GYRO_DPS = 120;
export const LANDED_STANCE_ACC_TOL_G = 0.5;

/**
 * A stride must carry the foot at least this far horizontally. Backward
 * strides are 0.5-0.9 m, forward 1.1-1.6 m; shuffling and foot tapping move
 * it less than 0.15 m.
 */
export const MIN_STRIDE_M = 0.3;
/**
 * ...and at most this far (m): a brisk walker's stride is at most ~1.8 m,
 * a backward jogger's ~1.4 m. A car's or bus's motion integrates to metres.
 */
export const MAX_STRIDE_M = 2.5;
/**
 * ...and the foot must have moved at least this fast (m/s): a walking swing
 * peaks at 1.5-5 m/s, a shuffle below 0.5. A slow backward step (0.5 m
 * strides at 80 steps/min, 0.33 m/s) peaks at 0.8-1.1 m/s as integrated:
 * 0.9 lost a third of them. Swings this slow must also find their stance
 * soon after the contact (SURE_SWING_SPEED_MPS).
 */
export const MIN_SWING_SPEED_MPS = 0.7;
/** ...and be in motion at least this long since it left the ground: a swing lasts 300-600 ms. */
export const MIN_SWING_MS = 200;
/**
 * Motion that has not landed after this long is not a stride. Swings last
 * 0.4-0.65 s (gaitmap) and 0.45-0.8 s in the simulator; the slowest walking
 * (60 steps/min) swings for about 0.8 s. A seated foot tapping, or a foot
 * shuffling, for seconds without a still moment "swings" for 0.8-1.8 s.
 */
export const MAX_SWING_MS = 1000;
/**
 * Height change from the last stance to first contact beyond these is a
 * stair, not a step on level ground: stair strides are rejected, not counted.
 * A stair rise is 15-18 cm per step, 30-36 cm per stride; a 5% incline
 * lifts a 1.5 m stride by 7.5 cm. Up and down differ because the height is
 * read at first contact: a backward toe-first landing leaves the heel (and
 * a heel-counter pod) up to 0.18 m above where it will stand, while going
 * down a stair the toe lands 0.18-0.2 m below the last stance and more
 * follows. Level strides measure -0.07..+0.18 m (gaitmap and simulator).
 */
export const MAX_STRIDE_RISE_M = 0.2;
export const MAX_STRIDE_DROP_M = 0.15;
/**
 * A contact higher than MAX_STRIDE_RISE_M waits for the stance after it: a
 * pod near the heel (heel counter) at a backward jogger's toe landing reads
 * 0.2-0.38 m up at first contact, then comes down; a foot on the next stair
 * pair stays 0.3 m up. At the stance, a level stride is within this.
 */
export const MAX_STANCE_RISE_M = 0.15;
/**
 * A swing that peaked slower than this (m/s; walking swings peak at 1.5-5)
 * may be a shoe being picked up, not a foot: its contact, too, waits for the
 * stance. A shoe lifted to be put on peaks at 0.9-1.5 m/s, and its "landing"
 * at the top of the lift, from a flat stance that fits the mount, was most
 * of the shoe-on set's false strides. Costs latency only on slow swings
 * (tuning seeds 1-16 at 26/52/104 Hz: 105 of 34,000 strides waited, 154 ms
 * at most).
 */
export const SURE_SWING_SPEED_MPS = 1.5;
/**
 * ...for at most this long (ms): a foot that landed is still within 154 ms
 * (every deferred contact of the tuning seeds and the gaitmap recordings),
 * a shoe held up in the hands is still for the first time when it is put
 * down, seconds later. 150 ms lost 5 strides at 26 Hz (a sample is 38 ms).
 */
export const LANDING_TO_STANCE_MS = 300;
/**
 * ...unless the height change is within this share of the travel (m per m):
 * a frame tilted by ~10 deg at lift-off reads a level stride's 1.3 m of
 * travel as 0.2 m up or down (a real gaitmap walker whose foot is never
 * still in its stance). A stair pair rises 0.34 m in 0.6 m (0.57 m/m).
 */
export const TILT_RISE_PER_M = 0.2;
/** ...of at most this travel (m): no walking stride is longer (a car's motion integrates to tens of metres). */
export const TILT_RISE_MAX_TRAVEL_M = 2;
/**
 * A "landing" while the pod still rises faster than MAX_CONTACT_RISE_MPS
 * (m/s) within APEX_BAND_M (m) of the highest point of its motion is a shoe
 * lifted off the floor, not a foot coming down: a landing foot has dropped
 * from its swing's top. Real strides (gaitmap, 555 contacts at 26-204.8 Hz)
 * that read above +0.2 m/s at contact had all come down 0.1 m or more; the
 * simulator's never rise at contact. Putting a shoe on: 26 of 74 false
 * strides were caught (tuning seeds 31-130, 52 Hz, 2026-11-27). Since a
 * later change the engine allows TILT_RISE_PER_M of the foot's horizontal
 * speed on top (a frame tilted ~11 deg reads that much of it as rising): a
 * real walker's first stride after a turn landed at +0.21 m/s with its frame
 * 17 deg off. On those seeds the shoe-on set's false strides went from 61 to
 * 69 in its 16.7 h (engine of that day before and after the allowance).
 */
export const MAX_CONTACT_RISE_MPS = 0.2;
export const APEX_BAND_M = 0.05;
/**
 * A swing turns the foot: forward from toe-off (-30..-40 deg) to heel strike
 * (+10..+25), backward from +20 to a toe landing; the smallest range seen in
 * real walking is 24 deg (gaitmap). A foot sliding on the floor (shuffling,
 * shifting weight) turns 3-6 deg.
 */
export const MIN_SWING_PITCH_RANGE_DEG = 15;
/**
 * ...and lifts the pod: at least 2.3 cm in real walking (gaitmap's smallest,
 * a turning step; full strides 10-16 cm). A foot sliding on the floor rises
 * 0-1 cm.
 */
export const MIN_SWING_LIFT_M = 0.015;
/**
 * First contact happens within 35 deg of the foot's flat pose (gaitmap
 * maximum 34). A shoe turned over in the hands or the pod held in a hand
 * "lands" at any angle.
 */
export const MAX_CONTACT_PITCH_DEG = 45;
/**
 * Once calibrated, a stride starts from a foot flat on the ground: gravity
 * within 30 deg of the calibrated foot-flat pose (walking stance: within
 * 12 deg; a steep ramp adds 10). A pod set down on a table, a shoe held on
 * its side, or a seated foot resting on its toes are not that pose.
 */
export const MIN_STANCE_COS = Math.cos((30 * Math.PI) / 180);
/**
 * Strides from stances that do not fit the calibration are the same new pose
 * (the pod was moved on the shoe) when their gravity directions agree within
 * 15 deg; a shoe being handled lands every way.
 */
export const MISFIT_SAME_COS = Math.cos((15 * Math.PI) / 180);

/**
 * Impact: the specific force jumps by at least this between two samples.
 * Real heel strikes show 10-25 g spikes at 200 Hz (gaitmap) and still
 * 2-5 g after averaging to 52 Hz; the softest real landing seen, a step
 * out of a turn, still jumps 1.3 g at 26 Hz. Swing accelerations change by
 * < 1 g per sample (more at 26 Hz: see IMPACT_SPEED_FRACTION).
 */
export const IMPACT_JERK_G = 1.25;
/**
 * ...with the vertical force rising (the ground stops the foot's descent and
 * pushes it up), or the foot already slowed below this fraction of its swing
 * peak. A fast swing slowing down 100-150 ms before contact changes the force
 * by 1-2.6 g per sample at 26 Hz too, but sideways and slightly downwards,
 * at 0.55-0.8 of its peak speed; landings come at 0.03-0.2 (simulator) and
 * up to 0.68 in real turning steps, which land with a rising vertical force.
 */
export const IMPACT_SPEED_FRACTION = 0.5;
/**
 * A contact needs the foot slowed to below this fraction of its swing peak
 * speed. At toe-off the foot is still speeding up (ratio 1.0) and turns over
 * as sharply as at contact; real contacts land at 0.05-0.7 of the peak
 * (gaitmap: 0.04-0.68, the highest in turning steps).
 */
export const MAX_CONTACT_SPEED_FRACTION = 0.8;
/*
 * No "speed has dropped" trigger: real contacts land at 0.05-0.7 of the peak
 * speed, so any fraction fires 50-120 ms early on slow strides. A landing
 * too soft for IMPACT_JERK_G or a rotation reversal is taken at the start
 * of the stance that follows it (see the engine's push).
 */

/** First contact class from foot pitch at impact (toe up positive, relative to the foot's last flat pose). */
export const HEEL_MIN_PITCH_DEG = 5; // heel strikes land at +10..+25 deg; flat landings within +-3
export const TOE_MAX_PITCH_DEG = -5; // toe strikes land at -8..-25 deg

/** Calibration: a still period this long measures gravity for the mount. */
export const CAL_STILL_MS = 800;
/** Forward strides averaged to find the toe axis; each must agree with the running mean within CAL_AGREE_COS. */
export const CAL_STRIDES = 4;
export const CAL_AGREE_COS = 0.8; // within ~37 deg: turns and sensor noise stay inside it
/**
 * A calibrated mount no longer fits when strides travel more than ~45 deg
 * off the toe axis (forward or backward) this many times in a row: the pod
 * was turned on the shoe.
 */
export const CAL_STALE_COS = 0.7;
export const CAL_STALE_STRIDES = 3;

/** A bout ends after this long without a stride (a pause at a crossing is shorter). */
export const BOUT_GAP_MS = 10000;
/** Cadence: exponential average of stride periods, weight of the newest (about the last 4 strides). */
export const CADENCE_SMOOTHING = 0.25;
/** Stride periods longer than this are pauses, not cadence. */
export const MAX_STRIDE_PERIOD_MS = 2500;

/** Sample spacing accepted (ms): a longer gap restarts the integration (lost samples, IMU restarted). */
export const MAX_SAMPLE_GAP_MS = 100;
