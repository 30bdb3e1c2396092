/**
 * Scenarios that exercise the pod program as a whole in the virtual pod:
 * the records it holds, waking from idle, a day compressed into seconds.
 * Tests assert on them; the bench prints their figures.
 */
import { readBundle } from '../firmware-bundle.js';
import type { Flash } from './flash.js';
import { decodeRecord, type MinuteRecord, RECORD_BYTES } from '../../../shared/protocol/records.js';
import { createWalker, type Segment, type StrideTruth } from './walker.js';
import { type ImuSource, VirtualPod } from './virtual-pod.js';

/** Every valid record the pod holds in flash (what a sync would read), oldest first. */
export function podRecords(pod: VirtualPod): MinuteRecord[] {
  const out: MinuteRecord[] = [];
  for (const name of pod.flash.list(/^rs\d+$/)) {
    const b = pod.flash.readBytes(name);
    if (!b) continue;
    for (let at = 0; at + RECORD_BYTES <= b.length; at += RECORD_BYTES) {
      const r = decodeRecord(b, at);
      if (r) out.push(r);
    }
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** A walker's source shifted to start at the pod's current simulation time. */
export function sourceFrom(pod: VirtualPod, source: ImuSource): ImuSource {
  const t0 = pod.sim_ms;
  return (t, r, out) => source(t - t0, r, out);
}

export interface WakeTrial {
  /** the IMU was at its idle rate when the second bout started */
  idleBeforeBout: boolean;
  /** strides of the second bout: walked, and counted in its minutes' records */
  walked: number;
  counted: number;
  /** walked - counted (what the wake-up cost) */
  missed: number;
}

/** Second bout starts this long after power-on, ms: minutes [120 s, 240 s) of uptime hold it and nothing else. */
const WAKE_BOUT_AT_MS = 150_000;
const WAKE_MINUTE_FROM_S = 120;

/**
 * Walk (the pod calibrates), stand until the pod has idled its IMU, walk a
 * second bout: how many of its strides went uncounted while the pod woke.
 * The seed varies the walker and where the bout starts against the idle
 * sampling (1.6 Hz: one sample per 625 ms).
 */
export function wakeTrial(seed: number, direction: 'forward' | 'backward', bundle = readBundle()): WakeTrial {
  const first: Segment[] = [
    { kind: 'stand', duration_s: 15 },
    { kind: 'walk', direction: 'forward', strides: 60 },
  ];
  const firstMs = createWalker(first, { seed }).duration_ms;
  const phase_ms = (seed * 97) % 625; // where the bout falls between two idle samples
  const segs: Segment[] = [...first, { kind: 'stand', duration_s: (WAKE_BOUT_AT_MS + phase_ms - firstMs) / 1000 }, { kind: 'walk', direction, strides: 40 }, { kind: 'stand', duration_s: 120 }];
  const walker = createWalker(segs, { seed });
  const pod = new VirtualPod({ bundle, imuSource: walker.source, seed });
  pod.boot();
  pod.advance(WAKE_BOUT_AT_MS + phase_ms - 200);
  const idleBeforeBout = pod.runtime!.imu.eventRate_hz() < 12.5;
  pod.advance(WAKE_MINUTE_FROM_S * 2 * 1000 - pod.sim_ms + 61_000);
  const walked = walker.truth.filter((s: StrideTruth) => s.t_ms >= WAKE_MINUTE_FROM_S * 1000).length;
  let counted = 0;
  for (const r of podRecords(pod)) if (r.start_s >= WAKE_MINUTE_FROM_S) counted += r.forward + r.backward;
  return { idleBeforeBout, walked, counted, missed: walked - counted };
}

/** A coach's walk: calibrate forward, then 9 minutes of 12 backward strides between forward blocks, then forward only. */
export function coachScript(): Segment[] {
  const segs: Segment[] = [
    { kind: 'stand', duration_s: 15 },
    { kind: 'walk', direction: 'forward', strides: 50 },
  ];
  for (let k = 0; k < 9; k++) {
    segs.push({ kind: 'walk', direction: 'backward', strides: 12 });
    segs.push({ kind: 'walk', direction: 'forward', strides: 25 });
  }
  segs.push({ kind: 'walk', direction: 'forward', strides: 130 });
  segs.push({ kind: 'stand', duration_s: 30 });
  return segs;
}

/** One compressed day: hours of standing (the pod idles) around three walks, 30 minutes in all. */
export function dayScript(): Segment[] {
  const h = 3600;
  const intervals: Segment[] = [];
  for (let k = 0; k < 6; k++) {
    intervals.push({ kind: 'walk', direction: 'backward', strides: 15, odd: k === 2 ? [4] : [] });
    intervals.push({ kind: 'stand', duration_s: 2 });
    intervals.push({ kind: 'walk', direction: 'forward', strides: 45 });
  }
  return [
    { kind: 'stand', duration_s: 7.5 * h }, // night: the pod on the shoe rack
    { kind: 'walk', direction: 'forward', strides: 450 }, // morning walk
    { kind: 'stand', duration_s: 4.5 * h },
    { kind: 'walk', direction: 'forward', strides: 200 }, // lunchtime: intervals of backward steps
    ...intervals,
    { kind: 'stand', duration_s: 6 * h },
    { kind: 'walk', direction: 'forward', strides: 280, turn_deg: 180 }, // evening: out, backward a while, back
    { kind: 'walk', direction: 'backward', strides: 90 },
    { kind: 'walk', direction: 'forward', strides: 280 },
    { kind: 'stand', duration_s: 4 * h },
  ];
}

export interface DayRun {
  pod: VirtualPod;
  truth: StrideTruth[];
  /** ms the walker spent walking (sum of its walking segments) */
  walking_ms: number;
  duration_ms: number;
  /** IMU samples delivered to the pod, by rate (Hz) */
  samples: Map<number, number>;
  /** when counting: statements executed after each sample, attributed to that sample's rate */
  statements: Map<number, number>;
  /** samples that reached the pod's listener (INT1 rose: data-ready, or idle only the wake-up), by rate */
  delivered: Map<number, number>;
}

/**
 * Run a day through the pod. countStatements, when given, reads a running
 * statement counter (an instrumented bundle): the statements executed between
 * two samples are charged to the first one's rate, timers included.
 */
export function runDay(options: { bundle?: string; seed?: number; segments?: Segment[]; countStatements?: (pod: VirtualPod) => number; flash?: Flash } = {}): DayRun {
  const walker = createWalker(options.segments ?? dayScript(), { seed: options.seed ?? 1 });
  const samples = new Map<number, number>();
  const statements = new Map<number, number>();
  const delivered = new Map<number, number>();
  let lastRate = 0;
  let lastCount = 0;
  let lastEvents = 0;
  let pod: VirtualPod | null = null;
  const count = options.countStatements;
  const source: ImuSource = (t, rate_hz, out) => {
    if (count && pod?.booted) {
      const c = count(pod);
      if (lastRate) statements.set(lastRate, (statements.get(lastRate) ?? 0) + c - lastCount);
      lastCount = c;
    }
    if (pod?.runtime && lastRate) {
      // (the sample before this one reached the pod or not: this one is still being taken)
      const events = pod.runtime.accelEvents;
      if (events < lastEvents) lastEvents = 0; // a new power-on counts from 0
      delivered.set(lastRate, (delivered.get(lastRate) ?? 0) + events - lastEvents);
      lastEvents = events;
    }
    lastRate = rate_hz;
    samples.set(rate_hz, (samples.get(rate_hz) ?? 0) + 1);
    walker.source(t, rate_hz, out);
  };
  pod = new VirtualPod({ bundle: options.bundle ?? readBundle(), imuSource: source, seed: options.seed ?? 1, flash: options.flash });
  pod.boot();
  pod.advance(walker.duration_ms + 61_000);
  let walking_ms = 0;
  for (let i = 0; i < walker.truth.length; i++) if (i > 0 && walker.truth[i].t_ms - walker.truth[i - 1].t_ms < 3000) walking_ms += walker.truth[i].t_ms - walker.truth[i - 1].t_ms;
  return { pod, truth: walker.truth, walking_ms, duration_ms: walker.duration_ms, samples, statements, delivered };
}
