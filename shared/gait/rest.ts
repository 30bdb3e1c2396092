/**
 * Stage: sensor self-calibration. What this accelerometer reads at rest
 * (|acc|^2, g^2), learnt while the foot stands still: a real sensor reads
 * 0.94-1.10 g at rest (scale and zero-g offset; voisard sensors 1.04-1.10,
 * gaitmap 0.975, LSM6DS3 +-40 mg per axis), and the calmness test compares
 * |acc| with what the sensor reads at rest, not with 1 g.
 */
import { REST_LEARN_S } from './constants.js';

export interface RestLevel {
  /** A sample at rest: |acc|^2 (g^2), dt_s since the last sample. Returns the rest level now. */
  update(a2: number, dt_s: number): number;
  /** |acc|^2 at rest so far (1 until learnt). */
  g2(): number;
}

export function createRestLevel(): RestLevel {
  let g2 = 1;
  return {
    update: function (a2: number, dt_s: number) {
      const k = dt_s / REST_LEARN_S;
      g2 += (a2 - g2) * (k < 1 ? k : 1);
      return g2;
    },
    g2: function () {
      return g2;
    },
  };
}
