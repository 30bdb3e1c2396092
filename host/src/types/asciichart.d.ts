// asciichart ships no types: the part we use (README: plot(series, config)).
declare module 'asciichart' {
  export interface PlotConfig {
    height?: number;
    offset?: number;
    padding?: string;
    min?: number;
    max?: number;
    colors?: string[];
    format?: (x: number, i: number) => string;
  }
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  export const green: string;
  export const blue: string;
  export const red: string;
  export const defaultColor: string;
  const asciichart: { plot: typeof plot; green: string; blue: string; red: string; defaultColor: string };
  export default asciichart;
}
