/**
 * The pod's budgets (issue 6): memory, statements per IMU sample, waking
 * from idle, and a battery estimate from a simulated day.
 *
 * Memory: the virtual pod's estimate of Espruino variables the bundle holds
 * (VAR_RULES in host/src/sim/var-counter.ts: globals, closures, timers,
 * listeners, the services it registered; Espruino's own boot-time variables
 * are not included).
 *
 * Statements: the bundle minified without joining statements (terser with
 * compress off), then `__S++;` before each statement (bench/instrument.ts),
 * run through a whole day; the statements between two IMU samples are
 * charged to the first one's state, timers included.
 *
 * Battery: the time the day spent in each IMU state, scaled to 30 minutes of
 * walking, priced by bench/battery.ts (the current table, and CPU time from
 * the cost model's reference loops per sample: bench/cost-model.ts). The
 * measured figures are `npm run bench pod-real`'s.
 */
import { readBundle } from '../host/src/firmware-bundle.js';
import { Flash } from '../host/src/sim/flash.js';
import { podRecords, runDay, sourceFrom, wakeTrial } from '../host/src/sim/pod-scenarios.js';
import { createWalker, type Segment, truthCounts } from '../host/src/sim/walker.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { batteryRange, CR2032_MAH, REF_LOOP_US, WALK_MIN_PER_DAY } from './battery.js';
import { countingBundle, countingFlash, modelRefloops } from './cost-model.js';
import { TOKEN_COUNTER } from './instrument.js';
import { VARS_BUDGET } from './real-pod/real-pod.js';

type Line = (name: string, value: string | number, unit?: string) => void;

const PUCK_VARS = 2630;

function forwardWalk(minutes: number): Segment[] {
  return [
    { kind: 'stand', duration_s: 15 },
    { kind: 'walk', direction: 'forward', strides: Math.round(minutes * 55) },
    { kind: 'stand', duration_s: 30 },
  ];
}

function memory(line: Line, bundle: string): void {
  const pod = new VirtualPod({ bundle });
  pod.boot();
  pod.advance(1000);
  line('pod.vars.after_load', `${pod.memoryVars()} of ${PUCK_VARS}`);
  const walker = createWalker(forwardWalk(4), { seed: 11 });
  pod.setImuSource(sourceFrom(pod, walker.source));
  pod.advance(3 * 60_000);
  line('pod.vars.walking', `${pod.memoryVars()} of ${PUCK_VARS} (budget ${VARS_BUDGET.walking})`);
  pod.advance(walker.duration_ms);
  line('pod.vars.idle', `${pod.memoryVars()} of ${PUCK_VARS}`);
  // flash full, nothing acked: records wait in a RAM buffer allocated for the purpose
  const small = new VirtualPod({ bundle, flash: new Flash() });
  small.boot();
  small.flash.write('filler', 'x'.repeat(small.flash.getFree() - 1400)); // room for a few records beyond the store's reserve
  const long = createWalker(forwardWalk(8), { seed: 12 });
  small.setImuSource(sourceFrom(small, long.source));
  small.advance(long.duration_ms - 20_000);
  line('pod.vars.flash_full', `${small.memoryVars()} of ${PUCK_VARS} (records held in RAM while flash is full; budget ${VARS_BUDGET.flash_full})`);
}

