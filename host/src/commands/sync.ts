/** `retrostep sync`: copy the pod's minute records into the database (resumable, idempotent), with a progress bar. */
import type { Command } from 'commander';
import { syncPod } from '../sync.js';
import { newMinutesText, type SyncProgress } from '../sync-records.js';
import { shellWord } from '../shell-word.js';
import { onStoppingSignals, quietIfHungUp, STOPPING_SIGNALS, type StoppingSignal, stoppedExitCode } from '../stopping-signals.js';
import { type SyncSoFar, syncStoppedBy, syncStoppedLine } from '../sync-stopped.js';
import { progressBar } from '../progress-bar.js';
import { checkedDbFile, withDbFile } from './db-option.js';
import { calibrateAdvice, noteNewSimPod, withPod } from './link-option.js';

/** Version of the `sync --json` shape. 2: every key snake_case (1 had alreadyStored, clockSet, firstSeq, nextSeq). */
const SYNC_JSON_VERSION = 2;

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description("copy the pod's minute records into the database, set its clock, then free them on the pod (safe to interrupt and repeat)")
    .option('--json', 'print the result as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      // the pod first, the database once it answers: a link that failed (a wrong --port) left a new, empty database
      // behind under the --db named. (The database's name is checked before: a slip is said at once.)
      const dbFile = checkedDbFile(cmd, { writes: true });
      await withPod(cmd, (client, link) =>
        withDbFile(dbFile, async (db, file) => {
          noteNewSimPod(cmd, link);
          // (with --json, no bar: its one line is the whole output)
          const bar = progressBar('syncing', 'minutes', !!process.stderr.isTTY && !o.json);
          let copied: SyncProgress | null = null;
          // notes known before any minute is copied: printed at once (a sync cut later would not find them again),
          // or with --json, whose one line comes at the end, written to stderr if the sync stops before it
          const early: string[] = [];
          const told = new Set<string>();
          const tellEarly = () => {
            for (const n of early.splice(0)) console.error(`note: ${n}`);
          };
          // how far a sync that stops part way got, and what to run for the rest (the command as it was typed: a bare
          // `retrostep sync` looked for a pod over Bluetooth, and stored into the data folder's database, after a sync
          // of --port or --sim into a --db)
          const soFar = (): SyncSoFar => ({ copied, file, again: ['retrostep', ...process.argv.slice(2).map(shellWord)].join(' ') });
          // Ctrl-C mid-sync ended it without a word (exit 130): said, with what was copied. Nothing is lost
          // either way: each batch is stored before the pod frees it, and the next sync goes on from there.
          // SIGTERM (a kill, `timeout`) and SIGHUP are said the same way: over --port and --ble they ended it
          // silently, and over --sim the link's general line did not say how far it got.
          const interrupted = (signal: StoppingSignal) => {
            quietIfHungUp(signal);
            bar.stop();
            tellEarly();
            console.error(`retrostep: ${syncStoppedLine(soFar(), { signal: STOPPING_SIGNALS[signal] })}`);
            try {
              link.abandon?.();
            } catch (e) {
              console.error(`retrostep: ${(e as Error).message}`);
            }
            process.exit(stoppedExitCode(signal));
          };
          const stopListening = onStoppingSignals(interrupted);
          try {
            const r = await syncPod(client, db, {
              calibrateAdvice: calibrateAdvice(cmd),
              onProgress: (p) => {
                copied = p;
                bar.update(p.done, p.total);
              },
              onNotice: (n) => {
                if (o.json) early.push(n);
                else (console.log(`note: ${n}`), told.add(n));
              },
            });
            early.length = 0;
            bar.stop();
            if (o.json) console.log(JSON.stringify({ schema_version: SYNC_JSON_VERSION, link: link.description, database: file, ...r }));
            else {
              console.log(`synced ${r.pod_id} over ${link.description}: ${newMinutesText(r.added)}, ${r.already_stored + r.received - r.added} already in ${file}${r.skipped ? `, ${r.skipped} unreadable (torn by a reset) skipped` : ''}${r.clock_set ? '; pod clock set' : ''}`);
              for (const n of r.notices) if (!told.has(n)) console.log(`note: ${n}`);
            }
          } catch (e) {
            tellEarly();
            // stopped with minutes left to copy (a database locked by another program, its disk full, the pod lost): said
            // with how far it got, as Ctrl-C is (each said "locked ... try again", "lost the pod mid-way" alone)
            const stopped = syncStoppedBy(e, soFar());
            if (stopped) throw stopped;
            throw e;
          } finally {
            stopListening();
            bar.stop();
          }
        }),
      );
    });
}
