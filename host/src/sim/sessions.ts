/**
 * Varied walking sessions for judging the gait engine: each seed draws its
 * own mix of forward walking (90-130 steps/min), backward walking (shorter,
 * more frequent steps), backward jogging, 5% inclines up and down, turns,
 * stops and starts, a few wrong steps and forward toe-first steps, and one
 * mounting of the pod. Treadmill walking is the same signal to a foot IMU
 * as overground walking without turns (a belt at constant speed adds no
 * acceleration), so "treadmill" bouts are long, steady and straight.
 */
import { uniform } from './random.js';
import { type GaitStyle, type Mount, MOUNTS, type Segment, STYLE_BRISK } from './walker.js';

export interface Session {
  name: string;
  segments: Segment[];
  mount: Mount;
  mountName: string;
  /** how this person walks (createWalker's style) */
  style: GaitStyle;
}

/**
 * The same session walked by a slow, rolling walker (like gaitmap's 4 x 10 m
 * walker): a heel rise taking 50-65% of the stance (0.3-0.45 s at 100-120
 * steps/min), a foot that never stops turning while flat (it rolls through
 * 20-45% of the lift-off pitch from foot flat to lift-off: 15-60 dps), a
 * sensor gain 3% either side. The style comes from a generator of its own,
 * so the truth is the varied session's.
 */
export function slowWalkerSession(seed: number, minutes = 8): Session {
  const r = uniform(seed * 104729 + 7);
  const style: GaitStyle = { preswing_s: 1, preswingMaxShare: 0.5 + 0.15 * r(), flatRoll: 0.2 + 0.25 * r(), accScale: 0.97 + 0.06 * r() };
  return { ...variedSession(seed, minutes), name: `slow-walker-${seed}`, style };
}

/** Five percent of a stride's length, m: the rise of a 5% incline. */
const INCLINE = 0.05;

export function variedSession(seed: number, minutes = 8): Session {
  const rnd = uniform(seed * 7919 + 13);
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
  const between = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const mountName = Object.keys(MOUNTS)[seed % Object.keys(MOUNTS).length];
  // stand (gravity), then forward strides: the pod learns its mounting
  const segs: Segment[] = [
    { kind: 'stand', duration_s: 5 },
    { kind: 'walk', direction: 'forward', strides: 12 },
  ];
  let total_s = 20;
  while (total_s < minutes * 60) {
    const kind = pick(['forward', 'forward', 'backward', 'backward', 'jog', 'incline', 'treadmill', 'stop']);
    if (kind === 'stop') {
      const d = between(2, 20);
      segs.push({ kind: 'stand', duration_s: d });
      total_s += d;
      continue;
    }
    const backward = kind === 'backward' || kind === 'jog';
    const cadence = kind === 'jog' ? between(155, 180) : backward ? between(100, 150) : between(90, 130);
    const stride = kind === 'jog' ? between(0.8, 1.1) : backward ? between(0.5, 0.9) : between(1.0, 1.6);
    const strides = Math.round(kind === 'treadmill' ? between(60, 120) : between(8, 40));
    const odd: number[] = [];
    for (let i = 0; i < strides; i++) if (rnd() < 0.05) odd.push(i); // wrong steps backward, toe-first steps forward
    const rise = kind === 'incline' ? (rnd() < 0.5 ? 1 : -1) * INCLINE * stride : 0;
    const turn = kind === 'treadmill' ? 0 : rnd() < 0.3 ? between(-180, 180) : 0;
    segs.push({ kind: 'walk', direction: backward ? 'backward' : 'forward', strides, cadence_spm: cadence, stride_m: stride, odd, rise_m: rise, turn_deg: turn });
    total_s += (strides * 120) / cadence;
  }
  segs.push({ kind: 'stand', duration_s: 5 });
  return { name: `varied-${seed}`, segments: segs, mount: MOUNTS[mountName], mountName, style: STYLE_BRISK };
}
