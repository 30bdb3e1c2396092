/**
 * BleTransport through noble's real core, over FakeBindings, with a small
 * GATT peripheral on the far side. No adapter involved: this proves the
 * transport against noble's event contract; radio timing, pairing and the
 * real pod's advertising are checked on hardware only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Noble, Peripheral } from '@stoprocent/noble';
import { BleTransport } from '../host/src/transports/ble.js';
import { scanPods } from '../host/src/transports/ble-scan.js';
import { createNobleWithBindings } from '../host/src/transports/noble-setup.js';
import { FakeBindings } from '../host/src/transports/noble-fake-bindings.js';
import { TransportError } from '../host/src/transports/transport.js';
import {
  NUS_SERVICE_UUID_NOBLE,
  RETROSTEP_RX_UUID,
  RETROSTEP_RX_UUID_NOBLE,
  RETROSTEP_SERVICE_UUID,
  RETROSTEP_SERVICE_UUID_NOBLE,
  RSC_SERVICE_UUID,
  toNobleUuid,
} from '../shared/protocol/uuids.js';
import { runTransportContract } from './contract/transport-contract.js';
import { TestPod } from './helpers/test-pod.js';
import { concat, waitFor } from './helpers/wait.js';

/** Short timeouts: every wait here is on in-process events. */
const SCAN_TIMEOUT_ms = 300;
const CONNECT_TIMEOUT_ms = 300;
const ADAPTER_SETTLE_ms = 50;

interface Rig {
  pods: TestPod[];
  bindings: FakeBindings;
  noble: Noble;
  /** Stop noble's (fake) bindings: what the owner of a noble does at exit. */
  stop(): void;
}

/**
 * After close() nothing may keep the process alive. The fake's timers are
 * the only handles here, so "the bindings are idle" is that check, made
 * before the owner's noble.stop() (which would clear them anyway).
 */
function expectIdle(r: Rig): void {
  expect(r.bindings.idle, 'bindings idle after close: no scan, pending connect or link left').toBe(true);
}

function rig(pods: TestPod[], adapterState: 'poweredOn' | 'poweredOff' | 'unsupported' = 'poweredOn'): Rig {
  const bindings = new FakeBindings({ peripherals: pods, adapterState });
  const noble = createNobleWithBindings(bindings);
  return {
    pods,
    bindings,
    noble,
    stop: () => {
      noble.stop();
      noble.removeAllListeners();
    },
  };
}

function transportFor(r: Rig, extra: Partial<ConstructorParameters<typeof BleTransport>[0]> = {}): BleTransport {
  return new BleTransport({
    noble: r.noble,
    scanTimeout_ms: SCAN_TIMEOUT_ms,
    connectTimeout_ms: CONNECT_TIMEOUT_ms,
    adapterSettle_ms: ADAPTER_SETTLE_ms,
    ...extra,
  });
}

runTransportContract('ble', async () => {
  const pod = new TestPod('c0:ff:ee:00:1a:2b', 'retrostep-1a2b');
  const r = rig([pod]);
  const transport = transportFor(r, { name: 'retrostep-1a2b' });
  return {
    transport,
    peer: {
      received: () => concat(pod.writes),
      send: async (bytes) => {
        await waitFor(() => pod.subscribed, 'TX subscription');
        pod.notify(bytes);
      },
      drop: () => pod.drop(),
    },
    teardown: async () => {
      await transport.close();
      expectIdle(r);
      r.stop();
    },
  };
});

