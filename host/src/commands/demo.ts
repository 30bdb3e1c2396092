/** `retrostep demo`: parse, run the demo, print the summary next to the script's truth. */
import type { Command } from 'commander';
import { runDemo } from '../demo.js';
import { InputError } from '../errors.js';
import { formatSummary, userWeight_kg } from '../report/summary.js';
import { withDb } from './db-option.js';
import { shellWord } from '../shell-word.js';
import { onStoppingSignals, quietIfHungUp, STOPPING_SIGNALS, type StoppingSignal, stoppedExitCode } from '../stopping-signals.js';
import { refuseLinkOptions, THE_VIRTUAL_POD } from './link-option.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('walk a scripted 10-minute session with a virtual pod (no hardware), sync it and summarise it')
    .option('--seed <n>', 'walker seed (another walk, same script)', '1')
    .action(async (opts: { seed: string }, cmd: Command) => {
      refuseLinkOptions(cmd, (pod) => `\`demo\` walks a virtual pod of its own, not ${pod === THE_VIRTUAL_POD ? 'this one' : pod}`);
      // the walker's seed is 32 bits (sim/random.ts)
      const seed = /^\d{1,10}$/.test(opts.seed) ? Number(opts.seed) : NaN;
      if (!(seed <= 0xffffffff)) throw new InputError(`--seed must be a whole number from 0 to ${0xffffffff}, not "${opts.seed}"`);
      await withDb(cmd, async (db, file) => {
        // Ctrl-C ended the demo without a word (exit 130), where a command stopped so says what it had done (README);
        // SIGTERM and SIGHUP too (exit 143, 129). Its sync is one transaction (demo.ts): until it has ended, the
        // database holds any earlier demo's walk as it was.
        let stored = false;
        const interrupted = (signal: StoppingSignal) => {
          quietIfHungUp(signal);
          const how = STOPPING_SIGNALS[signal];
          console.error(
            stored
              ? `retrostep: demo stopped (${how}) after its walk was stored in ${file} (\`retrostep summary\` shows it)`
              : `retrostep: demo stopped (${how}) before its walk was stored: nothing of it is in ${file}, and any earlier demo's walk there is as it was; run \`${['retrostep', ...process.argv.slice(2).map(shellWord)].join(' ')}\` again`,
          );
          process.exit(stoppedExitCode(signal));
        };
        // (listened for until the process ends: let go as the demo returned, a Ctrl-C as its summary was printed found no
        // listener and ended the process there, exit 130, the summary cut off and no line)
        onStoppingSignals(interrupted);
        // (the weight `config set weight_kg` keeps, as summary and report take it: the demo said 70 kg beside them)
        const r = await runDemo(db, { seed, weight_kg: userWeight_kg(db), onStage: (s) => console.log(`- ${s}`), onStored: () => (stored = true) });
        const { truth, sync, summary } = r;
        const was = r.replaced ? ` (they replace the last demo's ${r.replaced}: each demo is a new walk)` : '';
        console.log(`- synced pod ${sync.pod_id} into ${file}: ${sync.added} minute records${was}`);
        console.log('');
        console.log(formatSummary(summary, `Demo session (${(r.duration_ms / 60000).toFixed(1)} simulated minutes, pod ${sync.pod_id})`));
        console.log('');
        console.log(`  script truth         forward ${truth.forward}, backward ${truth.backward}, wrong-gait ${truth.wrong}`);
        console.log(`  motor buzzes         ${r.buzzes} (felt by the walker)`);
        console.log(`  ran in ${(r.wall_ms / 1000).toFixed(1)} s`);
        // (Node hands a signal to its listener only at a turn of the event loop, and the lines above are written at
        // once: one landing as they were was dropped as the process ended. This turn hands it on, said as any other)
        await new Promise((resolve) => setImmediate(resolve));
      }, { writes: true });
    });
}
