/**
 * Stands in for shared/protocol/crc32.ts in the pod bundle (the firmware
 * build aliases it): Espruino's native E.CRC32 is the same CRC-32 and
 * spares the pod a 256-entry table.
 */
export function crc32(buf: Uint8Array): number {
  return E.CRC32(buf) >>> 0;
}