describe('BleTransport over noble + FakeBindings', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  function track(r: Rig, t?: BleTransport): void {
    cleanups.push(async () => {
      await t?.close();
      expectIdle(r);
      r.stop();
    });
  }
  /** A rig with `pod` alone in range, and a transport opened to it (closed after the test). */
  async function openedOn(pod: TestPod): Promise<{ r: Rig; t: BleTransport }> {
    const r = rig([pod]);
    const t = transportFor(r);
    track(r, t);
    await t.open();
    return { r, t };
  }

  it('splits writes into ATT_MTU - 3 byte chunks (20 at the default MTU), in order', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:01', 'retrostep-0001');
    const { t } = await openedOn(pod);
    expect(t.mtu).toBe(23);
    const data = Uint8Array.from({ length: 107 }, (_, i) => i);
    await t.write(data);
    await waitFor(() => concat(pod.writes).length >= 107, 'all bytes at the pod');
    expect(pod.writes.map((w) => w.length)).toEqual([20, 20, 20, 20, 20, 7]);
    expect(Array.from(concat(pod.writes))).toEqual(Array.from(data));
  });

  it('uses the negotiated MTU: 244 bytes per write at MTU 247', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:02', 'retrostep-0002', { mtu: 247 });
    const { t } = await openedOn(pod);
    expect(t.mtu).toBe(247);
    await t.write(new Uint8Array(600));
    await waitFor(() => concat(pod.writes).length >= 600, 'all bytes at the pod');
    expect(pod.writes.map((w) => w.length)).toEqual([244, 244, 112]);
  });

  it('falls back to write with response when RX has no write-without-response', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:03', 'retrostep-0003', { rxProperties: ['write'] });
    const { t } = await openedOn(pod);
    await t.write(new Uint8Array(45).fill(7));
    // resolved only after each chunk was acknowledged, so the bytes are already there
    expect(pod.writes.map((w) => w.length)).toEqual([20, 20, 5]);
  });

  it('keeps concurrent write() calls in call order', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:04', 'retrostep-0004');
    const { t } = await openedOn(pod);
    const parts = [new Uint8Array(30).fill(1), new Uint8Array(5).fill(2), new Uint8Array(41).fill(3)];
    await Promise.all(parts.map((p) => t.write(p)));
    expect(Array.from(concat(pod.writes))).toEqual(Array.from(concat(parts)));
  });

  it('rejects a write cut by a lost link with TransportError "lost"', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:05', 'retrostep-0005', { rxProperties: ['write'] });
    const { t } = await openedOn(pod);
    pod.dropAfterWrites = 3;
    await expect(t.write(new Uint8Array(2000))).rejects.toMatchObject({ code: 'lost' });
    expect(pod.writes).toHaveLength(3);
    expect(t.isOpen).toBe(false);
  });

  it('with no adapter (state "unsupported") open() rejects TransportError "no_adapter"', async () => {
    const r = rig([new TestPod('c0:ff:ee:00:00:06', 'retrostep-0006')], 'unsupported');
    const t = transportFor(r);
    track(r, t);
    const err = await t.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('no_adapter');
    expect((err as TransportError).message).toMatch(/adapter/i);
  });

  it('with the adapter switched off, open() says so', async () => {
    const r = rig([], 'poweredOff');
    const t = transportFor(r);
    track(r, t);
    await expect(t.open()).rejects.toMatchObject({ code: 'no_adapter', message: expect.stringMatching(/off/) });
  });

  it('a name that is not advertised gives "not_found" within the scan timeout', async () => {
    const r = rig([new TestPod('c0:ff:ee:00:00:07', 'retrostep-0007')]);
    const t = transportFor(r, { name: 'retrostep-ffff' });
    track(r, t);
    const t0 = Date.now();
    const err = await t.open().catch((e: unknown) => e);
    // it scanned the whole of its scan time (a lower bound: a busy machine only makes it longer)...
    expect(Date.now() - t0).toBeGreaterThanOrEqual(SCAN_TIMEOUT_ms - 20);
    expect(err).toMatchObject({ code: 'not_found', message: expect.stringContaining('retrostep-ffff') });
    // ...and that scan time was the one given, not the 10 s default: the message names the time it scanned
    expect((err as TransportError).message).toContain(`found within ${(SCAN_TIMEOUT_ms / 1000).toFixed(1)} s`);
    expect(t.isOpen).toBe(false);
  });

  it('no pod found, but a Puck.js console heard (a new Puck.js, or a pod whose program is gone): "not_found" says what it is and how to install retrostep', async () => {
    const blank = new TestPod('c0:ff:ee:00:00:08', 'Puck.js 0008', { serviceUuids: [NUS_SERVICE_UUID_NOBLE] });
    const updating = new TestPod('c0:ff:ee:00:00:09', 'retrostep-0009 update', { serviceUuids: [NUS_SERVICE_UUID_NOBLE] });
    const bangle = new TestPod('c0:ff:ee:00:00:0a', 'Bangle.js 000a', { serviceUuids: [NUS_SERVICE_UUID_NOBLE] });
    const r = rig([blank, updating, bangle]);
    const blankHint = 'Puck.js 0008 is a Puck.js with no retrostep program: if it is your pod (a new Puck.js, or one whose program was lost), install it with retrostep --ble "Puck.js 0008" flash';
    const updateHint = 'retrostep-0009 update is a pod in update mode: run retrostep --ble "retrostep-0009 update" flash, or wait (it leaves update mode by itself within 5 minutes)';
    const notFound = async (extra: Partial<ConstructorParameters<typeof BleTransport>[0]>) => {
      const t = transportFor(r, extra);
      track(r, t);
      const err = (await t.open().catch((e: unknown) => e)) as TransportError;
      expect(err.code).toBe('not_found');
      return err.message.replace(/within [\d.]+ s/, 'within T');
    };
    // no pod named: where to look first, then each Puck.js heard (any may be someone else's); the watch is no pod
    expect(await notFound({})).toBe(`no retrostep pod at all found within T: is it awake, in range, and not connected to another device? Also heard: ${blankHint}; ${updateHint}`);
    // a pod named: its own digits' Puck.js only, as the pod it is
    expect(await notFound({ name: 'retrostep-0008' })).toBe(`no retrostep pod named "retrostep-0008" found within T: ${blankHint}`);
    expect(await notFound({ address: 'c0:ff:ee:00:00:09' })).toBe(`no retrostep pod at c0:ff:ee:00:00:09 found within T: ${updateHint}`);
    expect(await notFound({ name: 'retrostep-ffff' })).toBe('no retrostep pod named "retrostep-ffff" found within T: is it awake, in range, and not connected to another device?');
    expect(blank.connected || updating.connected || bangle.connected).toBe(false);
  });

  it('a pod heard in update mode that restarts into its program while the scan goes on is found', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:0b', 'retrostep-000b', { serviceUuids: [NUS_SERVICE_UUID_NOBLE] });
    pod.adName = 'retrostep-000b update';
    const r = rig([pod]);
    const t = transportFor(r, { name: 'retrostep-000b', scanTimeout_ms: 1000 });
    track(r, t);
    setTimeout(() => {
      pod.adName = 'retrostep-000b';
      pod.adServiceUuids = [RSC_SERVICE_UUID, RETROSTEP_SERVICE_UUID_NOBLE];
    }, 150);
    await t.open();
    expect(pod.connected).toBe(true);
  });

  it('picks the pod by name or address among several', async () => {
    const a = new TestPod('c0:ff:ee:00:00:0a', 'retrostep-000a');
    const b = new TestPod('c0:ff:ee:00:00:0b', 'retrostep-000b');
    const r = rig([a, b]);
    const byName = transportFor(r, { name: 'RETROSTEP-000B' });
    track(r, byName);
    await byName.open();
    expect(b.connected).toBe(true);
    expect(a.connected).toBe(false);
    expect(byName.description).toBe('ble retrostep-000b');
    await byName.close();
    const byAddress = transportFor(r, { address: 'C0:FF:EE:00:00:0A' });
    cleanups.push(() => byAddress.close());
    await byAddress.open();
    expect(a.connected).toBe(true);
  });

  it('ignores devices without the retrostep service (an RSC-only footpod)', async () => {
    const stryd = new TestPod('c0:ff:ee:00:00:0c', 'retrostep-000c', { serviceUuids: [RSC_SERVICE_UUID] });
    const r = rig([stryd]);
    const t = transportFor(r);
    track(r, t);
    await expect(t.open()).rejects.toMatchObject({ code: 'not_found' });
    expect(stryd.connected).toBe(false);
  });

  it('a pod that stops advertising before the connection gives "timeout"', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:0d', 'retrostep-000d');
    const r = rig([pod]);
    // another central grabs the pod the moment we hear it
    r.noble.on('discover', () => void (pod.advertising = false));
    const t = transportFor(r);
    track(r, t);
    await expect(t.open()).rejects.toMatchObject({ code: 'timeout' });
    expect(pod.connected).toBe(false);
    expect(r.bindings.connectedIds).toEqual([]);
  });

  it('close() unsubscribes TX and disconnects the pod', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:0e', 'retrostep-000e');
    const { r, t } = await openedOn(pod);
    expect(pod.subscribed).toBe(true);
    await t.close();
    expect(pod.subscribed).toBe(false);
    expect(pod.connected).toBe(false);
    expect(r.bindings.connectedIds).toEqual([]);
  });

  it('close() during open() cancels the scan and rejects open with "closed"', async () => {
    const r = rig([]);
    // a scan far longer than the wait below: only the close can end this open in time
    const t = transportFor(r, { scanTimeout_ms: 120_000 });
    track(r, t);
    const opening = t.open().catch((e: unknown) => e);
    await new Promise((res) => setTimeout(res, 30));
    const closing = t.close();
    const ended = await Promise.race([opening, new Promise((res) => setTimeout(() => res('still opening 10 s after close()'), 10_000))]);
    expect(ended).toMatchObject({ code: 'closed' });
    await closing;
  });

  it('the adapter going away mid-session ends the link with "lost"', async () => {
    const pod = new TestPod('c0:ff:ee:00:00:0f', 'retrostep-000f');
    const r = rig([pod]);
    const t = transportFor(r);
    track(r, t);
    const closes: (TransportError | undefined)[] = [];
    t.on('close', (e) => closes.push(e));
    await t.open();
    r.bindings.setAdapterState('poweredOff');
    await waitFor(() => closes.length > 0, 'close event');
    expect(closes).toHaveLength(1);
    expect(closes[0]?.code).toBe('lost');
  });

  it('scanPods lists peripherals with the retrostep service as pods, Puck.js consoles apart, others not at all; strongest first', async () => {
    const near = new TestPod('c0:ff:ee:00:01:01', 'retrostep-0101', { rssi: -48 });
    const far = new TestPod('c0:ff:ee:00:01:02', 'retrostep-0102', { rssi: -85 });
    const hrm = new TestPod('c0:ff:ee:00:01:03', 'HRM-Pro', { serviceUuids: ['180d'] });
    const rscOnly = new TestPod('c0:ff:ee:00:01:04', 'Stryd', { serviceUuids: [RSC_SERVICE_UUID] });
    const blank = new TestPod('c0:ff:ee:00:01:05', 'Puck.js 0105', { rssi: -70, serviceUuids: [NUS_SERVICE_UUID_NOBLE] });
    const bangle = new TestPod('c0:ff:ee:00:01:06', 'Bangle.js 0106', { rssi: -60, serviceUuids: [NUS_SERVICE_UUID_NOBLE] });
    const r = rig([far, hrm, blank, near, rscOnly, bangle]);
    track(r);
    const heard = await scanPods({ noble: r.noble, duration_ms: 100, adapterSettle_ms: ADAPTER_SETTLE_ms });
    expect(heard.pods).toEqual([
      { name: 'retrostep-0101', address: 'c0:ff:ee:00:01:01', rssi: -48 },
      { name: 'retrostep-0102', address: 'c0:ff:ee:00:01:02', rssi: -85 },
    ]);
    // (a Bangle.js offers the same console: no pod, and flash is not for it)
    expect(heard.consoles).toEqual([{ name: 'Puck.js 0105', address: 'c0:ff:ee:00:01:05', rssi: -70 }]);
  });

  it('scanPods with no adapter rejects "no_adapter"', async () => {
    const r = rig([], 'unsupported');
    track(r);
    await expect(scanPods({ noble: r.noble, duration_ms: 50, adapterSettle_ms: ADAPTER_SETTLE_ms })).rejects.toMatchObject({ code: 'no_adapter' });
  });
});

