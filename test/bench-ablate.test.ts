/**
 * `npm run bench ablate` (bench/ablate.ts) takes each of the gait engine's rules out of a copy of the
 * sources by an edit (bench/ablations.ts): each edit must still find its rule's code, once, in the sources
 * as they are, or the bench would measure nothing; and what moved is sorted the right way.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { moved } from '../bench/ablate.js';
import { ABLATIONS, ablated } from '../bench/ablations.js';

describe('each rule the ablate bench takes out', () => {
  for (const a of ABLATIONS) {
    it(`${a.rule}: its code is in ${a.file} exactly once, and the edit changes it`, () => {
      const source = fs.readFileSync(a.file, 'utf8');
      expect(ablated(source, a)).not.toBe(source);
    });
  }
  it('the rules are all different edits', () => {
    expect(new Set(ABLATIONS.map((a) => a.rule)).size).toBe(ABLATIONS.length);
    expect(new Set(ABLATIONS.map((a) => `${a.file}\n${a.find}\n${a.replace}`)).size).toBe(ABLATIONS.length);
  });
});

it('an edit whose text is not there, or is there twice, is refused by name', () => {
  const a = { rule: 'a rule', file: 'f.ts', find: 'x > 1', replace: 'false' };
  expect(ablated('if (x > 1) y();', a)).toBe('if (false) y();');
  expect(() => ablated('if (x > 2) y();', a)).toThrow(/a rule.*not in f\.ts/);
  expect(() => ablated('x > 1; x > 1;', a)).toThrow(/more than once/);
});

it('what moved: fewer found, heel first or same steps is worse; more extra, wrong, false strides or steps changed is worse', () => {
  const base = {
    'voisard 52 Hz found': 1552,
    'voisard 52 Hz extra': 14,
    'voisard 52 Hz heel first': 1451,
    'voisard 52 Hz direction wrong': 1,
    'simulator varied 26 Hz class wrong': 20,
    'non-walking 52 Hz false strides': 2,
    'gaitmap sensor errors same steps': 121,
    'gaitmap sensor errors steps changed': 54,
    'gaitmap found': 429,
  };
  const worse = { ...base, 'voisard 52 Hz found': 1550, 'voisard 52 Hz heel first': 1440, 'voisard 52 Hz direction wrong': 2, 'simulator varied 26 Hz class wrong': 21, 'non-walking 52 Hz false strides': 5, 'gaitmap sensor errors same steps': 120, 'gaitmap sensor errors steps changed': 60, 'voisard 52 Hz extra': 15 };
  const m = moved(base, worse);
  expect(m.better).toEqual([]);
  expect(m.worse).toHaveLength(8);
  expect(m.worse).toContain('voisard 52 Hz found 1552 -> 1550');
  expect(m.worse).toContain('gaitmap sensor errors steps changed 54 -> 60');
  // each the other way is better
  const better = Object.fromEntries(Object.entries(worse).map(([k, v]) => [k, 2 * base[k as keyof typeof base] - v]));
  expect(moved(base, better).worse).toEqual([]);
  expect(moved(base, better).better).toHaveLength(8);
  expect(moved(base, { ...base })).toEqual({ worse: [], better: [] });
});
