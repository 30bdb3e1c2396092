/**
 * Coach mode (the plan's interval stages as a pod mode): while the wearer
 * walks, each minute starts with a prompt to walk N backward steps; when
 * they are counted the pod confirms, and the minute's record says whether
 * the interval was prompted and completed.
 *
 * The pod sees one foot: N steps are ceil(N / 2) backward strides.
 */
export interface Coach {
  /** A minute boundary: true when a new interval was prompted (the caller buzzes). */
  minute(walking: boolean, steps: number): boolean;
  /** A backward stride: true when it completed the interval (the caller buzzes). */
  backwardStride(): boolean;
}

export function createCoach(): Coach {
  let left = 0; // backward strides still wanted in this minute's interval
  return {
    minute: function (walking: boolean, steps: number): boolean {
      left = walking && steps > 0 ? Math.ceil(steps / 2) : 0;
      return left > 0;
    },
    backwardStride: function (): boolean {
      if (left === 0) return false;
      left--;
      return left === 0;
    },
  };
}
