/** `retrostep report`: one self-contained HTML page of a period (charts, plan, pod notices), readable offline and printable on A4. */
import type { Command } from 'commander';
import { type PeriodOptions, resolvePeriod } from '../report/period.js';
import { writeReport } from '../report/write-report.js';
import { InputError } from '../errors.js';
import { foreignEnding, refuseOutFile, STDOUT } from '../out-file.js';
import { periodOptions } from './period-options.js';
import { podIdArg } from '../pod-address.js';
import { checkPodOption, POD_OPTION_HELP, dbFile, withDb } from './db-option.js';
import { refuseLinkOptions, simStateFile } from './link-option.js';

/**
 * --out named for another kind of file (`report --out week.csv`, beside the export of the same week; `--out
 * week.fit`): the page was written under a name that opens it as the other, a spreadsheet given HTML, over the file
 * there. Refused before any work; any other ending (week.txt, week) is written as asked.
 */
function refuseOtherKind(out: string): void {
  const typed = foreignEnding(out, ['html', 'htm']);
  if (typed !== null) throw new InputError(`--out ${out} ends in .${typed}, but a report is an HTML page: name it ${out.slice(0, out.length - typed.length)}html`);
}

interface ReportOptions extends PeriodOptions {
  out: string;
  pod?: string;
}

export function registerReport(program: Command): void {
  periodOptions(
    program
      .command('report')
      .description('write an HTML report (charts, plan, pod notices) that opens offline and prints on A4 (default: the last 7 days)')
      .option('--out <file>', 'where to write it (- for standard output)', 'retrostep-report.html'),
  )
    .option('--pod <id>', POD_OPTION_HELP, podIdArg)
    .action(async (o: ReportOptions, cmd: Command) => {
      refuseLinkOptions(cmd, (pod) => `\`report\` reads the database, not ${pod}`, { database: true, keepState: true });
      if (o.out !== STDOUT) {
        refuseOutFile(o.out, dbFile(cmd), simStateFile(cmd));
        // (after it, as export does: a file that is the database or the pod's state is said to be that)
        refuseOtherKind(o.out);
      }
      await withDb(cmd, async (db, file) => {
        const period = resolvePeriod(o);
        o.pod = checkPodOption(db, file, o.pod);
        const r = await writeReport(db, period, o.out, o.pod);
        // (on standard output the page is all there is, as export's csv there)
        if (r.file === STDOUT) return;
        // (on standard error, as export and record say what they wrote: standard output is for what is asked for)
        console.error(`wrote ${r.file} (${period.label}, ${r.minutes} minute records, ${Math.round(r.bytes / 1024)} KB): open it in any browser`);
      }, { reads: true });
    });
}
