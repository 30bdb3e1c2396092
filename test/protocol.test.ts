import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode } from '../shared/protocol/cobs.js';
import { decodeMessage, encodeMessage, isMessageError } from '../shared/protocol/codec.js';
import { crc32 } from '../shared/protocol/crc32.js';
import { createFrameDecoder, encodeFrame, type Frame, type FrameError, MAX_FRAME_BYTES, MAX_REQUEST_ENCODED_BYTES } from '../shared/protocol/frame.js';
import { MESSAGES, messageId, messageLayout, messageName, type MessageName } from '../shared/protocol/messages.js';
import {
  decodeRecord,
  encodeRecord,
  flagsFromFirmware,
  RECORD_BOOT_BITS,
  RECORD_BYTES,
  RECORD_CLOCK_VALID,
  RECORD_COACH_DONE,
  RECORD_COACH_PROMPTED,
  RECORD_FOLDED,
  RECORD_WRONG_JUDGES_FORWARD,
  recordIsValid,
} from '../shared/protocol/records.js';

const bytes = (s: string) => new TextEncoder().encode(s);

/** The one frame in these bytes. */
function createFrameDecoderOnce(b: Uint8Array): Frame {
  const got: Frame[] = [];
  const d = createFrameDecoder((f) => got.push(f), () => undefined);
  d.push(b);
  expect(got).toHaveLength(1);
  return got[0];
}

describe('CRC-32 matches Espruino E.CRC32 and the IEEE check values', () => {
  it('known vectors', () => {
    expect(crc32(bytes('hello'))).toBe(907060870); // E.CRC32('hello') per Espruino docs
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926); // the standard check value
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(bytes('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
  it('agrees with zlib on random data and sub-ranges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(600), (data, cut) => {
        const end = Math.min(cut, data.length);
        expect(crc32(data)).toBe(zlibCrc32(data));
        expect(crc32(data.subarray(0, end))).toBe(zlibCrc32(data.subarray(0, end)));
      }),
    );
  });
});

describe('COBS', () => {
  it('encodes the textbook examples', () => {
    expect(Array.from(cobsEncode(new Uint8Array([0x00])))).toEqual([0x01, 0x01]);
    expect(Array.from(cobsEncode(new Uint8Array([0x11, 0x22, 0x00, 0x33])))).toEqual([0x03, 0x11, 0x22, 0x02, 0x33]);
    const run = new Uint8Array(254).map((_, i) => i + 1);
    const enc = cobsEncode(run);
    expect(enc[0]).toBe(0xff);
    expect(enc.length).toBe(256);
  });
  it('round-trips anything and never emits 0x00', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), (data) => {
        const enc = cobsEncode(data);
        expect(enc.includes(0)).toBe(false);
        expect(Array.from(cobsDecode(enc)!)).toEqual(Array.from(data));
      }),
    );
  });
  it('rejects malformed blocks', () => {
    expect(cobsDecode(new Uint8Array([0x05, 0x11]))).toBeNull(); // code runs past the end
    expect(cobsDecode(new Uint8Array([0x03, 0x00, 0x11]))).toBeNull(); // zero inside
  });
});

/** An arbitrary valid payload for message `name`, generated from its layout. */
function payloadArb(name: MessageName): fc.Arbitrary<Record<string, unknown>> {
  const layout = MESSAGES[name][1];
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  if (layout === '') return fc.constant({});
  for (const field of layout.split(',')) {
    const [key, code] = field.split(':');
    rec[key] =
      code === 'B' ? fc.integer({ min: 0, max: 0xff })
      : code === 'H' ? fc.integer({ min: 0, max: 0xffff })
      : code === 'I' ? fc.integer({ min: 0, max: 0xffffffff })
      : code === 'h' ? fc.integer({ min: -0x8000, max: 0x7fff })
      : code === 'i' ? fc.integer({ min: -0x80000000, max: 0x7fffffff })
      : code === 's' ? fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x00-\x7f]/g, '?'))
      : fc.uint8Array({ maxLength: 200 });
  }
  return fc.record(rec);
}

const names = Object.keys(MESSAGES) as MessageName[];
const messageArb = fc
  .constantFrom(...names)
  .chain((name) => fc.tuple(fc.constant(name), fc.integer({ min: 0, max: 0xffff }), payloadArb(name)));

function collect() {
  const frames: Frame[] = [];
  const errors: FrameError[] = [];
  const dec = createFrameDecoder((f) => frames.push(f), (e) => errors.push(e));
  return { frames, errors, dec };
}

