/**
 * The LSM6DS3TR-C accelerometer and gyro of a Puck.js v2 (ST datasheet
 * DocID030071 Rev 3) as Espruino drives it: its registers, the writes
 * Puck.accelOn makes (jswrap_puck.c accel_on), its output rates and full
 * scales, the conversion of a physical sample to output LSB, and its INT1
 * pin (data-ready or the wake-up event).
 *
 * Apart from the Espruino shim (espruino-shim.ts), which puts it behind
 * Puck.accel*, because the real-pod bench drives the same register model
 * without the shim (bench/real-pod).
 */

/** Register addresses (datasheet section 8, register mapping). */
const LSM6_REG = {
  INT1_CTRL: 0x0d,
  WHO_AM_I: 0x0f,
  CTRL1_XL: 0x10,
  CTRL2_G: 0x11,
  CTRL3_C: 0x12,
  CTRL6_C: 0x15,
  CTRL7_G: 0x16,
  CTRL9_XL: 0x18,
  TAP_CFG: 0x58,
  WAKE_UP_THS: 0x5b,
  WAKE_UP_DUR: 0x5c,
  MD1_CFG: 0x5e,
} as const;
/** INT1_CTRL: INT1_DRDY_XL (bit 0), INT1_DRDY_G (bit 1). */
const INT1_DRDY = 0x03;
/** TAP_CFG: INTERRUPTS_ENABLE (bit 7) turns the wake-up function (among others) on. */
const TAP_CFG_INTERRUPTS_ENABLE = 0x80;
/** MD1_CFG: INT1_WU (bit 5) routes the wake-up event to INT1. */
const MD1_INT1_WU = 0x20;
/** WAKE_UP_THS: WK_THS bits [5:0], in steps of the accelerometer full scale / 2^6. */
const WK_THS_MASK = 0x3f;
const WK_THS_STEPS = 64;
/** WAKE_UP_DUR: WAKE_DUR bits [6:5], samples the threshold must be exceeded for before the event. */
const WAKE_DUR_SHIFT = 5;
/** WHO_AM_I reads 0x6A (datasheet 9.13; jswrap_puck.c selfTest checks 106). */
const WHO_AM_I_VALUE = 0x6a;
/** Power-on defaults that are not 0 (datasheet table 21): CTRL3_C IF_INC = 1, CTRL9_XL = 0xE0. */
const REG_DEFAULTS: { [reg: number]: number } = { 0x0f: WHO_AM_I_VALUE, 0x12: 0x04, 0x18: 0xe0 };
/** ODR codes in CTRL1_XL / CTRL2_G bits [7:4] (datasheet tables 52 and 55): code -> Hz. 0xB = 1.6 Hz, accelerometer low-power only. */
const ODR_HZ: { [code: number]: number } = { 0: 0, 1: 12.5, 2: 26, 3: 52, 4: 104, 5: 208, 6: 416, 7: 833, 8: 1660, 9: 3330, 10: 6660, 11: 1.6 };
/** Accelerometer full scale by FS_XL bits [3:2] (table 52): 00 = 2 g, 01 = 16 g, 10 = 4 g, 11 = 8 g. */
const ACC_FS_G: number[] = [2, 16, 4, 8];
/** Linear acceleration sensitivity (table 3, LA_So) by FS_XL bits: 0.061 / 0.488 / 0.122 / 0.244 mg/LSB. */
const ACC_G_PER_LSB: number[] = [0.000061, 0.000488, 0.000122, 0.000244];
/** Gyro full scale by FS_G bits [3:2] (table 55): 245, 500, 1000, 2000 dps; FS_125 (bit 1) selects 125 dps. */
const GYRO_FS_DPS: number[] = [245, 500, 1000, 2000];
/** Angular rate sensitivity (table 3, G_So): 8.75 / 17.5 / 35 / 70 mdps/LSB; 4.375 at 125 dps. Espruino's docs' "divide by 134" is 1/0.00875/~0.85: use these. */
const GYRO_DPS_PER_LSB: number[] = [0.00875, 0.0175, 0.035, 0.07];
const GYRO_FS_125_DPS = 125;
const GYRO_125_DPS_PER_LSB = 0.004375;
/** Outputs are 16-bit two's complement. */
const INT16_MAX = 32767;
const INT16_MIN = -32768;
/** jswrap_puck.c accel_on: CTRL1_XL = rate | 0b00001011 (FS_XL = 10: +-4 g; LPF1_BW_SEL + BW0_XL: 50 Hz anti-alias), CTRL2_G = rate (245 dps) or 0 at 1.6 Hz. */
const ACCEL_ON_CTRL1_XL_LOW_BITS = 0x0b;
/** The other registers accel_on writes (jswrap_puck.c): high-performance off for both, all accel axes on, BDU + auto-increment, DRDY on INT1. */
const ACCEL_ON_WRITES: [number, number][] = [
  [LSM6_REG.CTRL6_C, 0x10],
  [LSM6_REG.CTRL7_G, 0x80],
  [LSM6_REG.CTRL9_XL, 0x38],
  [LSM6_REG.CTRL3_C, 0x44],
  [LSM6_REG.INT1_CTRL, 0x03],
];
/** Rates Puck.accelOn accepts (milli-Hz, as accel_on compares them) and their ODR code; anything under 12.5 Hz means 1.6 Hz. */
const ACCEL_ON_RATES_mHz: [number, number][] = [
  [12500, 1],
  [26000, 2],
  [52000, 3],
  [104000, 4],
  [208000, 5],
  [416000, 6],
  [833000, 7],
  [1660000, 8],
];
const ODR_CODE_1_6HZ = 11;
/** Puck.accelOn() with no rate: 12.5 Hz (jswrap_puck_accelOn). */
const ACCEL_DEFAULT_mHz = 12500;

