/**
 * Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so that
 * 0x00 can delimit frames on the wire. Overhead is 1 byte per 254 (plus 1).
 */
import { floor } from '../math.js';

/**
 * Encode src into a new array that contains no 0x00; with delimit, a 0x00 delimiter follows in the same
 * array (a frame made in one buffer, not copied into another: on the pod each copy of a records frame
 * (~340 bytes) is ~35 variables in flight).
 */
export function cobsEncode(src: Uint8Array, delimit?: boolean): Uint8Array {
  const out = new Uint8Array(src.length + floor(src.length / 254) + 2);
  let codeAt = 0;
  let o = 1;
  let code = 1;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0) {
      out[codeAt] = code;
      codeAt = o++;
      code = 1;
    } else {
      out[o++] = b;
      code++;
      if (code === 0xff) {
        out[codeAt] = code;
        codeAt = o++;
        code = 1;
      }
    }
  }
  out[codeAt] = code;
  // (out has room: at most src.length + floor(src.length / 254) + 1 bytes were written; a new array is 0s)
  return out.subarray(0, delimit ? o + 1 : o);
}

/**
 * Decode one COBS block (without its delimiter). Returns null when the block
 * is malformed (a zero inside it, or a code byte that runs past its end).
 */
export function cobsDecode(src: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(src.length);
  let o = 0;
  let i = 0;
  while (i < src.length) {
    const code = src[i];
    if (code === 0 || i + code > src.length) return null;
    i++;
    for (let k = 1; k < code; k++) {
      const b = src[i++];
      if (b === 0) return null;
      out[o++] = b;
    }
    if (code !== 0xff && i < src.length) out[o++] = 0;
  }
  return out.subarray(0, o);
}
