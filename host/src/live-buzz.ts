/** A live `buzzed` frame as a person reads it: what `live` prints and the `retrostep web` page lists. */
import { coachStrides, type PodConfig } from '../../shared/protocol/config.js';
import { BUZZ_PATTERNS } from './buzz-patterns.js';

export interface LiveBuzz {
  kind: 'buzz';
  /** the pattern's name as `retrostep buzz` takes it (wrong, prompt, done, goal, battery), or "pattern N" for one this retrostep does not know */
  pattern: string;
  /** what the buzz asks or says, for a person */
  meaning: string;
}

/** The settings a buzz's meaning quotes, as the pod holds them (config_get). */
export type BuzzSettings = Pick<PodConfig, 'coach_steps' | 'daily_goal_min'>;

export function toBuzz(pattern: number, settings: BuzzSettings): LiveBuzz {
  const name = Object.keys(BUZZ_PATTERNS).find((k) => BUZZ_PATTERNS[k] === pattern) ?? `pattern ${pattern}`;
  return { kind: 'buzz', pattern: name, meaning: meaningOf(name, settings) };
}

function meaningOf(name: string, s: BuzzSettings): string {
  const steps = 2 * coachStrides(s.coach_steps);
  // (coach off, a prompt or done comes only from `buzz`'s test: no figure to quote)
  const backwardSteps = steps > 0 ? `${steps} backward steps` : 'your backward steps';
  switch (name) {
    case 'wrong':
      return 'that stride was wrong gait';
    case 'prompt':
      return `walk ${backwardSteps}`;
    case 'done':
      return `${backwardSteps} counted`;
    case 'goal':
      return `daily goal reached: ${s.daily_goal_min} backward minute${s.daily_goal_min === 1 ? '' : 's'} today`;
    case 'battery':
      return 'the battery is low: replace its CR2032';
  }
  return 'a buzz this retrostep does not know: update retrostep';
}

/**
 * Whether a person's live view gives the buzz a line of its own. Not the wrong-gait buzz: its stride's line says
 * WRONG (the pod sends the buzz just before that stride), and a second line for it would double every wrong
 * stride. --json has every buzz, the wrong one too: a program can tell a WRONG stride that buzzed from one
 * that did not (buzz_on 0, or the motor still playing a prompt).
 */
export function buzzHasLine(b: LiveBuzz): boolean {
  return b.pattern !== 'wrong';
}
