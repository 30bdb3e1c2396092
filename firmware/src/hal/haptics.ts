/**
 * The vibration motor on the FET pin (D26 on Puck.js v2: FET high shorts the
 * motor to GND, so a high pulse buzzes). digitalPulse queues the whole
 * pattern in hardware timers and returns at once: the sample loop never waits.
 */

/** Patterns as alternating on/off times in ms, starting with on. Distinct rhythms so they can be told apart without looking. */
export const PATTERN_WRONG = 1; // one firm 120 ms buzz: "that step was wrong"
export const PATTERN_PROMPT = 2; // two short: "do your backward steps now"
export const PATTERN_DONE = 3; // one long: "interval done"
export const PATTERN_GOAL = 4; // three short and a long: "daily goal reached"
export const PATTERN_LOW_BATTERY = 5; // long-pause-long

const PATTERNS: { [p: number]: number[] } = {
  1: [120],
  2: [60, 90, 60],
  3: [350],
  4: [70, 70, 70, 70, 70, 70, 300],
  5: [400, 250, 400],
};

export interface Haptics {
  /** Play a pattern unless buzzing is off; true when it played. */
  play(pattern: number): boolean;
  setEnabled(on: boolean): void;
}

export function createHaptics(): Haptics {
  let enabled = true;
  let busyUntil = 0;
  return {
    play: function (pattern: number): boolean {
      const times = PATTERNS[pattern];
      if (!enabled || !times) return false;
      const now = getTime();
      if (now < busyUntil) return false; // a pattern is still playing: do not garble it
      let total = 0;
      for (let i = 0; i < times.length; i++) total += times[i];
      busyUntil = now + total / 1000;
      digitalPulse(FET, 1, times);
      return true;
    },
    setEnabled: function (on: boolean): void {
      enabled = on;
    },
  };
}
