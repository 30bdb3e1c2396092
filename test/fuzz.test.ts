/**
 * Fuzzing (issue 8), bounded for the test run (the bench runs 100 000+):
 * random and mutated frames into the host's decoder and the pod's RX.
 */
import { describe, expect, it } from 'vitest';
import { readBundle } from '../host/src/firmware-bundle.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { fuzzHostDecoder, fuzzInputs, fuzzPod } from './helpers/fuzz.js';

/** Variables the pod may gain while fuzzed (a few for state that legitimately changes, e.g. a config write): far below a leak per frame. */
const VARS_SLACK = 50;

describe('fuzzing', () => {
  it('the generator covers every kind of bad input', () => {
    const kinds = new Set([...fuzzInputs(1, 500)].map((i) => i.kind));
    expect([...kinds].sort()).toEqual(['bit-flips', 'garbage', 'other-version', 'oversize', 'truncated', 'unknown-type', 'valid-crc-random-payload']);
  });

  it('host decoder: 20 000 random and mutated frames, no throw, and most good-CRC frames (over 70%) reach the message decoder', () => {
    const r = fuzzHostDecoder(2, 20_000);
    expect(r.crashes).toBe(0);
    expect(r.inputs).toBe(20_000);
    const validCrc = [...fuzzInputs(2, 20_000)].filter((i) => i.validCrc).length;
    // garbage may run into the next frame and take it down with it, but most good frames get through
    expect(r.frames).toBeGreaterThan(validCrc * 0.7);
    expect(r.errors).toBeGreaterThan(0);
  });

  it('pod RX: 3 000 fuzz inputs on a bonded link, no uncaught error, no reset, bounded memory, still answers', async () => {
    const pod = new VirtualPod({ bundle: readBundle(), passkey: '123456' });
    pod.boot();
    pod.advance(2000);
    const r = await fuzzPod(pod, '123456', 3, 3000);
    expect(r.uncaught).toBe(0);
    expect(pod.uncaught).toEqual([]);
    expect(r.resets).toBe(0);
    expect(r.alive).toBe(true);
    expect(r.answers).toBeGreaterThan(r.validCrcFrames * 0.5); // answered (error or reply), not silently eaten
    expect(r.vars_after).toBeLessThan(r.vars_before + VARS_SLACK);
  });
});
