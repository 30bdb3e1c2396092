/** `retrostep export`: stored minutes as CSV, JSON or FIT (an activity per day with walking, one pod's). */
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { cannotWrite, foreignEnding, refuseKept, refuseOutFile, STDOUT, writeWhole } from '../out-file.js';
import { toCsv } from '../export/csv.js';
import { toJson } from '../export/json.js';
import { bouts, periodRecords } from '../export/records.js';
import { isOneDay, type PeriodOptions, resolvePeriod } from '../report/period.js';
import { totalsOf } from '../report/period-summary.js';
import { syncedAfterWords } from '../report/synced-after.js';
import { lastSyncOf, listPods } from '../store/db.js';
import { summarise, totals, userWeight_kg } from '../report/summary.js';
import { periodOptions } from './period-options.js';
import { podIdArg } from '../pod-address.js';
import { checkPodOption, POD_OPTION_HELP, dbFile, withDb } from './db-option.js';
import { refuseLinkOptions, simStateFile } from './link-option.js';

const FORMATS = ['csv', 'json', 'fit'];

/**
 * Minutes a pod walked before its clock was set (a reset, a new cell) are stored at the minute of the sync that
 * brought them, all in that one minute (store/sync-store.ts): their real times are not known, nor their day. A FIT
 * activity is a time line: written, they were record messages sharing one timestamp, a lap of ten minutes' strides
 * in one minute, on the sync's day. Left out of FIT, and said; summary, CSV and JSON keep them (docs/decisions.md).
 */
function untimedMinutes(n: number): string {
  return `${n} minute${n === 1 ? ' was' : 's were'} walked before the pod's clock was set, ${n === 1 ? 'its' : 'their'} time not known`;
}
const UNTIMED_KEPT = ' (CSV and JSON hold them, time_estimated 1; summary counts them)';

/**
 * --out named for another kind of file (`--format csv --out week.fit`, a README line edited by half; `--out
 * week.html`, the report's name): the file was written in --format under a name that opens it as the other, CSV
 * text in Garmin Connect, JSON in a spreadsheet. Refused before any work; a name ending in anything else (walks.txt,
 * walks) is written as asked.
 */
function refuseOtherFormat(out: string, format: string): void {
  const typed = foreignEnding(out, [format]);
  if (typed !== null) {
    const base = out.slice(0, out.length - typed.length);
    const other = FORMATS.includes(typed.toLowerCase()) ? `, or give --format ${typed.toLowerCase()}` : '';
    throw new InputError(`--out ${out} ends in .${typed}, but --format is ${format}: name it ${base}${format}${other}`);
  }
}

