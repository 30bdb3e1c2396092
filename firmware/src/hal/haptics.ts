/**
 * The vibration motor on the FET pin (D26 on Puck.js v2: FET high shorts the
 * motor to GND, so a high pulse buzzes). digitalPulse queues the whole
 * pattern in hardware timers and returns at once: the sample loop never waits.
 */

/** Patterns (PATTERN_*). Distinct rhythms so they can be told apart without looking. */
export const PATTERN_WRONG = 1; // one firm 120 ms buzz: "that step was wrong"
export const PATTERN_PROMPT = 2; // two short: "do your backward steps now"
export const PATTERN_DONE = 3; // one long: "interval done"
export const PATTERN_GOAL = 4; // three short and a long: "daily goal reached"
export const PATTERN_LOW_BATTERY = 5; // long-pause-long

/** Silence after a pattern before the next may start: two patterns back to back would feel like one. */
const PATTERN_GAP_MS = 150;

/**
 * A pattern's alternating on/off times in ms, starting with on (null: no
 * such pattern). A switch rather than a table: its arrays exist only while
 * a pattern starts, not in the pod's RAM for good.
 */
function patternTimes(pattern: number): number[] | null {
  switch (pattern) {
    case PATTERN_WRONG:
      return [120];
    case PATTERN_PROMPT:
      return [60, 90, 60];
    case PATTERN_DONE:
      return [350];
    case PATTERN_GOAL:
      return [70, 70, 70, 70, 70, 70, 300];
    case PATTERN_LOW_BATTERY:
      return [400, 250, 400];
  }
  return null;
}

export interface Haptics {
  /** Play a pattern now unless buzzing is off or another is playing; true when it played. */
  play(pattern: number): boolean;
  /** Play a pattern as soon as the motor is free (prompts and confirmations must not be lost to a wrong-gait buzz). */
  playSoon(pattern: number): void;
  setEnabled(on: boolean): void;
}

/** `played` hears each pattern the moment it starts (the live view's buzz lines): the one place a buzz is played. */
export function createHaptics(played: (pattern: number) => void): Haptics {
  let enabled = true;
  let busyUntil = 0;
  function play(pattern: number): boolean {
    const times = patternTimes(pattern);
    if (!enabled || !times) return false;
    const now = getTime();
    if (now < busyUntil) return false; // a pattern is still playing: do not garble it
    let total = 0;
    for (let i = 0; i < times.length; i++) total += times[i];
    busyUntil = now + (total + PATTERN_GAP_MS) / 1000;
    digitalPulse(FET, 1, times);
    played(pattern);
    return true;
  }
  return {
    play: play,
    playSoon: function (pattern: number): void {
      if (play(pattern) || !enabled) return;
      setTimeout(function () {
        play(pattern);
      }, (busyUntil - getTime()) * 1000 + 1);
    },
    setEnabled: function (on: boolean): void {
      enabled = on;
    },
  };
}
