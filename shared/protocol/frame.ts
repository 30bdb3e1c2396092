/**
 * Frames on the wire: COBS([version u8][type u8][seq u16][payload...][crc32 u32]) 0x00
 * All integers little endian; the CRC covers version..payload.
 */
import { cobsDecode, cobsEncode } from './cobs.js';
import { crc32 } from './crc32.js';
import { getU16, getU32, putU16, putU32 } from './bytes.js';

/** Protocol version carried in every frame's first byte. Bump on any incompatible change to the message table. */
export const PROTOCOL_VERSION = 1;
/** version + type + seq */
const FRAME_HEADER_BYTES = 4;
const FRAME_CRC_BYTES = 4;
/**
 * Largest decoded frame either side accepts. Sized for a records batch of
 * 16 x 20-byte records with headroom; bounds the host's receive buffer
 * (MAX_ENCODED_BYTES): a stream with no delimiter is dropped as an overflow,
 * not held. The pod's holds only a request: MAX_REQUEST_ENCODED_BYTES.
 */
export const MAX_FRAME_BYTES = 512;
/**
 * Largest request a host sends, encoded (COBS), delimiter excluded: the longest request payload is
 * config_set's 7 bytes (set_time 6, records_read 5); with the header, the CRC and the COBS overhead a
 * request is under 20 bytes. 64 leaves room for requests to grow; the pod's decoder (made while a host is
 * connected) holds this many bytes instead of MAX_ENCODED_BYTES (~50 variables fewer on a Puck.js).
 */
export const MAX_REQUEST_ENCODED_BYTES = 64;
/** Largest encoded (COBS) block, delimiter excluded. */
const MAX_ENCODED_BYTES = MAX_FRAME_BYTES + Math.ceil(MAX_FRAME_BYTES / 254) + 1;

export interface Frame {
  version: number;
  type: number;
  seq: number;
  payload: Uint8Array;
}

/** Why a block of bytes between two delimiters was not a frame. */
export type FrameErrorCode = 'cobs' | 'short' | 'crc' | 'overflow';

export interface FrameError {
  code: FrameErrorCode;
  /** encoded bytes dropped, delimiter excluded */
  bytes: number;
}

/** Encode one frame, delimiter included, ready for any transport. */
export function encodeFrame(type: number, seq: number, payload: Uint8Array, version?: number): Uint8Array {
  const raw = new Uint8Array(FRAME_HEADER_BYTES + payload.length + FRAME_CRC_BYTES);
  raw[0] = version === undefined ? PROTOCOL_VERSION : version;
  raw[1] = type;
  putU16(raw, 2, seq & 0xffff);
  raw.set(payload, FRAME_HEADER_BYTES);
  const end = FRAME_HEADER_BYTES + payload.length;
  putU32(raw, end, crc32(raw.subarray(0, end)));
  return cobsEncode(raw, true);
}

/** Check and split one decoded (un-COBSed) block. Returns a FrameErrorCode string on failure. */
export function parseFrame(raw: Uint8Array): Frame | FrameErrorCode {
  if (raw.length < FRAME_HEADER_BYTES + FRAME_CRC_BYTES) return 'short';
  const end = raw.length - FRAME_CRC_BYTES;
  if (crc32(raw.subarray(0, end)) !== getU32(raw, end)) return 'crc';
  return { version: raw[0], type: raw[1], seq: getU16(raw, 2), payload: raw.subarray(FRAME_HEADER_BYTES, end) };
}

export interface FrameDecoder {
  /** Feed any number of bytes: one at a time, a partial frame, or many frames. Never throws. */
  push(chunk: Uint8Array): void;
  /** Forget a partial frame (e.g. after the link dropped). */
  reset(): void;
}

/**
 * Streaming decoder. Each complete frame goes to onFrame; each bad block
 * (garbage, bad CRC, truncated, too long) goes to onError as a value (or is
 * dropped, onError null), and decoding resumes at the next 0x00.
 * maxEncoded: the largest block it takes (MAX_ENCODED_BYTES unless given; the
 * pod's requests are all small: MAX_REQUEST_ENCODED_BYTES).
 */
export function createFrameDecoder(onFrame: (f: Frame) => void, onError: ((e: FrameError) => void) | null, maxEncoded?: number): FrameDecoder {
  const buf = new Uint8Array(maxEncoded || MAX_ENCODED_BYTES);
  let len = 0;
  let overflow = 0;
  // State is cleared before a handler runs, so a handler that throws leaves
  // the decoder ready for the next frame.
  function finish(): void {
    const dropped = overflow;
    const n = len;
    len = 0;
    overflow = 0;
    if (dropped > 0) return onError ? onError({ code: 'overflow', bytes: dropped }) : undefined;
    if (n === 0) return; // back-to-back delimiters: nothing between them
    const raw = cobsDecode(buf.subarray(0, n));
    const r = raw === null ? 'cobs' : parseFrame(raw);
    if (typeof r === 'string') return onError ? onError({ code: r, bytes: n }) : undefined;
    onFrame(r);
  }
  return {
    push: function (chunk: Uint8Array): void {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === 0) finish();
        else if (overflow > 0 || len >= buf.length) overflow = overflow > 0 ? overflow + 1 : len + 1;
        else buf[len++] = b;
      }
    },
    reset: function (): void {
      len = 0;
      overflow = 0;
    },
  };
}
