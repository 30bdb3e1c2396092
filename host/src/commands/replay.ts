/** `retrostep replay FILE.csv`: a recording through the same gait engine the pod runs. */
import type { Command } from 'commander';
import { formatReplay, replayFile } from '../replay/report.js';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('run a recording (retrostep record CSV, see test/fixtures/README.md) through the gait engine: a stride table, and accuracy when it has labels')
    .argument('<file>', 'recording CSV')
    .option('--json', 'machine-readable output')
    .option('--native-rate', 'feed the engine the samples as recorded (default: a recording faster than the pod\'s 52 Hz is averaged down to it)')
    .action(async (file: string, o: { json?: boolean; nativeRate?: boolean }) => {
      const r = replayFile(file, { nativeRate: o.nativeRate });
      console.log(o.json ? JSON.stringify({ schema_version: 1, ...r }) : formatReplay(r));
    });
}
