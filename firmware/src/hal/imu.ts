/**
 * The IMU behind a small interface: start at walking rate with the ranges a
 * foot needs, or idle at a low accel-only rate, and hand each sample in raw
 * LSB to the handler of that mode. The handler converts; nothing here
 * allocates per sample. One handler per mode, swapped with the mode: neither
 * sample path asks which mode it is in (Espruino pays for every token it
 * reads, 52 times a second walking).
 */
import { CTRL1_XL_IDLE, CTRL1_XL_WALK, CTRL2_G_WALK, IDLE_RATE_HZ, REGISTER_CTRL1_XL, REGISTER_CTRL2_G, WALK_RATE_HZ } from '../board.js';

export type ImuHandler = (e: PuckAccelEvent) => void;

export interface Imu {
  /** Full rate, accel + gyro, wide ranges. */
  walk(): void;
  /** Low rate, accelerometer only (gyro off): a still foot costs little. */
  idle(): void;
  /** 'walk', 'idle' or 'off' (before the first walk) */
  mode(): string;
}

export function createImu(walkHandler: ImuHandler, idleHandler: ImuHandler): Imu {
  let current = 'off';
  return {
    walk: function () {
      if (current === 'walk') return;
      Puck.removeAllListeners('accel');
      Puck.on('accel', walkHandler);
      Puck.accelOn(WALK_RATE_HZ);
      // accelOn sets 4 g / 245 dps; widen them keeping its 52 Hz rate bits
      Puck.accelWr(REGISTER_CTRL1_XL, CTRL1_XL_WALK);
      Puck.accelWr(REGISTER_CTRL2_G, CTRL2_G_WALK);
      current = 'walk';
    },
    idle: function () {
      if (current === 'idle') return;
      Puck.removeAllListeners('accel');
      Puck.on('accel', idleHandler);
      Puck.accelOn(IDLE_RATE_HZ);
      // 1.6 Hz is accelerometer only (gyro off): idle only needs to notice motion; same range as walking
      Puck.accelWr(REGISTER_CTRL1_XL, CTRL1_XL_IDLE);
      current = 'idle';
    },
    mode: function () {
      return current;
    },
  };
}
