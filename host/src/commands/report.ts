/** `retrostep report`: one self-contained HTML page of a period (charts, plan, pod notices), readable offline and printable on A4. */
import type { Command } from 'commander';
import { resolvePeriod } from '../report/period.js';
import { writeReport } from '../report/write-report.js';
import { refuseOutFile } from '../out-file.js';
import { checkPodOption, dbFile, withDb } from './db-option.js';

interface ReportOptions {
  out: string;
  day?: string | boolean;
  week?: string | boolean;
  month?: string | boolean;
  from?: string;
  to?: string;
  pod?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write an HTML report (charts, plan, pod notices) that opens offline and prints on A4 (default: the last 7 days)')
    .option('--out <file>', 'where to write it', 'retrostep-report.html')
    .option('--day [date]', 'one day (default today), e.g. 2026-11-23')
    .option('--week [date]', 'the 7 days ending on this date (default today)')
    .option('--month [month]', 'a calendar month (default this one), e.g. 2026-11')
    .option('--from <date>', 'from this day')
    .option('--to <date>', 'up to and including this day')
    .option('--pod <id>', 'one pod only')
    .action(async (o: ReportOptions, cmd: Command) => {
      refuseOutFile(o.out, dbFile(cmd));
      await withDb(cmd, async (db, file) => {
        const period = resolvePeriod(o);
        checkPodOption(db, file, o.pod);
        const r = await writeReport(db, period, o.out, o.pod);
        console.log(`wrote ${r.file} (${period.label}, ${r.minutes} minute records, ${Math.round(r.bytes / 1024)} KB): open it in any browser`);
      });
    });
}
