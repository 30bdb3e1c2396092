/**
 * An attacker in radio range (issue 8 point 5), against the real bundle in
 * the virtual pod: an unbonded central cannot erase, change config, start
 * raw streaming, calibrate or reach the console; a bonded one can; a
 * replayed or duplicated frame does not apply its command twice.
 */
import { describe, expect, it } from 'vitest';
import { readBundle } from '../host/src/firmware-bundle.js';
import { PodClient } from '../host/src/pod-client.js';
import { gattMemoryTransport } from '../host/src/sim/gatt-link.js';
import { withRunningPod } from '../host/src/sim/run-pod.js';
import { demoScript } from '../host/src/sim/demo-script.js';
import { createWalker } from '../host/src/sim/walker.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { encodeMessage } from '../shared/protocol/codec.js';
import { configDefaults } from '../shared/protocol/config.js';
import { ERASE_CONFIRM, ERR_REPLAY } from '../shared/protocol/messages.js';
import { toNobleUuid } from '../shared/protocol/uuids.js';
import { waitFor } from './helpers/wait.js';

const PASSKEY = '123456';
const NUS_SERVICE = '6e400001b5a3f393e0a9e50e24dcca9e';

function walkedPod(): VirtualPod {
  const w = createWalker(demoScript().slice(0, 4), { seed: 21 });
  const pod = new VirtualPod({ bundle: readBundle(), imuSource: w.source, passkey: PASSKEY });
  pod.boot();
  pod.advance(w.duration_ms + 61_000);
  return pod;
}

/** A link to the pod, bonded with `passkey` (or not at all), for the time of fn. */
async function over<T>(pod: VirtualPod, passkey: string | undefined, fn: (c: PodClient) => Promise<T>): Promise<T> {
  return withRunningPod(pod, async () => {
    const link = gattMemoryTransport(pod.peripheral, { passkey });
    await link.open();
    try {
      return await fn(new PodClient(link, 300));
    } finally {
      await link.close();
    }
  });
}

const status = (pod: VirtualPod) => over(pod, PASSKEY, async (c) => (await c.request('hello', {}, 'info'), c.request('status_get', {}, 'status')));
const config = (pod: VirtualPod) => over(pod, PASSKEY, async (c) => (await c.request('hello', {}, 'info'), c.request('config_get', {}, 'config')));

describe('an unbonded central', () => {
  for (const passkey of [undefined, '000000']) {
    it(`${passkey ? 'with a wrong passkey' : 'that never paired'} can neither write a frame nor change anything`, async () => {
      const pod = walkedPod();
      const before = await status(pod);
      expect(before.next_seq).toBeGreaterThan(0);
      const attempts: [string, (c: PodClient) => Promise<unknown>][] = [
        ['erase', (c) => c.request('erase', { confirm: ERASE_CONFIRM }, 'ok')],
        ['config', (c) => c.request('config_set', { ...configDefaults(), buzz_on: 0 }, 'config')],
        ['raw', (c) => c.request('raw_start', { rate_hz: 52 }, 'ok')],
        ['calibrate', (c) => c.request('calibrate', { action: 1 }, 'calibration')],
        ['ack', (c) => c.request('ack', { up_to_seq: 1000 }, 'acked')],
      ];
      for (const [what, attempt] of attempts) {
        const err = (await over(pod, passkey, attempt).catch((e: unknown) => e)) as Error;
        expect(err, what).toBeInstanceOf(Error);
        expect(err.message, what).toMatch(/not paired/);
      }
      const after = await status(pod);
      expect(after).toMatchObject({ first_seq: before.first_seq, next_seq: before.next_seq });
      expect(await config(pod)).toEqual(configDefaults());
    });
  }

  it('cannot reach the JavaScript console: no Nordic UART service is offered', async () => {
    const pod = walkedPod();
    pod.peripheral.connect({ onDisconnect: () => {} });
    const services = pod.peripheral.services().map((s) => toNobleUuid(s.uuid));
    pod.peripheral.disconnect();
    expect(services.length).toBeGreaterThanOrEqual(2); // retrostep and RSC are there
    expect(services).not.toContain(NUS_SERVICE);
    expect(pod.peripheral.advertisement()?.serviceUuids?.map(toNobleUuid) ?? []).not.toContain(NUS_SERVICE);
  });
});

describe('a bonded central', () => {
  it('can change config and erase', async () => {
    const pod = walkedPod();
    await over(pod, PASSKEY, async (c) => {
      await c.request('hello', {}, 'info');
      await c.request('config_set', { ...configDefaults(), coach_steps: 30 }, 'config');
      await c.request('erase', { confirm: ERASE_CONFIRM }, 'ok');
    });
    expect((await config(pod)).coach_steps).toBe(30);
    const s = await status(pod);
    expect(s.first_seq).toBe(s.next_seq); // nothing held
  });
});

describe('replayed frames', () => {
  it('an old config_set frame sent again later is refused, and the later setting stays', async () => {
    const pod = walkedPod();
    const refusal = await over(pod, PASSKEY, async (c) => {
      const answers: { name: string; seq: number; payload: { code?: number } }[] = [];
      c.onUnsolicited((m) => answers.push(m as never));
      await c.request('hello', {}, 'info'); // seq 1
      await c.request('config_set', { ...configDefaults(), coach_steps: 10 }, 'config'); // seq 2: the frame an eavesdropper keeps
      await c.request('config_set', { ...configDefaults(), coach_steps: 20 }, 'config'); // seq 3
      // the kept frame, byte for byte, sent again
      await c.transport.write(encodeMessage('config_set', 2, { ...configDefaults(), coach_steps: 10 }));
      // (refused: an error; taken: a config. A late answer to a retried hello may carry seq 2 as well)
      await waitFor(() => answers.some((m) => m.seq === 2 && (m.name === 'error' || m.name === 'config')), 'the answer to the replayed frame', 30_000);
      return answers;
    });
    expect(refusal).toContainEqual(expect.objectContaining({ name: 'error', seq: 2, payload: expect.objectContaining({ code: ERR_REPLAY }) }));
    expect((await config(pod)).coach_steps).toBe(20);
  });

  it('a duplicated erase frame erases once: the second copy is refused', async () => {
    const pod = walkedPod();
    const answers = await over(pod, PASSKEY, async (c) => {
      const seen: { name: string; seq: number; payload: { code?: number } }[] = [];
      c.onUnsolicited((m) => seen.push(m as never));
      await c.request('hello', {}, 'info');
      const frame = encodeMessage('erase', 500, { confirm: ERASE_CONFIRM });
      await c.transport.write(frame);
      await c.transport.write(frame);
      await waitFor(() => seen.filter((m) => m.seq === 500).length >= 2, 'an answer to each copy', 30_000);
      return seen;
    });
    expect(answers.filter((m) => m.seq === 500).map((m) => m.name)).toEqual(['ok', 'error']);
    expect(answers.find((m) => m.name === 'error')!.payload.code).toBe(ERR_REPLAY);
  });
});
