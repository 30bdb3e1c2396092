/**
 * The `retrostep web` page's Web Bluetooth transport in Node, over the fake
 * navigator.bluetooth (host/web/sim/fake-web-bluetooth.ts) joined to a raw
 * GATT pod by peripheral-wire.ts: the transport contract every transport
 * passes, then the fake's own Chrome behaviours, failures included, that
 * the transport has to live with. (The page over the same fake and the real
 * firmware, in Chromium: web-browser.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readBundle } from '../host/src/firmware-bundle.js';
import { PodClient } from '../host/src/pod-client.js';
import { withRunningPod } from '../host/src/sim/run-pod.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { TransportError } from '../host/src/transports/transport.js';
import { WebBluetoothTransport } from '../host/web/page/web-bluetooth-transport.js';
import { type FakeBluetooth, type FakeCharacteristic, type FakeDevice, fakeBluetooth } from '../host/web/sim/fake-web-bluetooth.js';
import { peripheralWire } from '../host/web/sim/peripheral-wire.js';
import { RETROSTEP_RX_UUID, RETROSTEP_SERVICE_UUID, RETROSTEP_TX_UUID, RSC_SERVICE_UUID } from '../shared/protocol/uuids.js';
import { runTransportContract } from './contract/transport-contract.js';
import { TestPod } from './helpers/test-pod.js';
import { concat, waitFor } from './helpers/wait.js';

const FILTER = { filters: [{ services: [RETROSTEP_SERVICE_UUID] }] };
/** the fake delivers each event in a task of its own: let them all run */
const settle = () => new Promise((r) => setTimeout(r, 20));

interface Rig {
  pod: TestPod;
  bluetooth: FakeBluetooth;
  device: FakeDevice;
  close(): void;
}

async function rig(opts: { mtu?: number } = {}): Promise<Rig> {
  const pod = new TestPod('c0:ff:ee:00:2a:01', 'retrostep-2a01', opts);
  const wire = peripheralWire(pod, { passkey: pod.passkey });
  const bluetooth = fakeBluetooth(wire);
  const device = await bluetooth.requestDevice(FILTER);
  return { pod, bluetooth, device, close: () => wire.close() };
}

/** RX and TX as a page gets them: connect, the service, its characteristics. */
async function characteristics(device: FakeDevice): Promise<{ rx: FakeCharacteristic; tx: FakeCharacteristic }> {
  const server = await device.gatt.connect();
  const service = await server.getPrimaryService(RETROSTEP_SERVICE_UUID);
  return { rx: await service.getCharacteristic(RETROSTEP_RX_UUID), tx: await service.getCharacteristic(RETROSTEP_TX_UUID) };
}

runTransportContract('web bluetooth (fake navigator.bluetooth)', async () => {
  const r = await rig();
  const transport = new WebBluetoothTransport(r.device);
  return {
    transport,
    peer: {
      received: () => concat(r.pod.writes),
      send: async (bytes) => {
        await waitFor(() => r.pod.subscribed, 'TX subscription');
        r.pod.notify(bytes);
      },
      drop: () => r.pod.drop(),
    },
    teardown: async () => {
      await transport.close();
      r.close();
    },
  };
});

