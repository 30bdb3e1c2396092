/**
 * Encode and decode messages of the table in messages.ts to and from frames.
 * Decoding reports problems as values ({ error }) so a read loop never throws.
 */
import { asciiString, getI16, getI32, getU16, getU32, putAscii, putU16, putU32 } from './bytes.js';
import { encodeFrame, type Frame, PROTOCOL_VERSION } from './frame.js';
import { ERR_BAD_PAYLOAD, ERR_UNKNOWN_TYPE, ERR_VERSION, type Message, type MessageName, messageId, messageLayout, messageName, type PayloadOf } from './messages.js';
import { round } from '../math.js';

/** Bytes of a fixed-size field code (B 1, H/h 2, I/i 4): a function, not a table, to cost the pod no variables. */
function fixedBytes(code: string): number {
  return code === 'B' ? 1 : code === 'H' || code === 'h' ? 2 : 4;
}

/**
 * Serialise a payload by its layout. Numbers are wrapped to the field width; strings are cut to 255 and
 * sent as ASCII (other code points become '?'). The layout is read in place, twice (the size, then the
 * bytes), into one buffer: on the pod, an array of fields and a buffer per field would be ~10 variables a
 * field in flight while it answers (a status: ~100 of a Puck.js's 2,630).
 */
function encodePayload(layout: string, payload: { [k: string]: unknown }): Uint8Array {
  let size = 0;
  for (let at = 0; at < layout.length; at = layout.indexOf(',', at) + 1 || layout.length) {
    const colon = layout.indexOf(':', at);
    size += fieldBytes(layout.charAt(colon + 1), payload[layout.substring(at, colon)]);
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (let at = 0; at < layout.length; at = layout.indexOf(',', at) + 1 || layout.length) {
    const colon = layout.indexOf(':', at);
    const code = layout.charAt(colon + 1);
    const v = payload[layout.substring(at, colon)];
    if (code === 's') {
      const s = String(v === undefined ? '' : v);
      const n = s.length < 255 ? s.length : 255;
      out[o] = n;
      putAscii(out, o + 1, s, n);
      o += 1 + n;
    } else if (code === 'y') {
      const y = v as Uint8Array | undefined;
      putU16(out, o, y ? y.length : 0);
      if (y) out.set(y, o + 2);
      o += 2 + (y ? y.length : 0);
    } else {
      const n = round(Number(v) || 0);
      if (code === 'B') out[o] = n & 0xff;
      else if (code === 'H' || code === 'h') putU16(out, o, n);
      else putU32(out, o, n);
      o += fixedBytes(code);
    }
  }
  return out;
}

/** Bytes a field of this code takes with this value (the first pass; the second writes as many). */
function fieldBytes(code: string, v: unknown): number {
  if (code === 's') {
    const n = String(v === undefined ? '' : v).length;
    return 1 + (n < 255 ? n : 255);
  }
  if (code === 'y') return 2 + (v ? (v as Uint8Array).length : 0);
  return fixedBytes(code);
}

/** Parse a payload by its layout; null if it is short or has trailing bytes. */
function decodePayload(layout: string, b: Uint8Array): { [k: string]: number | string | Uint8Array } | null {
  const out: { [k: string]: number | string | Uint8Array } = {};
  if (layout === '') return b.length === 0 ? out : null;
  const fields = layout.split(',');
  let at = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i].split(':');
    const code = f[1];
    if (code === 's') {
      if (at + 1 > b.length) return null;
      const n = b[at];
      if (at + 1 + n > b.length) return null;
      out[f[0]] = asciiString(b, at + 1, at + 1 + n);
      at += 1 + n;
    } else if (code === 'y') {
      if (at + 2 > b.length) return null;
      const n = getU16(b, at);
      if (at + 2 + n > b.length) return null;
      out[f[0]] = b.slice(at + 2, at + 2 + n);
      at += 2 + n;
    } else {
      const w = fixedBytes(code);
      if (at + w > b.length) return null;
      out[f[0]] = code === 'B' ? b[at] : code === 'H' ? getU16(b, at) : code === 'h' ? getI16(b, at) : code === 'I' ? getU32(b, at) : getI32(b, at);
      at += w;
    }
  }
  return at === b.length ? out : null;
}

/** One message as frame bytes (delimiter included). */
export function encodeMessage<N extends MessageName>(name: N, seq: number, payload: PayloadOf<N>): Uint8Array {
  return encodeFrame(messageId(name), seq, encodePayload(messageLayout(name), payload as unknown as { [k: string]: unknown }));
}

export interface MessageError {
  error: number; // ERR_*
  seq: number;
  type: number;
  text: string;
}

/** A checked frame to a typed message, or a MessageError saying why not. */
export function decodeMessage(f: Frame): Message | MessageError {
  // (one error object for the three ways a frame is refused: on the pod, one copy of its shape)
  const refuse = function (error: number, text: string): MessageError {
    return { error: error, seq: f.seq, type: f.type, text: text };
  };
  if (f.version !== PROTOCOL_VERSION) return refuse(ERR_VERSION, 'protocol version ' + f.version + ', expected ' + PROTOCOL_VERSION);
  const name = messageName(f.type);
  if (name === undefined) return refuse(ERR_UNKNOWN_TYPE, 'unknown message type ' + f.type);
  const payload = decodePayload(messageLayout(name), f.payload);
  if (payload === null) return refuse(ERR_BAD_PAYLOAD, 'bad ' + name + ' payload');
  return { name: name, seq: f.seq, payload: payload } as unknown as Message;
}

export function isMessageError(m: Message | MessageError): m is MessageError {
  return (m as MessageError).error !== undefined;
}
