/**
 * The far end of the Web Bluetooth double (host/web/sim/web-bluetooth-double.ts):
 * a WebSocket server on loopback that turns the page's GATT operations into
 * calls on a GattPeripheral (the virtual pod running the real firmware
 * bundle), and the pod's notifications into messages to the page. It pairs at
 * each connect, as a browser holding a bond does, and can cut the link after
 * a given number of bytes have reached the page (a pod walking out of range).
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { GattAuthError, type GattCharacteristic, type GattPeripheral } from '../../host/src/sim/gatt.js';
import { toNobleUuid } from '../../shared/protocol/uuids.js';

export interface GattBridge {
  /** ws://127.0.0.1:PORT for window.__RETROSTEP_BRIDGE_URL__ */
  readonly url: string;
  /** Cut the link once this many more notified bytes have reached the page (one-shot each; several may be queued). */
  cutAfterBytes(bytes: number): void;
  /** links cut so far */
  readonly cuts: number;
  /** notified bytes sent to the page so far */
  readonly bytesToPage: number;
  /** connects the page made (reconnects included) */
  readonly connects: number;
  close(): Promise<void>;
}

interface Request {
  id: number;
  op: 'scan' | 'connect' | 'disconnect' | 'subscribe' | 'unsubscribe' | 'write' | 'read';
  service?: string;
  char?: string;
  data?: number[];
}

export async function startGattBridge(peripheral: GattPeripheral, options: { passkey: string }): Promise<GattBridge> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as { port: number }).port;
  let cuts = 0;
  let bytesToPage = 0;
  let connects = 0;
  const cutPoints: number[] = [];
  let connected = false;
  const subscribed: GattCharacteristic[] = [];

  function findChar(service: string, char: string): GattCharacteristic {
    for (const s of peripheral.services()) {
      if (toNobleUuid(s.uuid) !== toNobleUuid(service)) continue;
      for (const c of s.characteristics) if (toNobleUuid(c.uuid) === toNobleUuid(char)) return c;
    }
    throw Object.assign(new Error(`no characteristic ${char}`), { domName: 'NotFoundError' });
  }

  function endLink(): void {
    if (!connected) return;
    connected = false;
    for (const c of subscribed.splice(0)) c.unsubscribe();
    peripheral.disconnect();
  }

  wss.on('connection', (ws: WebSocket) => {
    const send = (m: object) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const cut = () => {
      cuts++;
      endLink();
      send({ event: 'disconnected' });
    };
    const handle = (r: Request): unknown => {
      switch (r.op) {
        case 'scan': {
          const adv = peripheral.advertisement();
          return adv && { localName: adv.localName, address: peripheral.address, serviceUuids: adv.serviceUuids };
        }
        case 'connect':
          connects++;
          peripheral.connect({
            onDisconnect: () => {
              if (!connected) return;
              connected = false;
              subscribed.splice(0);
              send({ event: 'disconnected' });
            },
          });
          connected = true;
          peripheral.pair(options.passkey);
          return peripheral.services().map((s) => ({ uuid: s.uuid, characteristics: s.characteristics.map((c) => ({ uuid: c.uuid, properties: c.properties })) }));
        case 'disconnect':
          endLink();
          return null;
        case 'subscribe': {
          const c = findChar(r.service!, r.char!);
          c.subscribe((value) => {
            if (!connected) return;
            // a cut point reached: this notification and everything after it never arrive
            if (cutPoints.length && bytesToPage + value.length > cutPoints[0]) {
              cutPoints.shift();
              cut();
              return;
            }
            bytesToPage += value.length;
            send({ event: 'notify', service: r.service, char: r.char, data: Array.from(value) });
          });
          subscribed.push(c);
          return null;
        }
        case 'unsubscribe': {
          const c = findChar(r.service!, r.char!);
          c.unsubscribe();
          subscribed.splice(subscribed.indexOf(c), 1);
          return null;
        }
        case 'write':
          if (!connected) throw Object.assign(new Error('GATT Server is disconnected.'), { domName: 'NetworkError' });
          findChar(r.service!, r.char!).write(Uint8Array.from(r.data!));
          return null;
        case 'read':
          return Array.from(findChar(r.service!, r.char!).read());
      }
    };
    ws.on('message', (raw) => {
      const r = JSON.parse(String(raw)) as Request;
      try {
        send({ id: r.id, ok: true, result: handle(r) ?? null });
      } catch (e) {
        // what Chrome reports for an ATT "insufficient authentication": the write is refused
        const name = e instanceof GattAuthError ? 'SecurityError' : ((e as { domName?: string }).domName ?? 'NotSupportedError');
        send({ id: r.id, ok: false, error: { name, message: (e as Error).message } });
      }
    });
    ws.on('close', () => endLink());
  });

  return {
    url: `ws://127.0.0.1:${port}`,
    cutAfterBytes(bytes: number) {
      cutPoints.push(bytesToPage + bytes);
      cutPoints.sort((a, b) => a - b);
    },
    get cuts() {
      return cuts;
    },
    get bytesToPage() {
      return bytesToPage;
    },
    get connects() {
      return connects;
    },
    close: () =>
      new Promise<void>((resolve) => {
        endLink();
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
