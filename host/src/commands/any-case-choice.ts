/**
 * A word chosen from a list, taken in any case (`buzz WRONG`, `--first-walk Backward`), as `--format FIT` and
 * `config set COACH_STEPS` are: commander's own choices() refused them, though the word was plain.
 */
import { InvalidArgumentError } from 'commander';

/** A commander argParser for one of `choices`, compared in lower case; the word as listed is what the command gets. */
export function anyCaseChoice(choices: readonly string[]): (value: string) => string {
  return (value) => {
    const word = value.toLowerCase();
    // (commander's own words, so the line reads as every other refused choice)
    if (!choices.includes(word)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return word;
  };
}
