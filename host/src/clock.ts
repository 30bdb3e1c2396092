/**
 * The set_time payload for a moment: Unix seconds and this computer's UTC
 * offset then, so the pod's "day" (daily goal) turns over at local midnight.
 */
export function setTimePayload(unix_s: number): { unix_s: number; tz_min: number } {
  return { unix_s: Math.round(unix_s), tz_min: -new Date(unix_s * 1000).getTimezoneOffset() };
}
