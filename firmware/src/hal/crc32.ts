/**
 * Stands in for shared/protocol/crc32.ts in the pod bundle (the firmware
 * build aliases it): Espruino's native E.CRC32 is the same CRC-32 and
 * spares the pod a 256-entry table.
 */
export function crc32(buf: Uint8Array, start?: number, end?: number): number {
  const from = start === undefined ? 0 : start;
  const to = end === undefined ? buf.length : end;
  return E.CRC32(from === 0 && to === buf.length ? buf : buf.subarray(from, to)) >>> 0;
}
