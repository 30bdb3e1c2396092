/**
 * Energy from the Compendium of Physical Activities (2011):
 * kcal = MET x body mass (kg) x hours.
 */
/** 17200: walking 3.5 mph, level, firm surface. */
export const MET_FORWARD_WALK = 4.3;
/** 17320: walking backwards, 3.5 mph, level. */
export const MET_BACKWARD_WALK = 6.0;
/** Used until the user sets theirs (`retrostep config set weight_kg=80`). */
export const DEFAULT_WEIGHT_KG = 70;

export function kcal(met: number, weight_kg: number, seconds: number): number {
  return met * weight_kg * (seconds / 3600);
}
