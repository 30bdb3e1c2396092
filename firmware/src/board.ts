/**
 * Puck.js v2 facts in one place: IMU registers and the raw-LSB -> SI factors
 * for the ranges the pod sets (LSM6DS3TR-C datasheet, DocID030071, table 3).
 */

/** IMU output rate while the wearer moves. 52 Hz resolves a 100 ms foot slap in 5 samples at ~600 uA. */
export const WALK_RATE_HZ = RAW_RATE_HZ;
/** CTRL1_XL (0x10) rate code for 52 Hz in bits [7:4] (datasheet table 52). */
export const RATE_CODE_52HZ = 3;
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
export const RATE_CODE_1_6HZ = 11;
/** CTRL1_XL idle: 1.6 Hz at +-16 g, the walking range, so idle and walking samples share ACC_G_PER_LSB. */
export const CTRL1_XL_IDLE = (RATE_CODE_1_6HZ << 4) | (1 << 2);

export const REGISTER_CTRL1_XL = 0x10;
export const REGISTER_CTRL2_G = 0x11;
