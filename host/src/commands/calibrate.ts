/** `retrostep calibrate`: guided mount calibration (stand still, then walk forward), following the pod's state. */
import type { Command } from 'commander';
import { CAL_ACTION_QUERY, CAL_ACTION_START, CAL_DONE, CAL_GRAVITY, CAL_NONE } from '../../../shared/protocol/messages.js';
import { InputError, PodError } from '../errors.js';
import { linkOptions, stateArg, withPod } from './link-option.js';

/** How often to ask the pod how far it got (ms), and how long to wait in all. */
const POLL_MS = 500;
const GIVE_UP_MS = 120_000;

const STEP_TEXT: { [state: number]: string } = {
  [CAL_NONE]: 'stand still with both feet flat for 2 seconds...',
  [CAL_GRAVITY]: 'good. Now walk forward normally, in a straight line, 10 steps or more...',
  [CAL_DONE]: 'calibrated: the pod knows how it sits on your shoe and which way your toe points.',
};

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description('teach the pod how it sits on your shoe: stand still, then walk forward (redo it after moving the pod)')
    .option('--timeout <s>', 'give up after this many seconds', String(GIVE_UP_MS / 1000))
    .action(async (o: { timeout: string }, cmd: Command) => {
      const timeout_s = Number(o.timeout);
      if (!(timeout_s > 0 && timeout_s <= 3600)) throw new InputError(`--timeout must be a number of seconds over 0 and up to 3600, not "${o.timeout}"`);
      // (the in-process virtual pod stands still: it learnt gravity, then waited its whole timeout for steps that
      // never came, and said to walk; `sim --walk` walks, and is calibrated over its port; with the --state given,
      // which it left out: a `sim --walk` of the data folder's state walked another pod)
      const link = linkOptions(cmd);
      if (link.sim) throw new InputError(`the --sim pod stands still, so it never walks the steps calibration needs: run \`retrostep ${stateArg(link)}sim --walk\`, then \`retrostep --port PATH calibrate\` with the path it prints`);
      await withPod(cmd, async (client) => {
        let state = (await client.request('calibrate', { action: CAL_ACTION_START }, 'calibration')).state;
        let shown = -1;
        const deadline = Date.now() + timeout_s * 1000;
        for (;;) {
          if (state !== shown) console.log(STEP_TEXT[state] ?? `calibration state ${state}`);
          shown = state;
          if (state === CAL_DONE) return;
          if (Date.now() > deadline) throw new PodError('calibration did not finish: stand still for 2 s, then walk forward in a straight line, and run it again');
          await new Promise((r) => setTimeout(r, POLL_MS));
          state = (await client.request('calibrate', { action: CAL_ACTION_QUERY }, 'calibration')).state;
        }
      });
    });
}
