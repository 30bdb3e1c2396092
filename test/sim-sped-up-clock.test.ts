/**
 * The bridge of a virtual pod run faster than real time (sim/sped-up-clock.ts): set_time answered with a refusal
 * and kept from the pod, every other byte passed on as it came, however the host's writes split the frames.
 */
import { describe, expect, it } from 'vitest';
import { createFrameDecoder, type Frame } from '../shared/protocol/frame.js';
import { decodeMessage, encodeMessage } from '../shared/protocol/codec.js';
import { refuseSetTime, spedUpRefusal } from '../host/src/sim/sped-up-clock.js';

function run(chunks: Uint8Array[]): { forwarded: number[]; replies: Frame[] } {
  const forwarded: number[] = [];
  const replies: Frame[] = [];
  const decoder = createFrameDecoder((f) => replies.push(f), null);
  const feed = refuseSetTime(10, (b) => forwarded.push(...b), (b) => decoder.push(b));
  for (const c of chunks) feed(c);
  return { forwarded, replies };
}

describe('a sped-up virtual pod refuses set_time', () => {
  const hello = encodeMessage('hello', 1, {});
  const setTime = encodeMessage('set_time', 2, { unix_s: 1_796_000_000, tz_min: 60 });
  const status = encodeMessage('status_get', 3, {});

  it('answers set_time with an error of its seq, and passes the frames around it on byte for byte, split anywhere', () => {
    const stream = Uint8Array.from([...hello, ...setTime, ...status]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const { forwarded, replies } = run([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(forwarded, `cut at ${cut}`).toEqual([...hello, ...status]);
      expect(replies.map(decodeMessage), `cut at ${cut}`).toEqual([{ name: 'error', seq: 2, payload: { code: 5, text: spedUpRefusal(10) } }]);
    }
    // one byte at a time
    expect(run([...stream].map((b) => Uint8Array.of(b))).forwarded).toEqual([...hello, ...status]);
  });

  it('passes on what is longer than any request, and garbage, as it came', () => {
    const buzz = encodeMessage('buzz', 4, { pattern: 1 });
    const long = Uint8Array.from({ length: 200 }, (_, i) => (i % 255) + 1);
    const stream = Uint8Array.from([...long, 0, 7, 7, 0, ...buzz, ...setTime.subarray(0, 3)]);
    const { forwarded, replies } = run([stream.subarray(0, 50), stream.subarray(50, 130), stream.subarray(130)]);
    expect(forwarded).toEqual([...long, 0, 7, 7, 0, ...buzz]);
    expect(replies).toEqual([]);
  });
});
