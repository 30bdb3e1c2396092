/**
 * The battery estimate, in one place: the Puck.js v2 current table
 * (../shared/espruino.md) and the CPU time JavaScript takes, priced at
 * JS_RUNNING_MA while it runs. CPU time comes from a cost per IMU sample in
 * reference-loop iterations (measured on the real interpreter, or the
 * virtual pod's cost model) times an ASSUMED time per reference loop on the
 * nRF52: nobody has timed one on a Puck.js here. Espruino's performance
 * notes give ~4,000 iterations a second for a loop of two calls on its
 * original 72 MHz board, ~250 us each; the reference loop (two statements,
 * one call, eleven arithmetic operations) is of that size, and the 64 MHz
 * Cortex-M4 is not slower. So 150-400 us, 250 us as the middle.
 */

/** Puck.js v2 currents (espruino.md), mA. */
const IMU_52HZ_MA = 0.6;
const IMU_1_6HZ_ACCEL_MA = 0.04;
const JS_RUNNING_MA = 4;
/**
 * Advertising and sleeping, not in espruino.md's table: Espruino quotes a
 * Puck.js advertising at its default interval in the tens of uA; 0.02 mA is
 * an assumption to check on a real pod.
 */
const ADVERTISING_MA = 0.02;
/** A daily sync: a minute connected at the default interval (0.6 mA in the table). */
const SYNC_MIN_PER_DAY = 1;
const BLE_CONNECTED_MA = 0.6;
/** A CR2032 (espruino.md). */
export const CR2032_MAH = 230;
export const WALK_MIN_PER_DAY = 30;
/** Assumed time of one reference-loop iteration on a Puck.js (see above), us. */
export const REF_LOOP_US = { low: 150, mid: 250, high: 400 } as const;

export interface DayPlan {
  /** hours a day at the walking rate (52 Hz accel+gyro) and at the idle rate (1.6 Hz accel) */
  walk_h: number;
  idle_h: number;
  /** JavaScript cost per sample, reference-loop iterations, at each rate */
  walk_refloops: number;
  idle_refloops: number;
  walk_rate_hz: number;
  idle_rate_hz: number;
}

export interface DayCharge {
  ref_us: number;
  /** share of the time JavaScript runs, 0..1 */
  walkCpu: number;
  idleCpu: number;
  mAh: number;
  days: number;
}

/** Charge a day takes with one reference-loop time (us). */
function dayCharge(p: DayPlan, ref_us: number): DayCharge {
  const duty = (refloops: number, rate_hz: number) => Math.min(1, (refloops * rate_hz * ref_us) / 1e6);
  const walkCpu = duty(p.walk_refloops, p.walk_rate_hz);
  const idleCpu = duty(p.idle_refloops, p.idle_rate_hz);
  const mAh =
    p.walk_h * (IMU_52HZ_MA + walkCpu * JS_RUNNING_MA) +
    p.idle_h * (IMU_1_6HZ_ACCEL_MA + idleCpu * JS_RUNNING_MA) +
    24 * ADVERTISING_MA +
    (SYNC_MIN_PER_DAY / 60) * BLE_CONNECTED_MA;
  return { ref_us, walkCpu, idleCpu, mAh, days: CR2032_MAH / mAh };
}

/** The estimate over the assumed range of reference-loop times: [slow device (400 us), middle, fast (150 us)]. */
export function batteryRange(p: DayPlan): DayCharge[] {
  return [dayCharge(p, REF_LOOP_US.high), dayCharge(p, REF_LOOP_US.mid), dayCharge(p, REF_LOOP_US.low)];
}
