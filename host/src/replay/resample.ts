/**
 * A recording at another sample rate, as a sensor running at that rate
 * would have given it: each output sample is the mean of the input samples
 * in its period (the IMU's own low-pass before decimation). Used to judge
 * the gait engine at rates nobody recorded.
 */
export function resampleByAveraging(t_ms: ArrayLike<number>, samples: ArrayLike<number>, to_hz: number): { t_ms: Float64Array; samples: Float32Array } {
  const n_in = t_ms.length;
  if (n_in === 0) return { t_ms: new Float64Array(0), samples: new Float32Array(0) };
  const t0 = t_ms[0];
  const period_ms = 1000 / to_hz;
  const n = Math.floor((t_ms[n_in - 1] - t0) / period_ms) + 1;
  const out_t = new Float64Array(n);
  const out = new Float32Array(n * 6);
  let i = 0;
  for (let k = 0; k < n; k++) {
    const end = t0 + (k + 1) * period_ms;
    const sum = [0, 0, 0, 0, 0, 0];
    let count = 0;
    for (; i < n_in && t_ms[i] < end; i++, count++) for (let a = 0; a < 6; a++) sum[a] += samples[6 * i + a];
    out_t[k] = t0 + k * period_ms;
    // an output period with no input sample (upsampling) repeats the previous one
    for (let a = 0; a < 6; a++) out[6 * k + a] = count > 0 ? sum[a] / count : k > 0 ? out[6 * (k - 1) + a] : samples[a];
  }
  return { t_ms: out_t, samples: out };
}