describe('message table', () => {
  it('the index its lookups read gives every message its id and layout, and every id its message', () => {
    for (const n of names) {
      expect(messageId(n)).toBe(MESSAGES[n][0]);
      expect(messageLayout(n)).toBe(MESSAGES[n][1]);
      expect(messageName(MESSAGES[n][0])).toBe(n);
    }
    for (const id of [0, 2.5, 24, 126, 128, 255]) expect(messageName(id)).toBeUndefined();
  });

  it('type ids are unique and fit a byte', () => {
    const ids = names.map((n) => MESSAGES[n][0]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toBeGreaterThan(0), expect(id).toBeLessThan(256);
  });

  it('every message round-trips through frame bytes, fed in chunks of any size', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (msgs, cuts) => {
        const wire = Buffer.concat(msgs.map(([n, s, p]) => encodeMessage(n, s, p as never)));
        const { frames, errors, dec } = collect();
        let at = 0;
        for (let i = 0; at < wire.length; i++) {
          const n = cuts[i % cuts.length];
          dec.push(wire.subarray(at, at + n));
          at += n;
        }
        expect(errors).toEqual([]);
        expect(frames.length).toBe(msgs.length);
        frames.forEach((f, i) => {
          const m = decodeMessage(f);
          if (isMessageError(m)) throw new Error(m.text);
          const [name, seq, payload] = msgs[i];
          expect(m.name).toBe(name);
          expect(m.seq).toBe(seq);
          expect(m.payload).toEqual(payload);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('every request a host sends fits the pod\'s request buffer (MAX_REQUEST_ENCODED_BYTES), at its largest values', () => {
    const max = (layout: string) => {
      const p: { [k: string]: number } = {};
      for (const f of layout ? layout.split(',') : []) p[f.split(':')[0]] = 0xffffffff; // (every byte 0xff: COBS at its longest)
      return p;
    };
    const requests = ['hello', 'set_time', 'status_get', 'records_read', 'ack', 'live_subscribe', 'config_get', 'config_set', 'calibrate', 'buzz', 'raw_start', 'raw_stop', 'erase'] as MessageName[];
    for (const name of requests) {
      const layout = MESSAGES[name][1] as string;
      expect(layout, name).not.toMatch(/:[sy]/); // (no variable-length field in a request)
      const framed = encodeMessage(name, 0xffff, max(layout) as never);
      expect(framed.length - 1, name).toBeLessThanOrEqual(MAX_REQUEST_ENCODED_BYTES);
    }
  });

  it('a string field goes as ASCII, at most 255 characters (others become ?); numbers wrap to their width', () => {
    const text = 'caf\u00e9 ' + 'x'.repeat(300);
    const f = createFrameDecoderOnce(encodeMessage('error', 7, { code: 258, text }));
    const m = decodeMessage(f);
    expect(isMessageError(m)).toBe(false);
    const p = (m as { payload: { code: number; text: string } }).payload;
    expect(p.code).toBe(2);
    expect(p.text).toBe(('caf? ' + 'x'.repeat(300)).slice(0, 255));
  });

  it('reports unknown types, bad payloads and newer protocol versions as values', () => {
    const unknown = decodeMessage({ version: 1, type: 0x66, seq: 9, payload: new Uint8Array(0) });
    expect(isMessageError(unknown) && unknown.error).toBe(1);
    const short = decodeMessage({ version: 1, type: MESSAGES.ack[0], seq: 9, payload: new Uint8Array(2) });
    expect(isMessageError(short) && short.text).toMatch(/bad ack payload/);
    const newer = decodeMessage({ version: 2, type: MESSAGES.hello[0], seq: 9, payload: new Uint8Array(0) });
    expect(isMessageError(newer) && newer.text).toMatch(/protocol version 2/);
  });
});

describe('frame decoder recovers from damage', () => {
  it('resynchronises at the next delimiter after random corruption, truncation and garbage', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb, { minLength: 2, maxLength: 10 }),
        fc.array(fc.record({ frame: fc.nat(), kind: fc.constantFrom('flip', 'truncate', 'garbage'), at: fc.nat(), value: fc.integer({ min: 1, max: 255 }) }), { maxLength: 4 }),
        (msgs, damage) => {
          const encoded = msgs.map(([n, s, p]) => new Uint8Array(encodeMessage(n, s, p as never)));
          const damaged = new Set<number>();
          for (const d of damage) {
            const i = d.frame % encoded.length;
            const f = encoded[i];
            const body = f.length - 1; // keep the delimiter
            if (d.kind === 'flip') {
              const at = d.at % body;
              if (f[at] === d.value) continue;
              f[at] = d.value; // never 0x00: delimiters stay where they were
            } else if (d.kind === 'truncate') {
              const keep = d.at % body;
              encoded[i] = new Uint8Array([...f.subarray(0, keep), 0]);
            } else {
              encoded[i] = new Uint8Array([d.value, (d.value * 7) | 1, ...f]);
            }
            damaged.add(i);
          }
          const { frames, errors, dec } = collect();
          for (const f of encoded) for (let k = 0; k < f.length; k++) dec.push(f.subarray(k, k + 1));
          const goodSeqs = msgs.filter((_, i) => !damaged.has(i)).map(([, s]) => s);
          // every undamaged frame arrives, in order; damaged ones are reported, never thrown
          const gotSeqs = frames.map((f) => f.seq);
          let j = 0;
          for (const s of gotSeqs) if (j < goodSeqs.length && s === goodSeqs[j]) j++;
          expect(j).toBe(goodSeqs.length);
          expect(frames.length + errors.length).toBeGreaterThanOrEqual(msgs.length - damaged.size);
          expect(frames.length).toBeLessThanOrEqual(msgs.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('drops a frame longer than MAX_FRAME_BYTES as overflow and decodes the next one', () => {
    const { frames, errors, dec } = collect();
    dec.push(new Uint8Array(MAX_FRAME_BYTES * 3).fill(0x55));
    dec.push(new Uint8Array([0]));
    dec.push(encodeMessage('hello', 7, {}));
    expect(errors.map((e) => e.code)).toEqual(['overflow']);
    expect(frames.map((f) => f.seq)).toEqual([7]);
  });

  it('a handler that throws does not wedge the decoder', () => {
    let calls = 0;
    const dec = createFrameDecoder(() => {
      calls++;
      throw new Error('handler bug');
    }, () => {});
    expect(() => dec.push(encodeFrame(1, 1, new Uint8Array(0)))).toThrow('handler bug');
    expect(() => dec.push(encodeFrame(1, 2, new Uint8Array(0)))).toThrow('handler bug');
    expect(calls).toBe(2);
  });
});

describe('minute records', () => {
  const rec = { seq: 123456, start_s: 1_790_000_000, flags: 5, forward: 40, backward: 22, heel: 38, flat: 4, toe: 20, wrong: 2, buzzes: 2, cadence_spm: 112, active_s: 55 };
  it('round-trip in exactly RECORD_BYTES', () => {
    const b = new Uint8Array(RECORD_BYTES * 2).fill(0xff);
    encodeRecord(rec, b, RECORD_BYTES);
    expect(decodeRecord(b, RECORD_BYTES)).toEqual(rec);
    expect(recordIsValid(b, 0)).toBe(false); // erased flash is not a record
  });
  it('a torn write (tail still erased) or a flipped bit is detected', () => {
    const b = new Uint8Array(RECORD_BYTES);
    encodeRecord(rec, b, 0);
    for (let keep = 0; keep < RECORD_BYTES; keep++) {
      const torn = b.slice();
      torn.fill(0xff, keep);
      if (keep < RECORD_BYTES) expect(decodeRecord(torn, 0)).toBeNull();
    }
    const flipped = b.slice();
    flipped[9] ^= 4;
    expect(decodeRecord(flipped, 0)).toBeNull();
  });
  it("a 0.1.0 pod's flags say no rule judged forward strides (its bit 4 is a boot number's), a newer pod's say what its rule did", () => {
    // boot number 0b0111 in the high nibble (0.1.0), clock valid and coach prompted
    const old = 0x70 | 3;
    expect(flagsFromFirmware(old, '0.1.0')).toBe(0x60 | 3);
    expect(flagsFromFirmware(old, '0.1.0') & RECORD_WRONG_JUDGES_FORWARD).toBe(0);
    expect(flagsFromFirmware(RECORD_WRONG_JUDGES_FORWARD | 1, '0.2.0')).toBe(RECORD_WRONG_JUDGES_FORWARD | 1);
    // the boot's bits are clear of every RECORD_* flag
    expect(RECORD_BOOT_BITS & (RECORD_CLOCK_VALID | RECORD_COACH_PROMPTED | RECORD_COACH_DONE | RECORD_FOLDED | RECORD_WRONG_JUDGES_FORWARD)).toBe(0);
  });
});
