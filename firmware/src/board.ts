/**
 * Puck.js v2 facts in one place: IMU registers and the raw-LSB -> g and dps factors
 * for the ranges the pod sets (LSM6DS3TR-C datasheet, DocID030071, table 3).
 */

/** IMU output rate while the wearer moves. 52 Hz resolves a 100 ms foot slap in 5 samples at ~600 uA. */
export const WALK_RATE_HZ = RAW_RATE_HZ;
/** CTRL1_XL (0x10) rate code for 52 Hz in bits [7:4] (datasheet table 52). */
const RATE_CODE_52HZ = 3;
/** CTRL1_XL: 52 Hz, +-16 g (FS_XL = 01). A landing foot reads 10-25 g: 4 g (accelOn's default) clips every stride. */
export const CTRL1_XL_WALK = (RATE_CODE_52HZ << 4) | (1 << 2);
/** CTRL2_G: 52 Hz, 2000 dps (FS_G = 11). A swinging foot turns at 300-600 dps: 245 (the default) clips. */
export const CTRL2_G_WALK = (RATE_CODE_52HZ << 4) | (3 << 2);
/** Raw LSB -> g and dps at those ranges: in shared/, because the host converts raw_imu samples with the same numbers. */
export { ACC_G_PER_LSB, GYRO_DPS_PER_LSB } from '../../shared/protocol/raw.js';
import { RAW_RATE_HZ } from '../../shared/protocol/raw.js';

/** Idle: accelerometer only at 1.6 Hz (~40 uA, espruino.md's table): a sample every 0.6 s sees a foot start moving within a stride. */
export const IDLE_RATE_HZ = 1.6;
/** CTRL1_XL code for 1.6 Hz low-power accelerometer (datasheet table 52: 1011). */
const RATE_CODE_1_6HZ = 11;
/**
 * CTRL1_XL idle: 1.6 Hz at +-2 g (FS_XL = 00). Idle samples are never read as g: the range only sets the
 * wake-up threshold's step (FS_XL / 64 = 31.25 mg at 2 g, 0.25 g at 16 g, too coarse to notice a foot
 * starting to move).
 */
export const CTRL1_XL_IDLE = RATE_CODE_1_6HZ << 4;

/**
 * Idle wakes on the IMU's own wake-up interrupt, not on samples: while the foot is still no sample reaches
 * JavaScript (each one cost ~1.7 reference loops on the interpreter, 1.6 times a second, for hours).
 * The wake-up compares the slope filter's output (half the change between two samples, ST AN4650) on any
 * axis with WK_THS x FS_XL / 64. 1 x 31.25 mg: a change of 0.0625 g on one axis between two samples 0.6 s
 * apart (0.031 g if the change is not halved): several times a still foot's noise (< 0.01 g), far under
 * what a foot being lifted reads (0.3-3 g off gravity). Measured in the virtual pod (`npm run bench pod`,
 * 40 bouts started from idle): at most 1 stride of a bout missed, as with the per-sample test of 0.1 g
 * (vector) it replaces; a threshold of 2 (0.125 g of change) missed 2 in one bout.
 */
export const WAKE_UP_THS_IDLE = 1;
/** TAP_CFG: INTERRUPTS_ENABLE (bit 7) for the wake-up function; slope filter (SLOPE_FDS = 0); not latched (LIR = 0). */
const TAP_CFG_INTERRUPTS = 0x80;
/** MD1_CFG: INT1_WU (bit 5), the wake-up event on the INT1 pin that Espruino watches. */
const MD1_CFG_INT1_WU = 0x20;

const REGISTER_INT1_CTRL = 0x0d;
export const REGISTER_CTRL1_XL = 0x10;
export const REGISTER_CTRL2_G = 0x11;
const REGISTER_TAP_CFG = 0x58;
const REGISTER_WAKE_UP_THS = 0x5b;
export const REGISTER_MD1_CFG = 0x5e;

/**
 * The register writes that arm the idle wake-up (after the first idle sample: hal/imu.ts), handed to write
 * one by one: the pod writes them to its IMU, the real-interpreter bench to its model of the same IMU, so
 * both are configured by this one list.
 */
export function writeWakeUp(write: (register: number, value: number) => void): void {
  write(REGISTER_WAKE_UP_THS, WAKE_UP_THS_IDLE);
  write(REGISTER_TAP_CFG, TAP_CFG_INTERRUPTS);
  write(REGISTER_MD1_CFG, MD1_CFG_INT1_WU);
  write(REGISTER_INT1_CTRL, 0);
}
