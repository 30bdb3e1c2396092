/** `retrostep buzz`: play a haptic pattern on the pod (test the motor). */
import { Argument, type Command } from 'commander';
import { anyCaseChoice } from './any-case-choice.js';
import { withPod } from './link-option.js';
import { BUZZ_PATTERNS } from '../buzz-patterns.js';

export function registerBuzz(program: Command): void {
  program
    .command('buzz')
    .description('test the motor: play one of the pod\'s patterns (wrong, prompt, done, goal, battery)')
    .addArgument(new Argument('[pattern]', 'which pattern').choices(Object.keys(BUZZ_PATTERNS)).argParser(anyCaseChoice(Object.keys(BUZZ_PATTERNS))).default('wrong'))
    .action(async (pattern: string, _o: unknown, cmd: Command) => {
      const id = BUZZ_PATTERNS[pattern];
      await withPod(cmd, async (client, link) => {
        await client.request('buzz', { pattern: id }, 'ok');
        console.log(`buzzed "${pattern}" on the pod over ${link.description}`);
      });
    });
}
