/**
 * Label-free swings: where a foot swung, found from the gyro alone, to score
 * the steps a recording's labels leave out (gaitmap labels its straight
 * strides; the steps that start, turn and stop are real too). A swinging foot
 * turns faster than SWING_PEAK_DPS (real walks: 300-700 dps; a stance or a
 * heel rise stays under 250), once per step, so peaks closer than
 * MIN_SWING_GAP_MS are one swing. Its step is the contact that follows the
 * peak within SWING_TO_CONTACT_MS (the swing's second half lasts < 600 ms).
 */
export const SWING_PEAK_DPS = 250;
export const MIN_SWING_GAP_MS = 700;
export const SWING_TO_CONTACT_MS = 900;
/**
 * ...and a contact up to this (ms) before that first sample is its step too: a slow swing (a first step
 * off standing, gaitmap 2 x 20 m right at 1.59 s: 170 dps) passes SWING_PEAK_DPS only in its landing's
 * own jolt.
 */
export const LANDING_JOLT_MS = 40;

/** samples: n x 6 interleaved (acc_g, gyro_dps); returns the time of each swing's first sample over SWING_PEAK_DPS. */
export function findSwings(t_ms: ArrayLike<number>, samples: ArrayLike<number>): number[] {
  const peaks: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < t_ms.length; i++) {
    const w = Math.hypot(samples[6 * i + 3], samples[6 * i + 4], samples[6 * i + 5]);
    if (w > SWING_PEAK_DPS && t_ms[i] - last > MIN_SWING_GAP_MS) {
      peaks.push(t_ms[i]);
      last = t_ms[i];
    }
  }
  return peaks;
}

/**
 * The swings no label accounts for: none of the labelled contacts follows them within
 * SWING_TO_CONTACT_MS (before_ms of slack for labels that come early).
 */
export function unlabelledSwings(swings: number[], labels: { t_ms: number }[], before_ms = 0): number[] {
  return swings.filter((s) => !labels.some((c) => c.t_ms >= s - before_ms && c.t_ms <= s + SWING_TO_CONTACT_MS));
}

/**
 * A foot turned on the floor (a U-turn's pivot on the heel or the ball of the foot, a foot twisted round at
 * a stop) passes SWING_PEAK_DPS too, and findSwings takes it for a swing; but its sensor feels gravity alone
 * all through the turn, where a step's toe-off push and landing jolt swing |acc| by half a g and more. The
 * bench tells these apart among the swings with no step (it does not leave them out): a swing whose |acc|
 * spreads less than FLOOR_SWING_SPREAD_G across its turn (the samples turning faster than half SWING_PEAK_DPS,
 * and one either side: a slow step's only fast sample is its landing's jolt). Measured: shoe-nav's 789
 * strides' swings spread 0.49 g and more, gaitmap's 294 labelled ones 0.55 g and more, gaitmap's pivots
 * 0.02-0.20 g. Not a rule for what a step is: a foot lifted a few mm and turned in the air reads the same,
 * and voisard's annotators labelled 3 of the 25 such turns of its 52 Hz recordings as steps, 22 not
 * (docs/decisions.md, "Swings with no step that turned on the floor"). In raw g: not the engine's
 * FLOOR_TURN_SPREAD_G (shared/gait/constants.ts), which is over a stride's swing, in the sensor's rest level.
 */
export const FLOOR_SWING_SPREAD_G = 0.25;

/** Whether the swing findSwings put at swing_ms turned the foot on the floor (FLOOR_SWING_SPREAD_G). */
export function turnedOnFloor(t_ms: ArrayLike<number>, samples: ArrayLike<number>, swing_ms: number): boolean {
  const n = t_ms.length;
  let i = 0;
  while (i < n - 1 && t_ms[i] < swing_ms) i++;
  const fast = (k: number) => Math.hypot(samples[6 * k + 3], samples[6 * k + 4], samples[6 * k + 5]) > SWING_PEAK_DPS / 2;
  let a = i, b = i;
  while (a > 0 && fast(a - 1)) a--;
  while (b < n - 1 && fast(b + 1)) b++;
  let lo = Infinity, hi = -Infinity;
  for (let k = Math.max(0, a - 1); k <= Math.min(n - 1, b + 1); k++) {
    const g = Math.hypot(samples[6 * k], samples[6 * k + 1], samples[6 * k + 2]);
    if (g < lo) lo = g;
    if (g > hi) hi = g;
  }
  return hi - lo < FLOOR_SWING_SPREAD_G;
}
