/**
 * A recording at another sample rate, as a sensor running at that rate
 * would have given it: each output sample is the mean of the input samples
 * in its period (the IMU's own low-pass before decimation). Used to judge
 * the gait engine at rates nobody recorded.
 */

/**
 * An input gap longer than this (ms) stays a gap: its empty periods are not filled. Filling is for upsampling (an
 * input interval a little longer than the output's); across a pause in a recording it made one sample per period
 * of the pause: a 30-day pause at 52 Hz took 4 GB and 44 s, and a gap of 10^12 ms failed ("Invalid typed array
 * length"). The engine takes a gap in its input as the pod's own idle sensor gives one (replay --native-rate).
 */
const MAX_FILL_MS = 1000;

export function resampleByAveraging(t_ms: ArrayLike<number>, samples: ArrayLike<number>, to_hz: number): { t_ms: Float64Array; samples: Float32Array } {
  const n_in = t_ms.length;
  if (n_in === 0) return { t_ms: new Float64Array(0), samples: new Float32Array(0) };
  const t0 = t_ms[0];
  const period_ms = 1000 / to_hz;
  const n = Math.floor((t_ms[n_in - 1] - t0) / period_ms) + 1;
  const out_t: number[] = [];
  const out: number[] = [];
  let i = 0;
  for (let k = 0; k < n; k++) {
    const start = t0 + k * period_ms;
    // (a pause: on to the period that holds the next sample)
    if (i < n_in && t_ms[i] - start > MAX_FILL_MS) k = Math.max(k, Math.floor((t_ms[i] - t0) / period_ms));
    const end = t0 + (k + 1) * period_ms;
    const sum = [0, 0, 0, 0, 0, 0];
    let count = 0;
    for (; i < n_in && t_ms[i] < end; i++, count++) for (let a = 0; a < 6; a++) sum[a] += samples[6 * i + a];
    out_t.push(t0 + k * period_ms);
    // an output period with no input sample (upsampling) repeats the previous one
    const m = out_t.length - 1;
    for (let a = 0; a < 6; a++) out.push(count > 0 ? sum[a] / count : m > 0 ? out[6 * (m - 1) + a] : samples[a]);
  }
  return { t_ms: Float64Array.from(out_t), samples: Float32Array.from(out) };
}
