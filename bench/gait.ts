/**
 * Gait engine figures: every real recording under test/fixtures, and
 * simulated sessions from seeds never used while choosing thresholds
 * (HELD_OUT_SEEDS), at 26, 52 and 104 Hz.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseRecording } from '../host/src/replay/recording.js';
import { runEngine } from '../host/src/replay/run.js';
import { percentile, scoreContacts, type Score } from '../host/src/replay/score.js';
import { createWalker, demoScript, sampleWalker } from '../host/src/sim/walker.js';

/** Seeds for the bench only. Tuning used seeds 1-2; never tune on these. */
export const HELD_OUT_SEEDS = [1001, 1002, 1003];
const RATES_HZ = [26, 52, 104];

type Line = (name: string, value: string | number, unit?: string) => void;

function report(line: Line, name: string, s: Score, seconds: number, wall_ms: number): void {
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a');
  line(`${name}.strides`, `${s.matched} of ${s.truth} found, ${s.extra} extra`);
  line(`${name}.stride_count_error`, pct(Math.abs(s.detected - s.truth), s.truth), '%');
  line(`${name}.direction_accuracy`, pct(s.directionCorrect, s.matched), '%');
  line(`${name}.contact_class_accuracy`, pct(s.firstCorrect, s.matched), '%');
  const lat = s.latencies_ms;
  line(`${name}.latency_ms`, `median ${percentile(lat, 50).toFixed(0)}, p95 ${percentile(lat.map(Math.abs), 95).toFixed(0)} (|latency|)`);
  line(`${name}.replay_speed`, (seconds / (wall_ms / 1000)).toFixed(0), 'x real time');
}

export function benchGait(line: Line): void {
  const dir = 'test/fixtures';
  for (const sub of fs.readdirSync(dir)) {
    const d = path.join(dir, sub);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d).filter((x) => x.endsWith('.csv'))) {
      const rec = parseRecording(fs.readFileSync(path.join(d, f), 'utf8'), f);
      if (rec.contacts.length === 0) continue;
      const t0 = performance.now();
      const got = runEngine(rec.t_ms, rec.samples);
      const wall = performance.now() - t0;
      // the recordings label the straight strides only: score inside the labelled span
      const first = rec.contacts[0].t_ms - 500, last = rec.contacts[rec.contacts.length - 1].t_ms + 500;
      const s = scoreContacts(rec.contacts, got.filter((c) => c.t_ms >= first && c.t_ms <= last));
      report(line, `gait.fixture.${sub}/${f}`, s, (rec.t_ms[rec.t_ms.length - 1] - rec.t_ms[0]) / 1000, wall);
    }
  }
  for (const rate of RATES_HZ) {
    const all: Score = { truth: 0, detected: 0, matched: 0, missed: 0, extra: 0, directionCorrect: 0, firstCorrect: 0, latencies_ms: [] };
    let seconds = 0, wall = 0;
    for (const seed of HELD_OUT_SEEDS) {
      const w = createWalker(demoScript(), { seed });
      const { t_ms, samples } = sampleWalker(w, rate);
      const t0 = performance.now();
      const got = runEngine(t_ms, samples);
      wall += performance.now() - t0;
      seconds += w.duration_ms / 1000;
      const s = scoreContacts(w.truth, got);
      for (const k of ['truth', 'detected', 'matched', 'missed', 'extra', 'directionCorrect', 'firstCorrect'] as const) all[k] += s[k];
      all.latencies_ms.push(...s.latencies_ms);
    }
    report(line, `gait.sim.demo_script.${rate}hz`, all, seconds, wall);
  }
}
