/**
 * Stage: direction and first contact. Direction is the sign of the stride's
 * travel along the toe axis; the first-contact class comes from the toe's
 * pitch at the landing against the stance it left (toe up: the heel landed
 * first). Which (direction, class) pairs are wrong gait is the user's rule.
 */
import { FLAT_PITCH_DEG } from './constants.js';

/** Same numbers as the protocol's DIRECTION_* and CONTACT_* so events go on the wire unchanged. */
export const DIR_UNKNOWN = 0;
export const DIR_FORWARD = 1;
export const DIR_BACKWARD = 2;
export const FIRST_FLAT = 0;
export const FIRST_HEEL = 1;
export const FIRST_TOE = 2;

/** Wrong-gait rule bits: which (direction, first contact) pairs get a buzz. */
export const WRONG_BACKWARD_HEEL = 1;
export const WRONG_BACKWARD_FLAT = 2;
export const WRONG_FORWARD_TOE = 4;
export const WRONG_FORWARD_FLAT = 8;
/** The classic beginner error: reaching back with the heel. */
export const WRONG_DEFAULT = WRONG_BACKWARD_HEEL;

/** Travel along the toe axis (m, forward +) to a direction. */
export function directionOf(along_m: number): number {
  return along_m >= 0 ? DIR_FORWARD : DIR_BACKWARD;
}

/** Toe pitch at the landing (deg, toe up +) to the first-contact class. */
export function firstContactOf(pitch_deg: number): number {
  return pitch_deg >= FLAT_PITCH_DEG ? FIRST_HEEL : pitch_deg <= -FLAT_PITCH_DEG ? FIRST_TOE : FIRST_FLAT;
}

export function isWrongGait(direction: number, first: number, rule: number): boolean {
  if (direction === DIR_BACKWARD) {
    return (first === FIRST_HEEL && (rule & WRONG_BACKWARD_HEEL) !== 0) || (first === FIRST_FLAT && (rule & WRONG_BACKWARD_FLAT) !== 0);
  }
  if (direction === DIR_FORWARD) {
    return (first === FIRST_TOE && (rule & WRONG_FORWARD_TOE) !== 0) || (first === FIRST_FLAT && (rule & WRONG_FORWARD_FLAT) !== 0);
  }
  return false;
}
