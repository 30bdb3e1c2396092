/** `retrostep sim`: serve a virtual pod on a pseudo-terminal until Ctrl-C. */
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { defaultSimState } from '../link.js';
import { serveSim } from '../sim/serve.js';
import { refuseLinkOptions, simStateFile, THE_VIRTUAL_POD } from './link-option.js';

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run a virtual pod (the real firmware, no hardware) that other retrostep commands reach with --port')
    .option('--walk-days <n>', 'first walk this many simulated days (ending today, or yesterday just after midnight) so there is something to sync (a pod that has not walked yet)', '0')
    .option('--walk', 'keep walking while serving (the demo walk, over and over): for `live` and `record`')
    .option('--speed <x>', 'run the pod this many times faster than real time', '1')
    .action(async (o: { walkDays: string; walk?: boolean; speed: string }, cmd: Command) => {
      // (--sim: sim runs that same pod; --port and --ble: sim makes a port of its own, and reaches no pod)
      refuseLinkOptions(cmd, (pod) => (pod === THE_VIRTUAL_POD ? '`sim` runs the virtual pod itself, on a pseudo-terminal the other commands reach with --port' : `\`sim\` runs the virtual pod on a new pseudo-terminal, not ${pod}`), { keepState: true });
      const speed = Number(o.speed);
      if (!(speed >= 0.1 && speed <= 1000)) throw new InputError(`--speed must be a number from 0.1 to 1000, not "${o.speed}"`);
      // (digits only: Number() read "" as 0, a script's unset variable walking nothing, and 0x10 as 16)
      const days = /^\d{1,2}$/.test(o.walkDays) ? Number(o.walkDays) : NaN;
      if (!Number.isInteger(days) || days < 0 || days > 60) throw new InputError(`--walk-days must be a whole number from 0 to 60, not "${o.walkDays}"`);
      const state = simStateFile(cmd);
      const server = await serveSim({ stateFile: state, walkDays: days, walk: o.walk, speed, createDir: state === defaultSimState(), onProgress: (t) => console.log(`- ${t}`) });
      // (Ctrl-C is caught before the path is printed: one sent as soon as it shows must not kill the process)
      const stopped = new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      console.log(`virtual pod ${server.pod.mac} is on ${server.path} (state in ${state})`);
      // (a clock run fast has no place on this computer's: sync refuses it, sim/sped-up-clock.ts)
      if (speed > 1) {
        console.log(`its clock runs ${speed} times real time, so sync refuses it (its minutes have no place on this computer's clock); \`live\` and \`record\` work at any speed`);
        console.log(`try: retrostep --port ${server.path} live      (Ctrl-C stops the pod)`);
      } else console.log(`try: retrostep --port ${server.path} sync      (Ctrl-C stops the pod)`);
      // (or its state could not be saved, a full disk: said once it is closed)
      const failure = await Promise.race([stopped.then(() => null), server.failed]);
      await server.close();
      if (failure) throw failure;
      console.log('virtual pod stopped; its records are kept in ' + state);
    });
}
