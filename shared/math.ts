/**
 * The Math functions the pod calls most, as names of their own. Each `Math.sqrt` the bundle spells out is 9
 * bytes where a name is 1 once minified: 39 calls across the engine, the pod, the store, the radio and the
 * protocol, about 300 B of a bundle that must stay under 24 KB (docs/decisions.md, "Math functions by name").
 * Natives that need no `this`.
 */
export const sqrt = Math.sqrt;
export const round = Math.round;
export const floor = Math.floor;
