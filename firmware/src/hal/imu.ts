/**
 * The IMU behind a small interface: start at walking rate with the ranges a
 * foot needs, hand each sample in raw LSB to the walking handler (which
 * converts; nothing here allocates per sample); or idle at a low accel-only
 * rate, where the IMU's own wake-up interrupt calls the idle handler once
 * the foot moves and no sample reaches JavaScript before. One listener per
 * mode, swapped with the mode: the sample path never asks which mode it is
 * in (Espruino pays for every token it reads, 52 times a second walking).
 */
import {
  CTRL1_XL_IDLE,
  CTRL1_XL_WALK,
  CTRL2_G_WALK,
  IDLE_RATE_HZ,
  REGISTER_CTRL1_XL,
  REGISTER_CTRL2_G,
  REGISTER_MD1_CFG,
  WALK_RATE_HZ,
  writeWakeUp,
} from '../board.js';

export type ImuHandler = (e: PuckAccelEvent) => void;

export interface Imu {
  /** Full rate, accel + gyro, wide ranges: every sample to the walking handler. */
  walk(): void;
  /** Low rate, accelerometer only (gyro off), samples kept in the IMU: the idle handler is called when the foot moves. */
  idle(): void;
  /** 'walk', 'idle' or 'off' (before the first walk) */
  mode(): string;
}

export function createImu(walkHandler: ImuHandler, onMove: () => void): Imu {
  let current = 'off';

  function listen(handler: ImuHandler | (() => void)): void {
    Puck.removeAllListeners('accel');
    Puck.on('accel', handler);
  }

  /**
   * The first idle sample, which came by data-ready as every sample does after accelOn: from here the INT1
   * pin carries the wake-up event only. (Armed after a sample, not at once: the slope filter compares each
   * sample with the one before, and right after power-up there is none.)
   */
  function armWake(): void {
    listen(onMove);
    // (a static method: it needs no `this`)
    writeWakeUp(Puck.accelWr);
  }

  return {
    walk: function () {
      if (current === 'walk') return;
      listen(walkHandler);
      // (accelOn routes data-ready to INT1 again)
      Puck.accelOn(WALK_RATE_HZ);
      // accelOn sets 4 g / 245 dps; widen them keeping its 52 Hz rate bits
      Puck.accelWr(REGISTER_CTRL1_XL, CTRL1_XL_WALK);
      Puck.accelWr(REGISTER_CTRL2_G, CTRL2_G_WALK);
      // the wake-up off INT1: accelOn cuts the IMU's power where the board switches it (registers back to
      // defaults), but where it does not, a wake-up holding INT1 high would have Espruino read each sample
      // more than once
      Puck.accelWr(REGISTER_MD1_CFG, 0);
      current = 'walk';
    },
    idle: function () {
      if (current === 'idle') return;
      listen(armWake);
      Puck.accelOn(IDLE_RATE_HZ);
      // 1.6 Hz is accelerometer only (gyro off); the range sets the wake-up threshold's step (board.ts)
      Puck.accelWr(REGISTER_CTRL1_XL, CTRL1_XL_IDLE);
      current = 'idle';
    },
    mode: function () {
      return current;
    },
  };
}