describe('retrostep UUIDs', () => {
  it('noble forms match the dashed forms', () => {
    expect(toNobleUuid(RETROSTEP_SERVICE_UUID)).toBe(RETROSTEP_SERVICE_UUID_NOBLE);
    expect(toNobleUuid(RETROSTEP_RX_UUID)).toBe(RETROSTEP_RX_UUID_NOBLE);
    expect(toNobleUuid('0x1814')).toBe('1814');
    expect(RETROSTEP_SERVICE_UUID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('FakeBindings behaves like a controller', () => {
  it('answers GATT requests for an unknown peripheral with an error, asynchronously', async () => {
    const bindings = new FakeBindings({ peripherals: [] });
    bindings.start();
    const events: unknown[][] = [];
    bindings.on('write', (...args: unknown[]) => events.push(args));
    bindings.write('aabbccddeeff', RETROSTEP_SERVICE_UUID_NOBLE, RETROSTEP_RX_UUID_NOBLE, Buffer.from([1]), false);
    expect(events).toHaveLength(0); // never from inside the call
    await waitFor(() => events.length > 0, 'write answer');
    expect(events[0]?.[3]).toBeInstanceOf(Error); // (id, service, characteristic, error)
    bindings.stop();
  });

  it('pairs through noble with the passkey the fake was given (noble has no passkey API)', async () => {
    for (const [passkey, ok] of [['123456', true], ['000000', false]] as const) {
      const pod = new TestPod('c0:ff:ee:00:02:01', 'retrostep-0201');
      const bindings = new FakeBindings({ peripherals: [pod], passkey });
      const noble = createNobleWithBindings(bindings);
      const t = new BleTransport({ noble, adapterSettle_ms: ADAPTER_SETTLE_ms });
      let heard: Peripheral | null = null;
      noble.on('discover', (p: Peripheral) => void (heard = p));
      await t.open();
      const pairing = heard!.pairAsync();
      if (ok) await expect(pairing).resolves.toBeUndefined();
      else await expect(pairing).rejects.toThrow(/passkey/);
      expect(pod.bonded).toBe(ok);
      await t.close();
      noble.stop();
    }
  });
});
