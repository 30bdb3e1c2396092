/**
 * The daily goal: minutes of backward walking in a (local) day, counted the
 * way the host's summary counts them (a minute's active seconds shared out
 * between its forward and backward strides). Reached once a day.
 */
import type { MinuteRecord } from '../../shared/protocol/records.js';

export interface DailyGoal {
  /** Add a finished minute of day number `day`; true the moment the goal is reached. */
  add(r: MinuteRecord, day: number, goal_min: number): boolean;
}

export function createDailyGoal(): DailyGoal {
  let today = -1;
  let total_s = 0;
  let reached = false;
  return {
    add: function (r: MinuteRecord, day: number, goal_min: number): boolean {
      // a new day only once the day number goes up: a sync from a computer in a zone hours behind moves the day
      // back one, and that is the same day seen from there (its minutes and its goal kept, re-keyed to the new
      // zone's number, so that zone's next midnight starts the next); a clock put right far back does the same
      if (day > today) {
        total_s = 0;
        reached = false;
      }
      today = day;
      const strides = r.forward + r.backward;
      if (strides > 0) total_s += (r.active_s * r.backward) / strides;
      if (reached || total_s < goal_min * 60) return false;
      reached = true;
      return true;
    },
  };
}
