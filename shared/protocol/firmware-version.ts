/**
 * The pod firmware this source builds: its `info` reply's fw_version, and what a sync compares a pod's against, so a
 * pod left on an older firmware after retrostep itself was updated is told to be flashed (firmware/src/link.ts sends
 * it; host/src/pod-notices.ts firmwareNotice says it).
 */
export const FIRMWARE_VERSION = '0.2.0';

/**
 * a against b, as versions "major.minor.patch" (numbers compared, not text: 0.10.0 is after 0.9.0): negative when a
 * is older, 0 the same, positive newer; null when either is not of that form (nothing can be said of it).
 */
export function compareVersions(a: string, b: string): number | null {
  const pa = /^(\d+)\.(\d+)\.(\d+)$/.exec(a);
  const pb = /^(\d+)\.(\d+)\.(\d+)$/.exec(b);
  if (!pa || !pb) return null;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  return 0;
}
