/**
 * Gait engine figures: every real recording under test/fixtures, and
 * simulated sessions from seeds never used while choosing thresholds
 * (HELD_OUT_SEEDS), at 26, 52 and 104 Hz.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseRecording, type Recording } from '../host/src/replay/recording.js';
import { runEngine } from '../host/src/replay/run.js';
import { insideLabelledStretches, labelsAreContactTimes, matchWindowFor, percentile, scoreContacts, type Score } from '../host/src/replay/score.js';
import { calibrationFor, motionSamples, MOTION_KINDS, type MotionKind } from '../host/src/sim/motions.js';
import { type Session, slowWalkerSession, variedSession } from '../host/src/sim/sessions.js';
import { createWalker, demoScript, MOUNTS, sampleWalker } from '../host/src/sim/walker.js';

/** Seeds for the bench only. Tuning uses seeds below 1000; never tune on these. */
export const HELD_OUT_SEEDS = [1001, 1002, 1003];
/**
 * Varied sessions, two per mounting (seed % 8 picks it). Seeds 1001-1008
 * served until 2026-11-27, when their misses were examined to find the
 * zero-velocity fault (docs/decisions.md): they are no longer held out and
 * were replaced by 2001-2016.
 */
const VARIED_SEEDS = Array.from({ length: 16 }, (_, i) => 2001 + i);
/** Slow, unsteady walkers (host/src/sim/sessions.ts slowWalkerSession): one per mounting, never run while tuning. */
const SLOW_WALKER_SEEDS = Array.from({ length: 8 }, (_, i) => 2001 + i);
/**
 * Non-walking sets: these seeds, MOTION_MINUTES each, mountings in turn. 1001-1003 were retired with
 * the above; 2001-2006 on 2026-11-27, when their sit-stand total (6 an hour at 52 Hz) was used to find
 * which new rule made those strides (the heel-rise pivot, now only within a walk); 3001-3006 later that
 * day, when their handled set (3-4 an hour, was 1) showed that a stance with no sample near 1 g had
 * been let count as fitting the mount (found and fixed on tuning seeds 31-130).
 */
const MOTION_SEEDS = [4001, 4002, 4003, 4004, 4005, 4006];
/** Minutes of each non-walking set per seed. */
const MOTION_MINUTES = 10;
const RATES_HZ = [26, 52, 104];

type Line = (name: string, value: string | number, unit?: string) => void;

/**
 * Replay speed: wall_ms is the best of several runs (the engine compiled and
 * warm, as when a batch of recordings is replayed); first_ms, when given,
 * is the first run, JIT warm-up included. labelTimes: where the labels'
 * times come from (recording metadata contact_times); only motion-capture
 * times give a latency, the gap to others is printed as such.
 */
function report(line: Line, name: string, s: Score, seconds: number, wall_ms: number, first_ms?: number, labelTimes?: string): void {
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a');
  line(`${name}.strides`, `${s.matched} of ${s.truth} found, ${s.extra} extra`);
  line(`${name}.stride_count_error`, pct(Math.abs(s.detected - s.truth), s.truth), '%');
  line(`${name}.direction_accuracy`, pct(s.directionCorrect, s.matched), '%');
  line(`${name}.contact_class_accuracy`, s.firstLabelled ? pct(s.firstCorrect, s.firstLabelled) : 'n/a (the labels do not say)', s.firstLabelled ? '%' : undefined);
  const lat = s.latencies_ms;
  const figures = `median ${percentile(lat, 50).toFixed(0)}, p95 ${percentile(lat.map(Math.abs), 95).toFixed(0)} (|latency|)`;
  if (labelsAreContactTimes(labelTimes)) line(`${name}.latency_ms`, figures);
  else line(`${name}.time_from_labels_ms`, `${figures}: not a latency, the labels' times come from ${labelTimes} (test/fixtures/README.md)`);
  const speed = (ms: number) => (seconds / (ms / 1000)).toFixed(0);
  line(`${name}.replay_speed`, speed(wall_ms), `x real time${first_ms === undefined ? '' : ` (first run, JIT warm-up included: ${speed(first_ms)}x)`}`);
}

