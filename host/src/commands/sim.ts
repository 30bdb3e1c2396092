/** `retrostep sim`: serve a virtual pod on a pseudo-terminal until Ctrl-C. */
import type { Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import { InputError } from '../errors.js';
import type { MinuteRecord } from '../../../shared/protocol/records.js';
import { defaultSimState } from '../link.js';
import { serveSim, WalkStopped } from '../sim/serve.js';
import { shellWord } from '../shell-word.js';
import { refuseLinkOptions, simStateFile, THE_VIRTUAL_POD } from './link-option.js';

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run a virtual pod (the real firmware, no hardware) that other retrostep commands reach with --port')
    .option('--walk-days <n>', 'first walk this many simulated days (ending today, or yesterday just after midnight) so there is something to sync (a pod that has not walked yet)', '0')
    .option('--walk', 'keep walking while serving (the demo walk, over and over): for `live` and `record`')
    .option('--speed <x>', 'run the pod this many times faster than real time (faster, it keeps nothing it walks: for `live` and `record`)', '1')
    .action(async (o: { walkDays: string; walk?: boolean; speed: string }, cmd: Command) => {
      // (--sim: sim runs that same pod; --port and --ble: sim makes a port of its own, and reaches no pod)
      refuseLinkOptions(cmd, (pod) => (pod === THE_VIRTUAL_POD ? '`sim` runs the virtual pod itself, on a pseudo-terminal the other commands reach with --port' : `\`sim\` runs the virtual pod on a new pseudo-terminal, not ${pod}`), { keepState: true });
      const speed = Number(o.speed);
      if (!(speed >= 0.1 && speed <= 1000)) throw new InputError(`--speed must be a number from 0.1 to 1000, not "${o.speed}"`);
      // (digits only: Number() read "" as 0, a script's unset variable walking nothing, and 0x10 as 16)
      const days = /^\d{1,2}$/.test(o.walkDays) ? Number(o.walkDays) : NaN;
      if (!Number.isInteger(days) || days < 0 || days > 60) throw new InputError(`--walk-days must be a whole number from 0 to 60, not "${o.walkDays}"`);
      const state = simStateFile(cmd);
      // (listened for before the walk: Ctrl-C while --walk-days walked ended the process without a word, exit 130, the
      // state's lock left behind; now the walk stops between days, and once it serves Ctrl-C stops the pod)
      const stop = new AbortController();
      const stopping: Record<'SIGINT' | 'SIGTERM', string> = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM' };
      let heard: keyof typeof stopping = 'SIGINT';
      const stopped = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve()));
      for (const signal of Object.keys(stopping) as (keyof typeof stopping)[]) {
        // (on, not once: a second Ctrl-C while a day is walked would find no listener, and kill it silently)
        process.on(signal, () => {
          heard = signal;
          stop.abort();
        });
      }
      const existed = fs.existsSync(state);
      let server: Awaited<ReturnType<typeof serveSim>>;
      try {
        server = await serveSim({ stateFile: state, walkDays: days, walk: o.walk, speed, createDir: state === defaultSimState(), onProgress: (t) => console.log(`- ${t}`), stop: stop.signal });
      } catch (e) {
        if (!(e instanceof WalkStopped)) throw e;
        // (serveSim let the lock go as it failed)
        const kept = existed ? `${state} is as it was` : `no state file was made at ${state}`;
        console.error(
          `retrostep: sim stopped (${stopping[heard]}) after walking ${e.walked_days} of ${e.days} days: none of them are kept (a pod that has walked cannot walk the rest), and ${kept}; run \`${['retrostep', ...process.argv.slice(2).map(shellWord)].join(' ')}\` again`,
        );
        process.exit(128 + os.constants.signals[heard]);
      }
      console.log(`virtual pod ${server.pod.mac} is on ${server.path} (state in ${state})`);
      // (a clock run fast has no place on this computer's: sync refuses it, sim/sped-up-clock.ts)
      if (speed > 1) {
        console.log(`its clock runs ${speed} times real time, so sync refuses it (its minutes have no place on this computer's clock); \`live\` and \`record\` work at any speed`);
        console.log(`nothing it walks or is told from now on is kept: ${state} stays as it is now`);
        console.log(`try: retrostep --port ${server.path} live      (Ctrl-C stops the pod)`);
      } else console.log(`try: retrostep --port ${server.path} sync      (Ctrl-C stops the pod)`);
      // (or its state could not be saved, a full disk: said once it is closed)
      const failure = await Promise.race([stopped.then(() => null), server.failed]);
      const { lastMinute } = await server.close();
      if (failure) throw failure;
      console.log(speed > 1 ? `virtual pod stopped; ${state} is as it was when it began serving (a pod run faster than real time keeps nothing)` : `virtual pod stopped; its records are kept in ${state}${lastMinuteKept(lastMinute)}`);
    });
}

/**
 * The stop line's word on the minute the walking pod was in as it stopped: the foot stood to its end and the pod wrote
 * it (serve.ts close); nothing when there was none (not walking, or no stride in it).
 */
function lastMinuteKept(records: MinuteRecord[]): string {
  const strides = records.reduce((n, r) => n + r.forward + r.backward, 0);
  if (strides === 0) return '';
  return `, the minute it was walking in too (${strides} stride${strides === 1 ? '' : 's'}: it stood to the minute's end and wrote it)`;
}
