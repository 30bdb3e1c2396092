/** The period options of summary, report and export: one wording, so `--help` reads the same in each. */
import { type Command, InvalidArgumentError } from 'commander';

/**
 * A period flag given twice (`--day 2026-11-23 --day 2026-11-24`, a script's flags and a typed one) is refused:
 * commander keeps the last without a word, and the figures would be of a period the user may not have meant.
 * (The program's --db, --port and --state are refused so too: cli.ts.)
 */
export function once(flag: string): (value: string, previous: string | boolean | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError(`${flag} was given twice (${previous === true ? 'once with no date' : previous}, then ${value}): give it once`);
    return value;
  };
}

export function periodOptions(cmd: Command): Command {
  return cmd
    .option('--day [date]', 'one day (default today), e.g. 2026-11-23', once('--day'))
    .option('--week [date]', 'the 7 days ending on this date (default today)', once('--week'))
    .option('--month [month]', 'a calendar month (default this one), e.g. 2026-11', once('--month'))
    .option('--from <date>', 'from this day', once('--from'))
    .option('--to <date>', 'up to and including this day', once('--to'));
}
