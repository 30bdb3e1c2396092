/**
 * The pod's settings: defaults and allowed ranges, checked on both sides
 * (the host refuses a bad value before sending; the pod refuses it again).
 */
export interface PodConfig {
  /** 1 = haptic alerts on */
  buzz_on: number;
  /** which strides count as wrong gait: WRONG_* bits of shared/gait/engine.ts (default 1: backward landing on the heel) */
  wrong_rule: number;
  /** coach: backward steps to ask for each minute of a walk; 0 = coach off */
  coach_steps: number;
  /** minutes of backward walking a day that earn the goal buzz */
  daily_goal_min: number;
  /** stride length estimates for the RSC service and distance, cm */
  fwd_stride_cm: number;
  bwd_stride_cm: number;
}

export const CONFIG_DEFAULTS: PodConfig = {
  buzz_on: 1,
  wrong_rule: 1,
  coach_steps: 0,
  daily_goal_min: 10,
  fwd_stride_cm: 130,
  bwd_stride_cm: 70,
};

/** [min, max] per field, with why. */
export const CONFIG_RANGES: { [K in keyof PodConfig]: [number, number] } = {
  buzz_on: [0, 1],
  wrong_rule: [0, 15], // four rule bits
  coach_steps: [0, 60], // more than 60 backward steps a minute is continuous backward walking: no prompt needed
  daily_goal_min: [1, 240],
  fwd_stride_cm: [40, 250], // walking to running stride lengths
  bwd_stride_cm: [20, 200],
};

export const CONFIG_KEYS = ['buzz_on', 'wrong_rule', 'coach_steps', 'daily_goal_min', 'fwd_stride_cm', 'bwd_stride_cm'];

/** Name of the first field out of range (or not a whole number), or null when all are valid. */
export function invalidConfigField(c: PodConfig): string | null {
  for (let i = 0; i < CONFIG_KEYS.length; i++) {
    const k = CONFIG_KEYS[i] as keyof PodConfig;
    const v = c[k];
    const r = CONFIG_RANGES[k];
    if (typeof v !== 'number' || v !== Math.floor(v) || v < r[0] || v > r[1]) return k;
  }
  return null;
}
