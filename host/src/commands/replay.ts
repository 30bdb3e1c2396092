/** `retrostep replay FILE.csv`: a recording through the same gait engine the pod runs. */
import { type Command, Option } from 'commander';
import { formatReplay, replayFile } from '../replay/report.js';
import { anyCaseChoice } from './any-case-choice.js';
import { refuseLinkOptions } from './link-option.js';

/** Version of the `replay --json` shape. 2: every key snake_case, as sync, summary and export's (1 had labelTimes, and score's directionCorrect, firstLabelled, firstCorrect, unlabelledFound, unlabelledMissed, labelledMatched). */
const REPLAY_JSON_VERSION = 2;

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('run a recording (retrostep record CSV, see test/fixtures/README.md) through the gait engine: a stride table, and accuracy when it has labels')
    .argument('<file>', 'recording CSV')
    .option('--json', 'machine-readable output')
    .option('--native-rate', 'feed the engine the samples as recorded (default: a recording faster than the pod\'s 52 Hz is averaged down to it)')
    .addOption(new Option('--first-walk <way>', 'which way the recording\'s first walk went: the pod learns how it sits from it (default: the metadata\'s first_walk, else forward)').choices(['forward', 'backward']).argParser(anyCaseChoice(['forward', 'backward'])))
    .action(async (file: string, o: { json?: boolean; nativeRate?: boolean; firstWalk?: 'forward' | 'backward' }, cmd: Command) => {
      refuseLinkOptions(cmd, (pod) => `\`replay\` reads a recording, not ${pod}`);
      const r = replayFile(file, { nativeRate: o.nativeRate, firstWalk: o.firstWalk });
      console.log(o.json ? JSON.stringify({ schema_version: REPLAY_JSON_VERSION, ...r }) : formatReplay(r));
    });
}