export function benchGait(line: Line): void {
  const dir = 'test/fixtures';
  // warm V8 up first (~1.5 M samples): it takes ~100,000 samples before the engine runs at full speed,
  // and the first fixtures timed ran at a third of the speed of the same-size file after them; the
  // sessions below print their first run separately
  const w = createWalker(demoScript(), { seed: 1 });
  const warm = sampleWalker(w, 104);
  for (let i = 0; i < 25; i++) runEngine(warm.t_ms, warm.samples);
  const fixtures: { sub: string; f: string; rec: Recording }[] = [];
  for (const sub of fs.readdirSync(dir)) {
    const d = path.join(dir, sub);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d).filter((x) => x.endsWith('.csv'))) {
      const rec = parseRecording(fs.readFileSync(path.join(d, f), 'utf8'), f);
      if (rec.contacts.length > 0) fixtures.push({ sub, f, rec });
    }
  }
  // ...and on the recordings themselves: real data takes paths the simulator does not (a ringing shoe, a
  // foot that never stands still), and V8 re-optimises the engine (~120 ms of compiling) after their first
  // pass; timed before that, a 30 s file ran at 7,000x instead of 18,000-35,000x
  for (let i = 0; i < 3; i++) for (const x of fixtures) runEngine(x.rec.t_ms, x.rec.samples);
  for (const { sub, f, rec } of fixtures) {
    const run = timedRuns(() => runEngine(rec.t_ms, rec.samples), 5);
    const got = run.result, wall = run.best_ms;
    // the recordings label the straight strides only: score inside the labelled stretches
    const scored = insideLabelledStretches(rec.contacts, got);
    const s = scoreContacts(rec.contacts, scored, matchWindowFor(rec.meta));
    report(line, `gait.fixture.${sub}/${f}`, s, (rec.t_ms[rec.t_ms.length - 1] - rec.t_ms[0]) / 1000, wall, undefined, rec.meta.contact_times);
    line(`gait.fixture.${sub}/${f}.not_scored`, `${got.length - scored.length} strides outside the labelled stretches (starting, turning, stopping)`);
    const swings = swingPeaks(rec.t_ms, rec.samples);
    const bare = swings.filter((t) => !got.some((c) => c.t_ms > t && c.t_ms < t + SWING_TO_CONTACT_MS)).length;
    line(`gait.fixture.${sub}/${f}.swings_without_stride`, `${bare} of ${swings.length} swings (labelled or not) with no stride after them`);
  }
  for (const rate of RATES_HZ) {
    const all = emptyScore();
    let seconds = 0, wall = 0, first = 0;
    for (const seed of HELD_OUT_SEEDS) {
      const w = createWalker(demoScript(), { seed });
      const { t_ms, samples } = sampleWalker(w, rate);
      const run = timedRuns(() => runEngine(t_ms, samples));
      first += run.first_ms;
      wall += run.best_ms;
      seconds += w.duration_ms / 1000;
      addScore(all, scoreContacts(w.truth, run.result));
    }
    report(line, `gait.sim.demo_script.${rate}hz`, all, seconds, wall, first);
  }
  variedSessions(line);
  // the same held-out sessions walked by a slow, unsteady walker (GaitStyle): a harder set than the issue's
  // (docs/decisions.md); its stride count error is within the issue's <= 1% at every rate since 2026-11-28
  variedSessions(line, 'slow_walkers', SLOW_WALKER_SEEDS, slowWalkerSession);
  falseStrides(line);
}

/**
 * Label-free completeness: a foot in swing turns faster than SWING_PEAK_DPS
 * (real walks: 300-700 dps; stances and pivots < 250), one peak per stride at
 * most every MIN_SWING_GAP_MS. A stride must be reported within
 * SWING_TO_CONTACT_MS of its peak (the swing's second half is < 600 ms).
 */