/**
 * The IMU's registers and its conversion from physical values to output
 * LSB. Data-ready fires at the faster of the two ODRs (Espruino enables
 * both DRDY bits on INT1) and Espruino then reads all six outputs; a sensor
 * that is powered down reads 0.
 */
export class Lsm6ds3trc {
  readonly regs = new Uint8Array(0x80);
  /** the slope filter's last accelerometer output (LSB) and how many samples in a row exceeded the wake-up threshold */
  private readonly lastAcc = new Int32Array(3);
  private overThreshold = 0;

  constructor() {
    this.powerOnReset();
  }

  /** Registers to their power-on values (accelOff removes the sensor's power on Puck.js v2 / writes 0 to both CTRL registers). */
  powerOnReset(): void {
    this.regs.fill(0);
    for (const k of Object.keys(REG_DEFAULTS)) this.regs[Number(k)] = REG_DEFAULTS[Number(k)];
    this.lastAcc.fill(0);
    this.overThreshold = 0;
  }

  /**
   * A sample was output (raw LSB, from toRaw): does the INT1 pin rise for it? On data-ready when that is
   * routed there (accelOn does), else on the wake-up event: the slope filter's output (half the change
   * since the last sample, ST AN4650) over WK_THS x full scale / 64 on any axis, for more than WAKE_DUR
   * samples in a row, with the function enabled (TAP_CFG) and routed (MD1_CFG). Not latched: the pin
   * follows the event sample by sample. The filter runs whatever is routed, so its last sample is always
   * this one's predecessor.
   */
  int1(raw: Int32Array): boolean {
    const r = this.regs;
    let over = false;
    // full scale in LSB is 2^15: a threshold step is 2^15 / 64 LSB at every range
    const ths_lsb = ((r[LSM6_REG.WAKE_UP_THS] & WK_THS_MASK) * (INT16_MAX + 1)) / WK_THS_STEPS;
    for (let i = 0; i < 3; i++) {
      if (Math.abs(raw[i] - this.lastAcc[i]) / 2 > ths_lsb) over = true;
      this.lastAcc[i] = raw[i];
    }
    this.overThreshold = over ? this.overThreshold + 1 : 0;
    if (r[LSM6_REG.INT1_CTRL] & INT1_DRDY) return true;
    const wakeOn = (r[LSM6_REG.TAP_CFG] & TAP_CFG_INTERRUPTS_ENABLE) !== 0 && (r[LSM6_REG.MD1_CFG] & MD1_INT1_WU) !== 0;
    return wakeOn && this.overThreshold > ((r[LSM6_REG.WAKE_UP_DUR] >> WAKE_DUR_SHIFT) & 3);
  }

