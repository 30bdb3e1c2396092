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
