/** Little-endian byte helpers. Plain index math: cheap on Espruino, no DataView per call. */

export function putU16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >> 8) & 0xff;
}

export function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

export function getU16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

export function getU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

export function getI16(b: Uint8Array, at: number): number {
  const v = getU16(b, at);
  return v >= 0x8000 ? v - 0x10000 : v;
}

export function getI32(b: Uint8Array, at: number): number {
  return getU32(b, at) | 0;
}

/**
 * The first n characters of s written at `at` (into a buffer the caller holds). UTF-8 is not needed on the pod:
 * strings on the wire are ASCII (7-bit); other code points become '?'.
 */
export function putAscii(out: Uint8Array, at: number, s: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    out[at + i] = c < 128 ? c : 63;
  }
}

export function asciiString(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}