export function registerExport(program: Command): void {
  periodOptions(
    program
      .command('export')
      .description('write stored minutes as CSV (spreadsheets), JSON (scripts) or FIT (Garmin Connect, Strava: an activity per day with walking); default the last 7 days')
      .requiredOption('--format <csv|json|fit>', 'output format')
      .option('--out <file>', 'write here (required for fit: walks.fit, or walks-2026-11-22.fit and so on for each day of a longer period; csv and json default to standard output, as does -)'),
  )
    .option('--pod <id>', POD_OPTION_HELP, podIdArg)
    .action(async (o: PeriodOptions & { format: string; out?: string; pod?: string }, cmd: Command) => {
      refuseLinkOptions(cmd, (pod) => `\`export\` reads the database, not ${pod}`, { database: true, keepState: true });
      // (FIT and CSV are written in capitals as often as not: the same formats)
      const format = o.format.toLowerCase();
      if (!FORMATS.includes(format)) throw new InputError(`--format must be one of ${FORMATS.join(', ')}, not "${o.format}"`);
      // ("-" is standard output, as Unix tools read it; it is where csv and json go without --out)
      const out = o.out === STDOUT ? undefined : o.out;
      if (format === 'fit' && out === undefined) throw new InputError('a FIT file is binary: give --out FILE.fit');
      if (out !== undefined) refuseOutFile(out, dbFile(cmd), simStateFile(cmd));
      if (out !== undefined) refuseOtherFormat(out, format);
      const period = resolvePeriod(o);
      await withDb(cmd, async (db, file) => {
        o.pod = checkPodOption(db, file, o.pod);
        const records = periodRecords(db, period, o.pod);
        // (with --pod, whose walking is missing: other pods may have walked that period)
        const none = `no walking stored for ${period.label}${o.pod === undefined ? '' : ` by pod ${o.pod}`}`;
        if (records.length === 0 && format === 'fit') {
          // (a period every pod was synced after holds all they walked in it: "run sync first" sent its wearer looking)
          const pods = listPods(db).filter((p) => o.pod === undefined || p.pod_id === o.pod);
          throw new InputError(`${none}: nothing to put in a FIT activity (${syncedAfterWords(pods.map(lastSyncOf), period.to_s) ?? 'run `retrostep sync` first'})`);
        }
        const weight = userWeight_kg(db);
        const files: [string, string | Uint8Array][] = [];
        // the minutes written (FIT: those with a clock time), and what was left out of a FIT file
        let written = records.length;
        let untimedNote: string | null = null;
        if (format === 'csv') files.push([out ?? '', toCsv(records)]);
        else if (format === 'json') files.push([out ?? '', toJson(period, summarise(totals(db, { from_s: period.from_s, to_s: period.to_s, pod_id: o.pod }), weight), totalsOf(db, period, o.pod), records)]);
        else {
          // (minutes walked before the pod's clock was set have no time to put in an activity: left out, and said)
          const timed = records.filter((r) => !r.time_estimated);
          const untimed = records.length - timed.length;
          if (timed.length === 0) throw new InputError(`${none} with a time: ${untimedMinutes(untimed)}, so there is nothing to put in a FIT activity${UNTIMED_KEPT}`);
          if (untimed > 0) untimedNote = `${untimedMinutes(untimed)}, so ${untimed === 1 ? 'it is' : 'they are'} left out of the FIT activities${UNTIMED_KEPT}`;
          written = timed.length;
          // a FIT activity is one device's recording: laps from two pods would overlap in time
          const pods = [...new Set(timed.map((r) => r.pod_id))];
          if (pods.length > 1) throw new InputError(`${pods.length} pods have walks in ${period.label} (${pods.join(', ')}): a FIT file holds one device's activity, choose one with --pod`);
          const withKcal = bouts(timed).map((b) => ({ ...b, kcal: summarise(totals(db, { pod_id: b.pod_id, from_s: b.start_s, to_s: b.end_s }), weight).kcal }));
          // (Garmin's SDK loaded for a FIT export only, not with every command)
          const { fitActivities } = await import('../export/fit.js');
          files.push(...fitActivities(withKcal, out as string, isOneDay(period)));
        }
        // an empty CSV or JSON is still written (a script reads a valid file: the header row; zero totals, no records),
        // and said on stderr: to standard output, the header row alone came without a word, as if the walks were lost
        const held = format === 'csv' ? 'its header row only' : 'no records and totals of zero';
        const emptyNote = records.length === 0 ? `note: ${none}: ${out ?? `the ${format.toUpperCase()}`} holds ${held} (run \`retrostep sync\` first)` : null;
        if (!out) {
          process.stdout.write(files[0][1]);
          if (emptyNote) console.error(emptyNote);
          return;
        }
        // (the days' own names, refused as --out is, before any is written: walks-2026-12-01.fit could be the database;
        // a longer period walked on one day only has one such name too)
        for (const [f] of files) if (f !== out) refuseKept(f, file, simStateFile(cmd));
        for (const [i, [file, data]] of files.entries()) {
          try {
            writeWhole(file, data);
          } catch (e) {
            // (a day's file that failed after others were written: say which are there, not only which is not)
            const before = files.slice(0, i).map((f) => f[0]);
            const err = cannotWrite(file, e);
            const after = files.length - i - 1;
            if (before.length) err.message += ` (already written: ${before.join(', ')}; not written: this one${after ? ` and the ${after} after it` : ''})`;
            throw err;
          }
        }
        if (untimedNote) console.error(`note: ${untimedNote}`);
        if (files.length > 1) return void console.error(`wrote ${written} minutes (${period.label}) as ${files.length} FIT activities, one per day with walking: ${files.map((f) => f[0]).join(', ')}`);
        // ("wrote 0 minutes" said the count, not why: said as to standard output)
        if (emptyNote) return void console.error(emptyNote);
        // (a FIT file of a longer period is named by its day, not as --out)
        console.error(`wrote ${written} minutes (${period.label}) to ${files[0][0]}`);
      }, { reads: true });
    });
}
