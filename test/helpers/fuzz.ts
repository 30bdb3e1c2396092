/**
 * Fuzzing the protocol (issue 8): random and mutated frames into the host's
 * decoder and into the pod's RX (the real bundle in the virtual pod). Shared
 * by the test (a bounded count) and the bench (100 000 and more).
 */
import { decodeMessage, encodeMessage } from '../../shared/protocol/codec.js';
import { createFrameDecoder, encodeFrame, MAX_FRAME_BYTES, PROTOCOL_VERSION } from '../../shared/protocol/frame.js';
import { MESSAGES } from '../../shared/protocol/messages.js';
import { RETROSTEP_RX_UUID_NOBLE, RETROSTEP_TX_UUID_NOBLE, toNobleUuid } from '../../shared/protocol/uuids.js';
import { uniform as rng } from '../../host/src/sim/random.js';
import type { GattCharacteristic } from '../../host/src/sim/gatt.js';
import type { VirtualPod } from '../../host/src/sim/virtual-pod.js';

const TYPES = Object.values(MESSAGES).map((m) => m[0] as number);

type FuzzKind = 'valid-crc-random-payload' | 'unknown-type' | 'other-version' | 'bit-flips' | 'truncated' | 'garbage' | 'oversize';

/** One fuzz input: bytes for a link, and whether its frame passes the CRC (so the receiver must answer it, not just drop it). */
export interface FuzzInput {
  kind: FuzzKind;
  bytes: Uint8Array;
  validCrc: boolean;
}

/** n fuzz inputs from `seed`: frames with a good CRC around bad content, frames with bad bytes, and raw garbage. */
export function* fuzzInputs(seed: number, n: number): Generator<FuzzInput> {
  const r = rng(seed);
  const int = (k: number) => Math.floor(r() * k);
  const bytes = (k: number) => Uint8Array.from({ length: k }, () => int(256));
  for (let i = 0; i < n; i++) {
    const pick = int(7);
    const type = TYPES[int(TYPES.length)];
    const seq = 1 + int(0xfffe);
    if (pick === 0) yield { kind: 'valid-crc-random-payload', bytes: encodeFrame(type, seq, bytes(int(48))), validCrc: true };
    else if (pick === 1) {
      let t = int(256);
      while (TYPES.includes(t)) t = int(256);
      yield { kind: 'unknown-type', bytes: encodeFrame(t, seq, bytes(int(16))), validCrc: true };
    } else if (pick === 2) yield { kind: 'other-version', bytes: encodeFrame(type, seq, bytes(int(16)), PROTOCOL_VERSION + 1 + int(200)), validCrc: true };
    else if (pick === 3 || pick === 4) {
      const f = encodeMessage('hello', seq, {});
      const g = encodeFrame(type, seq, bytes(int(24)));
      const src = int(2) ? f : g;
      if (pick === 3) {
        const m = Uint8Array.from(src);
        for (let k = 1 + int(3); k > 0; k--) m[int(m.length - 1)] ^= 1 << int(8);
        yield { kind: 'bit-flips', bytes: m, validCrc: false };
      } else {
        const cut = src.slice(0, 1 + int(src.length - 2));
        yield { kind: 'truncated', bytes: Uint8Array.of(...cut, 0), validCrc: false };
      }
    } else if (pick === 5) yield { kind: 'garbage', bytes: bytes(1 + int(64)), validCrc: false };
    else yield { kind: 'oversize', bytes: Uint8Array.of(...bytes(MAX_FRAME_BYTES + 8 + int(64)).map((b) => b || 1), 0), validCrc: false };
  }
}

export interface HostFuzzResult {
  inputs: number;
  frames: number;
  errors: number;
  messages: number;
  crashes: number;
}

/** Every input into one streaming decoder and the message decoder: nothing may throw. */
export function fuzzHostDecoder(seed: number, n: number): HostFuzzResult {
  const res: HostFuzzResult = { inputs: 0, frames: 0, errors: 0, messages: 0, crashes: 0 };
  const dec = createFrameDecoder(
    (f) => {
      res.frames++;
      const m = decodeMessage(f);
      if ('name' in m) res.messages++;
    },
    () => res.errors++,
  );
  for (const input of fuzzInputs(seed, n)) {
    res.inputs++;
    try {
      dec.push(input.bytes);
    } catch {
      res.crashes++;
    }
  }
  return res;
}

export interface PodFuzzResult {
  inputs: number;
  validCrcFrames: number;
  answers: number;
  uncaught: number;
  resets: number;
  vars_before: number;
  vars_after: number;
  /** the pod answers a plain hello after the fuzzing */
  alive: boolean;
}

function findChar(pod: VirtualPod, uuid: string): GattCharacteristic {
  for (const s of pod.peripheral.services()) for (const c of s.characteristics) if (toNobleUuid(c.uuid) === uuid) return c;
  throw new Error(`no characteristic ${uuid}`);
}

/** The BLE connection interval the fuzz runs at (ms): one write per interval, as a central would send them. */
const CONNECTION_INTERVAL_MS = 7.5;

/**
 * Fuzz inputs written to the pod's RX on a bonded link (the strongest
 * attacker: one that got past pairing), in ATT-sized pieces, one per
 * connection interval; answers counted from TX.
 */
export async function fuzzPod(pod: VirtualPod, passkey: string, seed: number, n: number): Promise<PodFuzzResult> {
  // the virtual pod hands notifications to the host on the next turn of the event loop, as a radio would
  const settle = () => new Promise<void>((r) => setImmediate(r));
  pod.peripheral.connect({ onDisconnect: () => {} });
  pod.peripheral.pair(passkey);
  const rx = findChar(pod, RETROSTEP_RX_UUID_NOBLE);
  const tx = findChar(pod, RETROSTEP_TX_UUID_NOBLE);
  let answers = 0;
  const answerDecoder = createFrameDecoder(() => answers++, () => {});
  tx.subscribe((v) => answerDecoder.push(v));
  pod.advance(100);
  const res: PodFuzzResult = { inputs: 0, validCrcFrames: 0, answers: 0, uncaught: 0, resets: 0, vars_before: pod.memoryVars(), vars_after: 0, alive: false };
  const piece = pod.peripheral.mtu - 3;
  const uncaught0 = pod.uncaught.length, resets0 = pod.resets.length;
  for (const input of fuzzInputs(seed, n)) {
    res.inputs++;
    if (input.validCrc) res.validCrcFrames++;
    for (let at = 0; at < input.bytes.length; at += piece) {
      rx.write(input.bytes.subarray(at, at + piece));
      pod.advance(CONNECTION_INTERVAL_MS);
    }
    await settle();
  }
  // a lone delimiter ends any partial frame the fuzz left, then a plain hello must still be answered
  rx.write(Uint8Array.of(0));
  pod.advance(1000);
  await settle();
  const before = answers;
  rx.write(encodeMessage('hello', 4242, {}));
  pod.advance(1000);
  await settle();
  res.alive = answers > before;
  res.answers = before;
  res.uncaught = pod.uncaught.length - uncaught0;
  res.resets = pod.resets.length - resets0;
  res.vars_after = pod.memoryVars();
  tx.unsubscribe();
  pod.peripheral.disconnect();
  return res;
}
