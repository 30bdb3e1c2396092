/** The period options of summary, report and export: one wording, so `--help` reads the same in each. */
import type { Command } from 'commander';

export function periodOptions(cmd: Command): Command {
  return cmd
    .option('--day [date]', 'one day (default today), e.g. 2026-11-23')
    .option('--week [date]', 'the 7 days ending on this date (default today)')
    .option('--month [month]', 'a calendar month (default this one), e.g. 2026-11')
    .option('--from <date>', 'from this day')
    .option('--to <date>', 'up to and including this day');
}