  write(reg: number, value: number): void {
    const r = reg & 0x7f;
    if (r === LSM6_REG.WHO_AM_I) return; // read-only
    this.regs[r] = value & 0xff;
  }

  read(reg: number): number {
    return this.regs[reg & 0x7f];
  }

  /** jswrap_puck.c accel_on: false for a rate it does not know. */
  configure(rate_hz: number): boolean {
    let mHz = Math.trunc(rate_hz * 1000 + 0.5);
    if (!Number.isFinite(mHz) || mHz === 0) mHz = ACCEL_DEFAULT_mHz;
    let code = -1;
    if (mHz < ACCEL_DEFAULT_mHz) code = ODR_CODE_1_6HZ;
    for (const [r, c] of ACCEL_ON_RATES_mHz) if (mHz === r) code = c;
    if (code < 0) return false;
    for (const [reg, v] of ACCEL_ON_WRITES) this.write(reg, v);
    this.write(LSM6_REG.CTRL1_XL, (code << 4) | ACCEL_ON_CTRL1_XL_LOW_BITS);
    this.write(LSM6_REG.CTRL2_G, code === ODR_CODE_1_6HZ ? 0 : code << 4);
    return true;
  }

  accelOdr_hz(): number {
    return ODR_HZ[this.regs[LSM6_REG.CTRL1_XL] >> 4] ?? 0;
  }

  /** 0xB is not a gyro rate: the gyro stays off. */
  gyroOdr_hz(): number {
    const code = this.regs[LSM6_REG.CTRL2_G] >> 4;
    return code === ODR_CODE_1_6HZ ? 0 : (ODR_HZ[code] ?? 0);
  }

  /** How often data-ready fires (0 = never). */
  eventRate_hz(): number {
    return Math.max(this.accelOdr_hz(), this.gyroOdr_hz());
  }

  gyroFullScale_dps(): number {
    const c = this.regs[LSM6_REG.CTRL2_G];
    return c & 2 ? GYRO_FS_125_DPS : GYRO_FS_DPS[(c >> 2) & 3];
  }

  /** Physical (acc_g x,y,z, gyro_dps x,y,z, sensor frame) to output LSB, rounded and clipped at the configured full scale. */
  toRaw(phys: Float64Array, out: Int32Array): void {
    const xl = this.regs[LSM6_REG.CTRL1_XL];
    const g = this.regs[LSM6_REG.CTRL2_G];
    const accOn = this.accelOdr_hz() > 0;
    const gyroOn = this.gyroOdr_hz() > 0;
    const aFs = (xl >> 2) & 3;
    const aSens = ACC_G_PER_LSB[aFs];
    const aLim = ACC_FS_G[aFs] / aSens;
    const gSens = g & 2 ? GYRO_125_DPS_PER_LSB : GYRO_DPS_PER_LSB[(g >> 2) & 3];
    const gLim = this.gyroFullScale_dps() / gSens;
    for (let i = 0; i < 3; i++) {
      out[i] = accOn ? clip(Math.round(phys[i] / aSens), aLim) : 0;
      out[i + 3] = gyroOn ? clip(Math.round(phys[i + 3] / gSens), gLim) : 0;
    }
  }
}

/**
 * Clip to the full scale and to int16. We clip at the nominal full scale
 * (real parts often read a little past it): firmware must not depend on
 * readings beyond the stated range.
 */
function clip(lsb: number, fullScale_lsb: number): number {
  // FS / sensitivity is an integer or just under one in floating point (245 / 0.00875): round away the noise
  const fs = Math.floor(fullScale_lsb + 1e-6);
  const hi = Math.min(INT16_MAX, fs);
  const lo = Math.max(INT16_MIN, -fs);
  return lsb > hi ? hi : lsb < lo ? lo : lsb;
}
