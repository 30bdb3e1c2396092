/**
 * Every accuracy figure of the gait engine that `npm run bench gait` prints, as JSON on stdout ({ figures,
 * absent: the recordings that were not there to measure }), and nothing timed: the real recordings (voisard when it is beside the project, gaitmap, shoe-nav), each
 * through the sensor errors where the bench runs them, the simulator's sets and the non-walking sets.
 * `npm run bench ablate` (ablate.ts) runs it once on the engine as it is and once per rule taken out, each
 * from a copy of the sources. Run from the project's root (the recordings are found from there):
 *   node --import tsx bench/ablate-figures.ts <cache dir>
 * The simulated samples do not depend on the engine: they are kept in the cache dir, made by the first run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runEngine } from '../host/src/replay/run.js';
import { matchWindowFor, scoreContacts, scoreEveryStep, type TruthContact } from '../host/src/replay/score.js';
import { SENSOR_ERRORS, withSensorError } from '../host/src/replay/sensor-errors.js';
import { findSwings, unlabelledSwings } from '../host/src/replay/swings.js';
import { calibrationFor, motionSamples, MOTION_KINDS, type MotionKind } from '../host/src/sim/motions.js';
import { type Session, slowWalkerSession, variedSession } from '../host/src/sim/sessions.js';
import { demoScript } from '../host/src/sim/demo-script.js';
import { createWalker, sampleWalker } from '../host/src/sim/walker.js';
import { gaitFixtures, HELD_OUT_SEEDS, MOTION_MINUTES, MOTION_SEEDS, nonWalkingMount, RATES_HZ, sensorErrorDiffs, SLOW_WALKER_SEEDS, VARIED_SEEDS, voisardPlayedBackwardScore, voisardScored } from './gait.js';
import { loadShoeNav, scoreStrides, SHOE_NAV_DIR, shoeNavAvailable } from './shoe-nav.js';
import { loadVoisard, STEP_PLACES, VOISARD_DIR, voisardAvailable } from './voisard.js';

/** Figure name -> value; a name says which way is worse (ablate.ts MORE_IS_WORSE). */
export type Figures = Record<string, number>;

export interface FiguresRun {
  figures: Figures;
  /** a line for each set of recordings that was not there (its figures are missing) */
  absent: string[];
}

interface Samples {
  t_ms: Float64Array;
  samples: Float32Array;
  truth: TruthContact[];
}

/** Samples made once and kept in dir (binary: count, times, samples, then the truth as JSON). */
function cached(dir: string, key: string, make: () => { t_ms: ArrayLike<number>; samples: ArrayLike<number>; truth?: TruthContact[] }): Samples {
  const file = path.join(dir, `${key}.bin`);
  if (fs.existsSync(file)) {
    const b = fs.readFileSync(file);
    const n = b.readUInt32LE(0);
    const t_ms = new Float64Array(b.buffer.slice(b.byteOffset + 8, b.byteOffset + 8 + n * 8));
    const samples = new Float32Array(b.buffer.slice(b.byteOffset + 8 + n * 8, b.byteOffset + 8 + n * 32));
    return { t_ms, samples, truth: JSON.parse(b.subarray(8 + n * 32).toString()) as TruthContact[] };
  }
  const r = make();
  const head = Buffer.alloc(8);
  head.writeUInt32LE(r.t_ms.length, 0);
  const t_ms = Float64Array.from(r.t_ms), samples = Float32Array.from(r.samples), truth = r.truth ?? [];
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(t_ms.buffer), Buffer.from(samples.buffer), Buffer.from(JSON.stringify(truth))]));
  return { t_ms, samples, truth };
}

/** voisard's scoring (bench/gait.ts benchVoisard): labels the sensor shows, found and extra. */
function voisardScore(recs: ReturnType<typeof loadVoisard>, error?: (typeof SENSOR_ERRORS)[number]) {
  let found = 0, extra = 0, heel = 0, forward = 0;
  const byPlace: Record<string, number> = {};
  for (const r of recs) {
    const { labels, m, u } = voisardScored(r, runEngine(r.t_ms, error ? withSensorError(r.samples, error) : r.samples));
    labels.forEach((c, k) => {
      if (!m.found[k]) return;
      found++;
      byPlace[c.place] = (byPlace[c.place] ?? 0) + 1;
      if (m.foundBy[k].first === 'heel') heel++;
      if (m.foundBy[k].direction === 'forward') forward++;
    });
    extra += u.extra;
  }
  return { found, extra, heel, forward, byPlace };
}

