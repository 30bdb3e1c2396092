/**
 * Direction, first contact and the wrong-gait rule (shared/gait/contact.ts):
 * the sign of the travel along the toe, the toe's pitch at the landing
 * against the class borders, and which (direction, first contact) pairs buzz.
 */
import { describe, expect, it } from 'vitest';
import { FLAT_PITCH_DEG } from '../shared/gait/constants.js';
import {
  DIR_BACKWARD,
  DIR_FORWARD,
  DIR_UNKNOWN,
  directionOf,
  FIRST_FLAT,
  FIRST_HEEL,
  FIRST_TOE,
  firstContactOf,
  isWrongGait,
  WRONG_BACKWARD_FLAT,
  WRONG_BACKWARD_HEEL,
  WRONG_DEFAULT,
  WRONG_FORWARD_FLAT,
  WRONG_FORWARD_TOE,
} from '../shared/gait/contact.js';
import { CONTACT_FLAT, CONTACT_HEEL, CONTACT_TOE, DIRECTION_BACKWARD, DIRECTION_FORWARD, DIRECTION_UNKNOWN } from '../shared/protocol/messages.js';

describe('direction', () => {
  it('travel toward the toe is forward, away from it backward', () => {
    expect(directionOf(0.8)).toBe(DIR_FORWARD);
    expect(directionOf(0.01)).toBe(DIR_FORWARD);
    expect(directionOf(-0.01)).toBe(DIR_BACKWARD);
    expect(directionOf(-0.8)).toBe(DIR_BACKWARD);
  });
});

describe('first contact from the toe pitch at the landing', () => {
  const d = 0.1;
  it('toe up at least FLAT_PITCH_DEG: the heel landed first', () => {
    expect(firstContactOf(FLAT_PITCH_DEG + d)).toBe(FIRST_HEEL);
    expect(firstContactOf(25)).toBe(FIRST_HEEL);
    expect(firstContactOf(FLAT_PITCH_DEG - d)).toBe(FIRST_FLAT);
  });

  it('toe down FLAT_PITCH_DEG or more: the toe landed first', () => {
    expect(firstContactOf(-FLAT_PITCH_DEG - d)).toBe(FIRST_TOE);
    expect(firstContactOf(-20)).toBe(FIRST_TOE);
    expect(firstContactOf(-FLAT_PITCH_DEG + d)).toBe(FIRST_FLAT);
  });

  it('in between: flat', () => {
    expect(firstContactOf(0)).toBe(FIRST_FLAT);
  });

  it('a pitch of exactly FLAT_PITCH_DEG either way is not flat: heel up, toe down', () => {
    expect(firstContactOf(FLAT_PITCH_DEG)).toBe(FIRST_HEEL);
    expect(firstContactOf(-FLAT_PITCH_DEG)).toBe(FIRST_TOE);
  });
});

describe('wrong gait', () => {
  const dirs = [DIR_FORWARD, DIR_BACKWARD, DIR_UNKNOWN];
  const firsts = [FIRST_HEEL, FIRST_FLAT, FIRST_TOE];
  /** The pairs each rule bit names. */
  const pairOf: [number, number, number][] = [
    [WRONG_BACKWARD_HEEL, DIR_BACKWARD, FIRST_HEEL],
    [WRONG_BACKWARD_FLAT, DIR_BACKWARD, FIRST_FLAT],
    [WRONG_FORWARD_TOE, DIR_FORWARD, FIRST_TOE],
    [WRONG_FORWARD_FLAT, DIR_FORWARD, FIRST_FLAT],
  ];

  it('by default only a backward step landing on the heel is wrong', () => {
    for (const dir of dirs) for (const first of firsts) expect(isWrongGait(dir, first, WRONG_DEFAULT), `${dir} ${first}`).toBe(dir === DIR_BACKWARD && first === FIRST_HEEL);
  });

  it('every combination of rule bits buzzes exactly the pairs its bits name, and nothing with an unknown direction', () => {
    for (let rule = 0; rule < 16; rule++) {
      for (const dir of dirs) {
        for (const first of firsts) {
          const named = pairOf.some(([bit, d, f]) => (rule & bit) !== 0 && d === dir && f === first);
          expect(isWrongGait(dir, first, rule), `rule ${rule}, direction ${dir}, first ${first}`).toBe(named);
        }
      }
    }
  });

  it('the four rule bits are distinct single bits (the config stores them in one byte)', () => {
    const bits = pairOf.map(([b]) => b);
    expect(new Set(bits).size).toBe(4);
    for (const b of bits) expect(b & (b - 1)).toBe(0);
    expect(bits.reduce((a, b) => a | b, 0)).toBeLessThan(256);
  });
});

it('direction and first-contact codes are the protocol numbers, so an event goes on the wire unchanged', () => {
  expect([DIR_UNKNOWN, DIR_FORWARD, DIR_BACKWARD]).toEqual([DIRECTION_UNKNOWN, DIRECTION_FORWARD, DIRECTION_BACKWARD]);
  expect([FIRST_FLAT, FIRST_HEEL, FIRST_TOE]).toEqual([CONTACT_FLAT, CONTACT_HEEL, CONTACT_TOE]);
});
