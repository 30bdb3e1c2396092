/**
 * The session `retrostep demo` walks (the sim walks it too, round and round,
 * and tests and benches check the demo's numbers on it). A script is data
 * for the walker (walker.ts), kept apart from the walker's model like the
 * varied sessions (sessions.ts).
 */
import type { Segment } from './walker.js';

/**
 * The demo's scripted 10 minutes: stand still (the pod learns gravity), a
 * forward warm-up (it learns the toe axis), six one-minute intervals of
 * backward steps (10, 10, 15, 15, 20, 20 strides of this foot) with forward
 * walking between, a few backward steps landing on the heel (wrong gait),
 * a forward cool-down, and standing at the end.
 */
export function demoScript(): Segment[] {
  const segs: Segment[] = [{ kind: 'stand', duration_s: 15 }, { kind: 'walk', direction: 'forward', strides: 150 }];
  const backward = [10, 10, 15, 15, 20, 20];
  const wrong: number[][] = [[], [3], [], [5, 11], [], [8]];
  for (let k = 0; k < backward.length; k++) {
    segs.push({ kind: 'stand', duration_s: 3 });
    segs.push({ kind: 'walk', direction: 'backward', strides: backward[k], odd: wrong[k] });
    segs.push({ kind: 'stand', duration_s: 2 });
    segs.push({ kind: 'walk', direction: 'forward', strides: 40 - backward[k] });
  }
  segs.push({ kind: 'walk', direction: 'forward', strides: 90, turn_deg: 180 });
  segs.push({ kind: 'stand', duration_s: 20 });
  return segs;
}
