/**
 * CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320), the same function as
 * Espruino's E.CRC32: crc32(bytes of "hello") = 907060870.
 *
 * The pod bundle does not carry this table: the firmware build swaps this
 * module for firmware/src/hal/crc32.ts, which calls the native E.CRC32.
 */
let table: Uint32Array | null = null;

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** CRC-32 of buf (a part of a buffer: its subarray), as an unsigned 32-bit number. */
export function crc32(buf: Uint8Array): number {
  if (!table) table = makeTable();
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
