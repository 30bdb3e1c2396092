/**
 * Figures as the user reads them, rounded one way wherever they are shown (`summary`, the report's figures,
 * tables and captions, `plan`): half up, as by hand, and never to 0 where there was something, nor to a whole
 * share where there was not.
 */

/**
 * x rounded half up to `digits` decimals: 9 s of backward walking is 0.15 minutes, 0.2. (toFixed(1) said 0.1, as
 * 9/60 is 0.1499... in binary, while the report's tables, through Math.round, said 0.2: `summary --day` and the
 * report of that day gave the day two figures.)
 */
export function rounded(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * A figure to `digits` decimals. One above 0 that would round to 0 is "<0.1" ("<1" with no decimals): a day of two
 * backward strides, 2 s of walking, read "retro minutes 0.0" and "0 kcal" beside "backward strides 2". With
 * `whole` (a share's 100), one short of it that would round to it is ">99.9": 2,499 wrong strides of 2,500 read
 * "100.0% of backward".
 */
export function shown(x: number, digits: number, whole?: number): string {
  const r = rounded(x, digits), step = 10 ** -digits;
  if (x > 0 && r === 0) return `<${step.toFixed(digits)}`;
  if (whole !== undefined && x < whole && r >= whole) return `>${(whole - step).toFixed(digits)}`;
  return r.toFixed(digits);
}

/**
 * A figure for a chart's table, which holds numbers as `rounded` gives them (2.3, 10, 147): shown's "<0.1" or
 * ">99.9" where the number would read 0 or the whole share.
 */
export function shownCell(x: number, digits: number, whole?: number): number | string {
  const s = shown(x, digits, whole);
  return s.startsWith('<') || s.startsWith('>') ? s : rounded(x, digits);
}
