/**
 * Joins a host-side MemoryTransport to a GattPeripheral (the virtual pod) as
 * a BLE central would: on open, connect, pair with the passkey, subscribe to
 * TX; host writes go to RX in ATT-sized pieces; TX notifications come back as
 * data. A link dropped by the peripheral closes the transport as 'lost'.
 */
import { RETROSTEP_RX_UUID_NOBLE, RETROSTEP_SERVICE_UUID_NOBLE, RETROSTEP_TX_UUID_NOBLE, toNobleUuid } from '../../../shared/protocol/uuids.js';
import { MemoryTransport } from '../transports/memory.js';
import { TransportError } from '../transports/transport.js';
import { GattAuthError, type GattCharacteristic, type GattPeripheral } from './gatt.js';

/** ATT header bytes: a notification or write carries MTU - 3 bytes of value. */
const ATT_HEADER_BYTES = 3;

/** The characteristic `uuid` (noble form) of `service` on the peripheral, or a TransportError: not_found. */
export function findChar(p: GattPeripheral, uuid: string, service = RETROSTEP_SERVICE_UUID_NOBLE): GattCharacteristic {
  for (const s of p.services()) {
    if (toNobleUuid(s.uuid) !== toNobleUuid(service)) continue;
    for (const c of s.characteristics) if (toNobleUuid(c.uuid) === uuid) return c;
  }
  throw new TransportError('not_found', 'the pod has no retrostep service (is it running retrostep firmware?)');
}

export interface GattLinkOptions {
  passkey?: string;
  /** Service and characteristics to use (default: the retrostep service); e.g. the Nordic UART for the console. */
  service?: string;
  rx?: string;
  tx?: string;
}

/** A MemoryTransport whose far end is `peripheral`. Opening it connects; closing disconnects. */
export function gattMemoryTransport(peripheral: GattPeripheral, options: GattLinkOptions = {}): MemoryTransport {
  const transport = new MemoryTransport({ chunkBytes: peripheral.mtu - ATT_HEADER_BYTES });
  const device = transport.device;
  let rx: GattCharacteristic | null = null;
  let tx: GattCharacteristic | null = null;
  device.onConnect = () => {
    peripheral.connect({ onDisconnect: () => device.drop() });
    if (options.passkey !== undefined) peripheral.pair(options.passkey);
    rx = findChar(peripheral, toNobleUuid(options.rx ?? RETROSTEP_RX_UUID_NOBLE), options.service);
    tx = findChar(peripheral, toNobleUuid(options.tx ?? RETROSTEP_TX_UUID_NOBLE), options.service);
    tx.subscribe((value) => device.send(value));
  };
  device.onReceive = (bytes) => {
    try {
      rx?.write(bytes);
    } catch (e) {
      // what a central sees as ATT "insufficient authentication/encryption"
      if (e instanceof GattAuthError) throw new TransportError('io', 'the pod refused the write: this link is not paired with it (see README, "Pairing")');
      throw e;
    }
  };
  device.onDisconnect = () => {
    tx?.unsubscribe();
    rx = tx = null;
    peripheral.disconnect();
  };
  return transport;
}
