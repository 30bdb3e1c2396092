/** `retrostep record --out FILE.csv`: raw IMU from the pod to a labelled recording, until Ctrl-C, "q" or --seconds. */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { foreignEnding, refuseOutFile, STDOUT } from '../out-file.js';
import { lostPod } from '../pod-client.js';
import { firstWalkNote, LABEL_KEYS, startRecording, untypedLabelsNote } from '../record.js';
import { untilStopped } from '../until-stopped.js';
import { simStateFile, standingSimNote, withPod } from './link-option.js';
import { dbFile } from './db-option.js';
import { shellWord } from '../shell-word.js';

/** --out named for another kind of file (`record --out walk.fit`): refused before the pod is reached. */
function refuseOtherFormat(out: string): void {
  const typed = foreignEnding(out, ['csv']);
  if (typed !== null) {
    throw new InputError(`--out ${out} ends in .${typed}, but a recording is CSV: name it ${out.slice(0, out.length - typed.length)}csv`);
  }
}

export function registerRecord(program: Command): void {
  program
    .command('record')
    .description('record the raw IMU to a CSV for replay and the fixtures; type what you do and Enter as you go (f forward, b backward, bh backward heel-first, ft forward toe-first, ff and bf flat, s standing)')
    .requiredOption('--out <file>', 'recording CSV to write')
    .option('--seconds <n>', 'stop after this long')
    .option('--force', 'write over --out if it is there')
    .action(async (o: { out: string; seconds?: string; force?: boolean }, cmd: Command) => {
      const seconds = o.seconds === undefined ? Infinity : Number(o.seconds);
      if (!(seconds > 0)) throw new InputError(`--seconds must be a positive number, not "${o.seconds}"`);
      // ("-", standard output to export and report: here it made a file named "-" in the current folder)
      if (o.out === STDOUT) throw new InputError('--out -: a recording is written to a file, for replay to read: give a name, e.g. --out walk.csv');
      // (a folder, or the database: not as a file --force would write over; another recording is, with --force)
      refuseOutFile(o.out, dbFile(cmd), simStateFile(cmd), { overRecording: true });
      // (after it, as export does: a file that is the database or the pod's state is said to be that)
      refuseOtherFormat(o.out);
      // a recording cannot be made again: never write over one unasked
      if (!o.force && fs.existsSync(o.out)) throw new InputError(`${o.out} is there already: pick another --out, or --force to write over it`);
      await withPod(cmd, async (client, link) => {
        const info = await client.request('hello', {}, 'info');
        const session = await startRecording(client, o.out, { pod_id: info.pod_id });
        // (Ctrl-C caught before the prompt is shown: one sent as soon as it shows must not kill the recording; the
        // link closes on its own only when the pod went away: we close it after this)
        const wait = untilStopped(link.transport, seconds);
        // (a file that cannot take more, a full disk: the recording stops there, what it holds kept)
        void session.failed.then(() => wait.stop());
        console.error(`recording from ${link.description} to ${o.out}. Type and Enter: ${Object.keys(LABEL_KEYS).join(', ')} (f forward, b backward, bh backward heel-first, s standing); q to stop. Now labelling: ${session.current ?? 'nothing (standing)'}`);
        const still = standingSimNote(cmd, `record --out ${shellWord(o.out)}`, 'this records it standing');
        if (still) console.error(still);
        const rl = readline.createInterface({ input: process.stdin, terminal: false });
        rl.on('line', (line) => {
          // (in any case, as the labels are: "Q" with caps lock on was "not a key", and the recording went on)
          if (line.trim().toLowerCase() === 'q') return wait.stop();
          if (!session.type(line)) console.error(`"${line.trim()}"? keys: ${Object.keys(LABEL_KEYS).join(', ')}, q`);
          else console.error(`now labelling: ${session.current ?? 'nothing (standing)'}`);
        });
        const lost = await wait.ended;
        rl.close();
        await session.stop(); // what came before the loss is kept
        if (session.failure) throw new InputError(`${session.failure.message}: the recording stopped there: ${o.out} holds the samples up to then`);
        if (lost) throw lostPod(lost.error, `the recording ended early: ${o.out} holds the ${session.samples} samples and ${session.labels} labelled contacts up to then`);
        console.error(`wrote ${session.samples} samples and ${session.labels} labelled contacts to ${o.out}`);
        for (const note of [untypedLabelsNote(o.out, session), firstWalkNote(o.out, session.firstWay)]) if (note) console.error(note);
      });
    });
}