async function statementsAndBattery(line: Line): Promise<void> {
  const { code, statements } = await countingBundle();
  line('pod.statements_in_bundle', statements);
  const t0 = performance.now();
  const day = runDay({ bundle: code, flash: countingFlash(code), countStatements: (pod) => Number(pod.runtime!.globalValue(TOKEN_COUNTER)) });
  const wall_s = (performance.now() - t0) / 1000;
  const perSample = (rate: number): number => (day.statements.get(rate) ?? 0) / (day.samples.get(rate) ?? 1);
  const walk = perSample(52);
  const idle = perSample(1.6);
  const calls = (rate: number): number => (day.delivered.get(rate) ?? 0) / (day.samples.get(rate) ?? 1);
  const idleCalls = calls(1.6);
  line('pod.tokens_per_sample.walking', walk.toFixed(0), `(tokens of the statements run, 52 Hz; the cost model: ~${modelRefloops(walk, calls(52)).toFixed(0)} reference loops)`);
  line(
    'pod.tokens_per_sample.idle',
    idle.toFixed(1),
    `(per 1.6 Hz sample the IMU took, timers included; ${day.delivered.get(1.6) ?? 0} of ${day.samples.get(1.6) ?? 0} reached the pod, by the wake-up interrupt; the cost model: ~${modelRefloops(idle, idleCalls).toFixed(3)} reference loops)`,
  );

  const truth = truthCounts(day.truth);
  const got = podRecords(day.pod).reduce((a, r) => ({ forward: a.forward + r.forward, backward: a.backward + r.backward }), { forward: 0, backward: 0 });
  line('pod.day.strides', `forward ${got.forward}/${truth.forward}, backward ${got.backward}/${truth.backward} counted/walked`);
  const imu = day.pod.runtime!.imuStateTimes_ms();
  const walkState_h = (imu['52 Hz accel+gyro'] ?? 0) / 3600_000;
  const idleState_h = (imu['1.6 Hz accel'] ?? 0) / 3600_000;
  line('pod.day.imu_hours', `${walkState_h.toFixed(2)} h at 52 Hz, ${idleState_h.toFixed(2)} h idle at 1.6 Hz, walking ${(day.walking_ms / 60000).toFixed(1)} min of a ${(day.duration_ms / 3600_000).toFixed(1)} h day`);
  line('pod.day.simulated_in', wall_s.toFixed(1), 's');

  // scale to 30 minutes of walking; the rest of 24 h idle
  const scale = WALK_MIN_PER_DAY / 60 / (day.walking_ms / 3600_000);
  const walk_h = walkState_h * scale;
  const idle_h = 24 - walk_h;
  const [slow, mid, fast] = batteryRange({ walk_h, idle_h, walk_refloops: modelRefloops(walk, calls(52)), idle_refloops: modelRefloops(idle, idleCalls), walk_rate_hz: 52, idle_rate_hz: 1.6 });
  line('pod.cpu_duty', `${(fast.walkCpu * 100).toFixed(0)}-${(slow.walkCpu * 100).toFixed(0)}% walking, ${(fast.idleCpu * 100).toFixed(2)}-${(slow.idleCpu * 100).toFixed(2)}% idle (${REF_LOOP_US.low}-${REF_LOOP_US.high} us per reference loop)`);
  line('pod.charge_per_day', `${fast.mAh.toFixed(2)}-${slow.mAh.toFixed(2)}`, `mAh (${WALK_MIN_PER_DAY} min walking: ${walk_h.toFixed(2)} h at 52 Hz, ${idle_h.toFixed(2)} h idle)`);
  line('pod.battery_days', `${slow.days.toFixed(0)}-${fast.days.toFixed(0)}`, `days on a ${CR2032_MAH} mAh CR2032 (${mid.days.toFixed(0)} at ${REF_LOOP_US.mid} us; target >= 60)`);
}

function wake(line: Line, bundle: string): void {
  const missed: number[] = [];
  let notIdle = 0;
  for (let seed = 100; seed < 120; seed++) {
    for (const direction of ['forward', 'backward'] as const) {
      const t = wakeTrial(seed, direction, bundle);
      if (!t.idleBeforeBout) notIdle++;
      missed.push(t.missed);
    }
  }
  const max = Math.max(...missed);
  const mean = missed.reduce((a, b) => a + b, 0) / missed.length;
  line('pod.wake.missed_strides', `max ${max}, mean ${mean.toFixed(2)} over ${missed.length} bouts started from idle (target <= 2)${notIdle ? `; ${notIdle} trials were not idle` : ''}`);
}

export async function benchPod(line: Line): Promise<void> {
  const bundle = readBundle();
  memory(line, bundle);
  wake(line, bundle);
  await statementsAndBattery(line);
}
