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
      const edited = ablated(source, a);
      expect(edited).not.toBe(source);
      expect(edited.length).toBe(source.length - a.find.length + a.replace.length);
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

it('what moved: fewer found is worse, more extra or false strides is worse, the rest better', () => {
  const base = { 'voisard 52 Hz found': 1552, 'voisard 52 Hz extra': 14, 'non-walking 52 Hz false strides': 2, 'gaitmap found': 429 };
  const m = moved(base, { 'voisard 52 Hz found': 1550, 'voisard 52 Hz extra': 12, 'non-walking 52 Hz false strides': 5, 'gaitmap found': 429 });
  expect(m.worse).toEqual(['voisard 52 Hz found 1552 -> 1550', 'non-walking 52 Hz false strides 2 -> 5']);
  expect(m.better).toEqual(['voisard 52 Hz extra 14 -> 12']);
  expect(moved(base, { ...base })).toEqual({ worse: [], better: [] });
});