const SWING_PEAK_DPS = 250;
const MIN_SWING_GAP_MS = 700;
const SWING_TO_CONTACT_MS = 900;

function swingPeaks(t_ms: ArrayLike<number>, samples: ArrayLike<number>): number[] {
  const peaks: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < t_ms.length; i++) {
    const w = Math.hypot(samples[6 * i + 3], samples[6 * i + 4], samples[6 * i + 5]);
    if (w > SWING_PEAK_DPS && t_ms[i] - last > MIN_SWING_GAP_MS) {
      peaks.push(t_ms[i]);
      last = t_ms[i];
    }
  }
  return peaks;
}

/** A 30 s recording replays in milliseconds: time several runs after a warm one and keep the best. */
function bestOf(fn: () => unknown, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** The first run (JIT warm-up included) and the best of the next `runs`. */
function timedRuns<T>(fn: () => T, runs = 3): { result: T; first_ms: number; best_ms: number } {
  const t0 = performance.now();
  const result = fn();
  const first_ms = performance.now() - t0;
  return { result, first_ms, best_ms: bestOf(fn, runs) };
}

function emptyScore(): Score {
  return { truth: 0, detected: 0, matched: 0, missed: 0, extra: 0, directionCorrect: 0, firstLabelled: 0, firstCorrect: 0, latencies_ms: [] };
}

function addScore(all: Score, s: Score): void {
  for (const k of ['truth', 'detected', 'matched', 'missed', 'extra', 'directionCorrect', 'firstLabelled', 'firstCorrect'] as const) all[k] += s[k];
  all.latencies_ms.push(...s.latencies_ms);
}

/** Held-out varied sessions (every mounting, jogging, inclines, turns, stops) at each rate, and per mounting at 52 Hz. */
function variedSessions(line: Line, name = 'varied', seeds = VARIED_SEEDS, sessionFor: (seed: number) => Session = variedSession): void {
  for (const rate of RATES_HZ) {
    const all = emptyScore();
    const byMount: string[] = [];
    let seconds = 0, wall = 0, first = 0;
    for (const seed of seeds) {
      const session = sessionFor(seed);
      const w = createWalker(session.segments, { seed, mount: session.mount, style: session.style });
      const { t_ms, samples } = sampleWalker(w, rate);
      const run = timedRuns(() => runEngine(t_ms, samples));
      first += run.first_ms;
      wall += run.best_ms;
      seconds += w.duration_ms / 1000;
      const s = scoreContacts(w.truth, run.result);
      addScore(all, s);
      byMount.push(`${session.mountName} ${s.matched}/${s.truth}`);
    }
    report(line, `gait.sim.${name}.${rate}hz`, all, seconds, wall, first);
    if (rate === 52) line(`gait.sim.${name}.52hz.by_mounting`, byMount.join(', '));
  }
}

/**
 * Strides counted during non-walking motion (none should be), per hour, with
 * the pod calibrated to its mounting as it is after a first walk. Mountings
 * rotate with the seed.
 */
function falseStrides(line: Line): void {
  const mountNames = ['laces', 'side-of-shoe', 'heel-counter'];
  for (const rate of RATES_HZ) {
    let total = 0, hours = 0;
    const per: string[] = [];
    for (const kind of MOTION_KINDS) {
      let n = 0, h = 0;
      MOTION_SEEDS.forEach((seed, i) => {
        const mount = MOUNTS[mountNames[i % mountNames.length]];
        const { t_ms, samples, duration_h } = motionSamples(kind as MotionKind, seed, rate, MOTION_MINUTES, mount);
        n += runEngine(t_ms, samples, { calibration: calibrationFor(mount, seed) }).length;
        h += duration_h;
      });
      per.push(`${kind} ${(n / h).toFixed(1)}`);
      total += n;
      hours += h;
    }
    line(`gait.false_strides_per_hour.${rate}hz`, `${(total / hours).toFixed(2)} overall (${total} in ${hours.toFixed(1)} h); ${per.join(', ')}`);
  }
}
