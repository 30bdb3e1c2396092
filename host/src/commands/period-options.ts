/** The period options of summary, report and export: one wording, so `--help` reads the same in each. */
import type { Command } from 'commander';
import { givenTwice, InputError } from '../errors.js';

const PERIOD_FLAGS: [flags: string, description: string][] = [
  ['--day [date]', 'one day (default today), e.g. 2026-11-23'],
  ['--week [date]', 'the 7 days ending on this date (default today)'],
  ['--month [month]', 'a calendar month (default this one), e.g. 2026-11'],
  ['--from <date>', 'from this day'],
  ['--to <date>', 'up to and including this day'],
];

/**
 * A period flag given twice (`--day 2026-11-23 --day 2026-11-24`, a script's flags and a typed one) is refused:
 * commander keeps the last without a word, and the figures would be of a period the user may not have meant.
 * Said in our one line, as the program's --db, --port and --state given twice are (cli.ts): an InputError, where
 * commander wrapped its InvalidArgumentError in "option '--day [date]' argument '...' is invalid." and a usage
 * hint. Counted as commander reads each one (its option event), not in an argument parser: commander calls none
 * for a flag given without its optional date, so `--month 2026-11 --month` read this month without a word.
 */
function refuseGivenTwice(cmd: Command, flag: string): void {
  const given: (string | null)[] = [];
  cmd.on(`option:${flag.slice(2)}`, (value?: string | null) => {
    given.push(value ?? null);
    if (given.length < 2) return;
    const [first, then] = given;
    if (first === null && then === null) throw new InputError(`${flag} was given twice, with no date both times: give it once`);
    throw givenTwice(flag, [first ?? 'once with no date', then ?? 'with no date']);
  });
}

export function periodOptions(cmd: Command): Command {
  for (const [flags, description] of PERIOD_FLAGS) {
    cmd.option(flags, description);
    refuseGivenTwice(cmd, flags.split(' ')[0]);
  }
  return cmd;
}
