/**
 * raw_imu samples are the LSM6DS3TR-C's raw LSB at the ranges the pod sets
 * for walking (datasheet DocID030071, table 3): both ends convert with these.
 */
/** Sensitivity at +-16 g: 0.488 mg/LSB. A landing foot reads 10-25 g, so the pod uses the 16 g range. */
export const ACC_G_PER_LSB = 0.000488;
/** Sensitivity at 2000 dps: 70 mdps/LSB. (Espruino's docs' "divide by 134" is the 245 dps figure for the default range, not ours.) */
export const GYRO_DPS_PER_LSB = 0.07;
/** Values per raw sample: ax ay az gx gy gz, i16 little endian each. */
export const RAW_VALUES_PER_SAMPLE = 6;
/** raw_imu streams at the pod's walking rate (firmware/src/board.ts WALK_RATE_HZ is this number). */
export const RAW_RATE_HZ = 52;
