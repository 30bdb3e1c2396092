/** Pattern names the user types (or clicks, in `retrostep web`), and the pod's PATTERN_* numbers (firmware/src/hal/haptics.ts). */
export const BUZZ_PATTERNS: { [name: string]: number } = { wrong: 1, prompt: 2, done: 3, goal: 4, battery: 5 };