function accuracyFigures(cacheDir: string): FiguresRun {
  const f: Figures = {};
  const absent: string[] = [];
  if (!voisardAvailable()) absent.push(`voisard: ${VOISARD_DIR} is not there (the real development set): its figures are left out`);
  else {
    for (const rate of [52, 26, 100]) {
      const recs = loadVoisard(rate).filter((r) => !r.copyOf);
      const s = voisardScore(recs);
      const k = `voisard ${rate} Hz`;
      f[`${k} found`] = s.found;
      f[`${k} extra`] = s.extra;
      f[`${k} heel first`] = s.heel;
      f[`${k} direction wrong`] = s.found - s.forward;
      for (const p of STEP_PLACES) f[`${k} ${p} found`] = s.byPlace[p] ?? 0;
      if (rate === 100) continue;
      if (rate === 52) {
        // played backward: the only real backward walking there is (direction and first contact are what it tests)
        const b = voisardPlayedBackwardScore(recs);
        f[`${k} played backward found`] = b.found;
        f[`${k} played backward extra`] = b.extra;
        f[`${k} played backward direction wrong`] = b.found - b.backward;
        f[`${k} played backward toe first`] = b.toe;
      }
      let fewest = Infinity, most = 0;
      for (const e of SENSOR_ERRORS) {
        const se = voisardScore(recs, e);
        fewest = Math.min(fewest, se.found);
        most = Math.max(most, se.extra);
      }
      f[`${k} sensor errors fewest found`] = fewest;
      f[`${k} sensor errors most extra`] = most;
    }
  }
  // gaitmap: every step of every file, and how many of its runs through the sensor errors give the same steps
  let found = 0, extra = 0, same = 0, diffs = 0;
  for (const { rec } of gaitFixtures()) {
    const got = runEngine(rec.t_ms, rec.samples);
    const window = matchWindowFor(rec.meta);
    const s = scoreEveryStep(rec.contacts, unlabelledSwings(findSwings(rec.t_ms, rec.samples), rec.contacts, window.before_ms), got, window);
    found += s.matched;
    extra += s.extra;
    const d = sensorErrorDiffs(rec, got);
    same += d.same;
    diffs += d.lost + d.added + d.turned;
  }
  Object.assign(f, { 'gaitmap found': found, 'gaitmap extra': extra, 'gaitmap sensor errors same steps': same, 'gaitmap sensor errors steps changed': diffs });
  if (!shoeNavAvailable()) absent.push(`shoe-nav: ${SHOE_NAV_DIR} is not there: its figures are left out`);
  else {
    for (const rate of [52, 26]) {
      let n = 0, x = 0;
      for (const r of loadShoeNav(rate)) {
        const s = scoreStrides(r.labels_ms, runEngine(r.t_ms, r.samples).map((c) => c.t_ms), r.clipped_ms);
        n += s.found;
        x += s.extra;
      }
      f[`shoe-nav ${rate} Hz found`] = n;
      f[`shoe-nav ${rate} Hz extra`] = x;
    }
  }
  const sets: [string, number[], (seed: number) => Session | null][] = [
    ['demo', HELD_OUT_SEEDS, () => null],
    ['varied', VARIED_SEEDS, variedSession],
    ['slow walkers', SLOW_WALKER_SEEDS, slowWalkerSession],
  ];
  for (const rate of RATES_HZ) {
    for (const [name, seeds, sessionOf] of sets) {
      let matched = 0, x = 0, wrongWay = 0, wrongClass = 0;
      for (const seed of seeds) {
        const r = cached(cacheDir, `${name}-${seed}-${rate}`, () => {
          const session = sessionOf(seed);
          const w = session ? createWalker(session.segments, { seed, mount: session.mount, style: session.style }) : createWalker(demoScript(), { seed });
          return { ...sampleWalker(w, rate), truth: w.truth as unknown as TruthContact[] };
        });
        const s = scoreContacts(r.truth, runEngine(r.t_ms, r.samples));
        matched += s.matched;
        x += s.extra;
        wrongWay += s.matched - s.direction_correct;
        wrongClass += s.first_labelled - s.first_correct;
      }
      const k = `simulator ${name} ${rate} Hz`;
      Object.assign(f, { [`${k} found`]: matched, [`${k} extra`]: x, [`${k} direction wrong`]: wrongWay, [`${k} class wrong`]: wrongClass });
    }
    // (mountings in turn, calibrated: bench/gait.ts falseStrides)
    let strides = 0;
    for (const kind of MOTION_KINDS) {
      MOTION_SEEDS.forEach((seed, i) => {
        const mount = nonWalkingMount(i);
        const r = cached(cacheDir, `motion-${kind}-${seed}-${rate}`, () => motionSamples(kind as MotionKind, seed, rate, MOTION_MINUTES, mount));
        strides += runEngine(r.t_ms, r.samples, { calibration: calibrationFor(mount, seed) }).length;
      });
    }
    f[`non-walking ${rate} Hz false strides`] = strides;
  }
  return { figures: f, absent };
}

// (run as a script: the figures as JSON, for ablate.ts)
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const cacheDir = process.argv[2];
  if (!cacheDir) {
    console.error('usage: node --import tsx bench/ablate-figures.ts <cache dir>');
    process.exit(2);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  process.stdout.write(JSON.stringify(accuracyFigures(cacheDir)));
}