describe('the fake navigator.bluetooth behaves like Chrome, and the transport copes', () => {
  const rigs: Rig[] = [];
  const make = async (opts: { mtu?: number } = {}) => {
    const r = await rig(opts);
    rigs.push(r);
    return r;
  };
  afterEach(() => {
    for (const r of rigs.splice(0)) {
      if (r.device.gatt.connected) r.device.gatt.disconnect();
      r.close();
    }
  });

  it('two writes at once on one characteristic: the second is refused ("GATT operation already in progress"); the transport queues its own', async () => {
    const r = await make();
    const { rx } = await characteristics(r.device);
    const first = rx.writeValueWithResponse(new Uint8Array([1, 2]));
    const second = rx.writeValueWithResponse(new Uint8Array([3]));
    await expect(second).rejects.toMatchObject({ name: 'NetworkError', message: 'GATT operation already in progress.' });
    await first;
    expect(r.pod.writes.map((w) => Array.from(w))).toEqual([[1, 2]]);
    r.device.gatt.disconnect();

    const t = new WebBluetoothTransport(r.device);
    await t.open();
    const parts = [new Uint8Array(45).fill(1), new Uint8Array(3).fill(2), new Uint8Array(21).fill(3)];
    await Promise.all(parts.map((p) => t.write(p)));
    expect(Array.from(concat(r.pod.writes))).toEqual(Array.from(concat(parts)));
    await t.close();
  });

  it('a lost link: gattserverdisconnected once, calls reject with NetworkError, and characteristics from before a reconnect are no longer valid', async () => {
    const r = await make();
    const { rx } = await characteristics(r.device);
    let events = 0;
    r.device.addEventListener('gattserverdisconnected', () => events++);
    r.pod.drop();
    await settle();
    expect(events).toBe(1);
    expect(r.device.gatt.connected).toBe(false);
    await expect(rx.writeValueWithResponse(new Uint8Array([1]))).rejects.toMatchObject({ name: 'NetworkError', message: expect.stringMatching(/^GATT Server is disconnected\. Cannot perform GATT operations/) });
    await expect(r.device.gatt.getPrimaryService(RETROSTEP_SERVICE_UUID)).rejects.toMatchObject({ name: 'NetworkError' });

    const again = await characteristics(r.device);
    expect(again.rx).not.toBe(rx);
    await expect(rx.writeValueWithResponse(new Uint8Array([1]))).rejects.toMatchObject({ name: 'InvalidStateError', message: expect.stringContaining('is no longer valid') });
    await again.rx.writeValueWithResponse(new Uint8Array([9]));
    expect(r.pod.writes.map((w) => Array.from(w))).toEqual([[9]]);
    // the page's own disconnect() fires the event at once
    r.device.gatt.disconnect();
    expect(events).toBe(2);
  });

  it('a write the link can no longer carry, before the browser reports the loss: the transport closes as lost, once', async () => {
    const r = await make();
    const t = new WebBluetoothTransport(r.device);
    const closes: (TransportError | undefined)[] = [];
    t.on('close', (e) => closes.push(e));
    await t.open();
    r.pod.drop();
    // the browser's event is still queued: the write is what finds out
    expect(r.device.gatt.connected).toBe(true);
    await expect(t.write(new Uint8Array([1]))).rejects.toMatchObject({ code: 'lost' });
    expect(t.isOpen).toBe(false);
    await settle();
    expect(closes.map((e) => e?.code)).toEqual(['lost']);
  });

  it('value sizes: at most 512 bytes from the page, at most one ATT packet (MTU - 3) to the pod; notifications come in MTU - 3 pieces', async () => {
    const r = await make();
    const { rx, tx } = await characteristics(r.device);
    await expect(rx.writeValueWithResponse(new Uint8Array(513))).rejects.toMatchObject({ name: 'InvalidModificationError', message: "Value can't exceed 512 bytes." });
    await expect(rx.writeValueWithResponse(new Uint8Array(21))).rejects.toMatchObject({ name: 'InvalidModificationError', message: 'GATT Error: invalid attribute length.' });
    await rx.writeValueWithoutResponse(new Uint8Array(20));
    expect(r.pod.writes.map((w) => w.length)).toEqual([20]);
    const sizes: number[] = [];
    tx.addEventListener('characteristicvaluechanged', () => sizes.push(tx.value!.byteLength));
    await tx.startNotifications();
    r.pod.notify(new Uint8Array(45));
    await settle();
    expect(sizes).toEqual([20, 20, 5]);

    // a link with a larger MTU carries more per packet; the transport still writes 20 at a time (the page cannot see the MTU)
    const big = await make({ mtu: 247 });
    const t = new WebBluetoothTransport(big.device);
    await t.open();
    await t.write(new Uint8Array(50));
    expect(big.pod.writes.map((w) => w.length)).toEqual([20, 20, 10]);
    const got: number[] = [];
    t.on('data', (d) => got.push(d.length));
    big.pod.notify(new Uint8Array(300));
    await waitFor(() => got.reduce((a, b) => a + b, 0) >= 300, '300 notified bytes');
    expect(got).toEqual([244, 56]);
    await t.close();
  });

  it('the chooser: filters are required, only matching pods are offered, and only the services asked for may be used', async () => {
    const r = await make();
    await expect(r.bluetooth.requestDevice({})).rejects.toBeInstanceOf(TypeError);
    await expect(r.bluetooth.requestDevice({ filters: [{ services: ['180d'] }] })).rejects.toMatchObject({ name: 'NotFoundError', message: 'User cancelled the requestDevice() chooser.' });
    expect(await r.bluetooth.requestDevice({ filters: [{ namePrefix: 'retrostep-' }] })).toBe(r.device);
    const server = await r.device.gatt.connect();
    // the pod offers RSC, but the page named only the retrostep service
    await expect(server.getPrimaryService(RSC_SERVICE_UUID)).rejects.toMatchObject({ name: 'SecurityError' });
    expect(await server.getPrimaryService(RETROSTEP_SERVICE_UUID)).toBe(await server.getPrimaryService(RETROSTEP_SERVICE_UUID));
  });
});

describe('over the virtual pod (the real firmware bundle)', () => {
  const PASSKEY = '123456';
  /** hello over the Web Bluetooth transport, the browser bonded with `passkey` */
  async function hello(pod: VirtualPod, passkey: string): Promise<unknown> {
    const wire = peripheralWire(pod.peripheral, { passkey });
    const device = await fakeBluetooth(wire).requestDevice(FILTER);
    const transport = new WebBluetoothTransport(device);
    return withRunningPod(pod, async () => {
      await transport.open();
      try {
        return await new PodClient(transport, 300).request('hello', {}, 'info');
      } finally {
        await transport.close();
        wire.close();
      }
    });
  }

  it('a bonded link answers; an unbonded one is refused at the first write, and the transport says to pair', async () => {
    const pod = new VirtualPod({ bundle: readBundle(), passkey: PASSKEY });
    pod.boot();
    expect(await hello(pod, PASSKEY)).toMatchObject({ pod_id: expect.stringMatching(/^[0-9a-f]{12}$/) });
    const refused = (await hello(pod, '000000').catch((e: unknown) => e)) as TransportError;
    expect(refused).toBeInstanceOf(TransportError);
    expect(refused.message).toMatch(/GATT operation not authorized.*pair the pod when the browser asks/);
  });
});
