/**
 * The pod's settings: defaults and allowed ranges, checked on both sides
 * (the host refuses a bad value before sending; the pod refuses it again).
 *
 * Defaults, keys and ranges are functions rather than constant tables: a
 * table would sit in the pod's RAM for good (~75 variables of its 2,630),
 * while these run only when settings are loaded or changed.
 */
import { floor } from '../math.js';
export interface PodConfig {
  /** 1 = haptic alerts on */
  buzz_on: number;
  /** which strides count as wrong gait: WRONG_* bits of shared/gait/contact.ts, engine.ts re-exports them (default 1: backward landing on the heel) */
  wrong_rule: number;
  /** coach: backward steps to ask for each minute of a walk; 0 = coach off */
  coach_steps: number;
  /** minutes of backward walking a day that earn the goal buzz */
  daily_goal_min: number;
  /**
   * stride length estimates, cm: read by nothing (the pod sends each stride's measured length to the RSC
   * service; `config get` says "not used"), kept as the config message's layout has them
   */
  fwd_stride_cm: number;
  bwd_stride_cm: number;
}

export function configDefaults(): PodConfig {
  return { buzz_on: 1, wrong_rule: 1, coach_steps: 0, daily_goal_min: 10, fwd_stride_cm: 130, bwd_stride_cm: 70 };
}

/**
 * The backward strides the coach waits for at coach_steps: the pod sees one foot, two steps a stride (coach_steps=21
 * waits for 11 strides, 22 steps). For the host's words on it; firmware/src/coach.ts counts the same inline (calling
 * this cost the bundle 12 B).
 */
export function coachStrides(coach_steps: number): number {
  return Math.ceil(coach_steps / 2);
}

/** The settings' names, in the order of the config message. */
export function configKeys(): (keyof PodConfig)[] {
  return 'buzz_on,wrong_rule,coach_steps,daily_goal_min,fwd_stride_cm,bwd_stride_cm'.split(',') as (keyof PodConfig)[];
}

/** [min, max] of a setting (with why), or null for a name that is not one. */
export function configRange(key: string): [number, number] | null {
  switch (key) {
    case 'buzz_on':
      return [0, 1];
    case 'wrong_rule':
      return [0, 15]; // four rule bits
    case 'coach_steps':
      return [0, 60]; // more than 60 backward steps a minute is continuous backward walking: no prompt needed
    case 'daily_goal_min':
      return [1, 240];
    case 'fwd_stride_cm':
      return [40, 250]; // walking to running stride lengths
    case 'bwd_stride_cm':
      return [20, 200];
  }
  return null;
}

/** Name of the first field out of range (or not a whole number), or null when all are valid. */
export function invalidConfigField(c: PodConfig): string | null {
  const keys = configKeys();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = c[k];
    const r = configRange(k) as [number, number];
    if (typeof v !== 'number' || v !== floor(v) || v < r[0] || v > r[1]) return k;
  }
  return null;
}
