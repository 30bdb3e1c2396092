/**
 * The radio behind a small interface: advertise, carry frames over the
 * retrostep service (RX write / TX notify), publish cadence on the standard
 * Running Speed and Cadence service, and report the link's security.
 *
 * Frames larger than one notification (MTU - 3 = 20 bytes at the default
 * MTU) go out in 20-byte pieces, one per TX_INTERVAL_MS, from a queue: the
 * SoftDevice has only a few notification buffers, and updateServices throws
 * when they are full, so a failed piece is simply retried on the next tick.
 */
import {
  RETROSTEP_RX_UUID,
  RETROSTEP_SERVICE_UUID,
  RETROSTEP_TX_UUID,
  RSC_FEATURE_UUID,
  RSC_MEASUREMENT_UUID,
  RSC_SERVICE_UUID,
  SENSOR_LOCATION_UUID,
} from '../../../shared/protocol/uuids.js';
import { round } from '../../../shared/math.js';

/** Bytes per notification at the default ATT MTU of 23. */
const NOTIFY_BYTES = 20;
/** Gap between notifications: ~2.5 KB/s, and the BLE stack keeps up at a 7.5-30 ms connection interval. */
const TX_INTERVAL_MS = 8;
/**
 * Bytes queued for TX at most: the largest answer (a records batch, ~345 B
 * encoded) plus a few live contact or raw frames. Beyond this the link is not
 * keeping up and frames are dropped (the host asks again), never RAM: each
 * 12 bytes here cost a variable of the pod's 2,630.
 */
const TX_QUEUE_MAX = 768;
/** RSC Sensor Location 3 = top of shoe (Bluetooth SIG assigned number). */
const LOCATION_TOP_OF_SHOE = 3;
/** RSC Feature bit 0: instantaneous stride length supported. */
const RSC_FEATURE_STRIDE_LENGTH = 1;

export interface Radio {
  /** Queue frame bytes for the host. False when the link is down or the queue is full. */
  send(bytes: Uint8Array): boolean;
  bonded(): boolean;
  /** Publish cadence on RSC (notify when a central subscribed). */
  rsc(speed_mps: number, cadence_spm: number, stride_m: number): void;
}

export function createRadio(name: string, passkey: string, onBytes: (b: Uint8Array) => void, onLink: (up: boolean) => void): Radio {
  // allocated while a host is connected only (null: no link): walking, the pod holds ~85 variables fewer (32-bit build)
  let queue: Uint8Array | null = null;
  let qlen = 0;
  let timer: number | undefined;

  const services: { [s: string]: { [c: string]: NrfCharacteristicSpec } } = {};
  services[RETROSTEP_SERVICE_UUID] = {};
  services[RETROSTEP_SERVICE_UUID][RETROSTEP_RX_UUID] = {
    writable: true,
    maxLen: NOTIFY_BYTES,
    // a bonded, encrypted link only: nobody in range can write to a pod they did not pair with
    security: { write: { encrypted: true, mitm: true } },
    onWrite: function (evt: { data: ArrayBuffer }) {
      onBytes(new Uint8Array(evt.data));
    },
  };
  services[RETROSTEP_SERVICE_UUID][RETROSTEP_TX_UUID] = { notify: true, readable: true, maxLen: NOTIFY_BYTES, value: [0] };
  services[RSC_SERVICE_UUID] = {};
  services[RSC_SERVICE_UUID][RSC_MEASUREMENT_UUID] = { notify: true, readable: true, maxLen: 10, value: [0, 0, 0, 0] };
  services[RSC_SERVICE_UUID][RSC_FEATURE_UUID] = { readable: true, value: [RSC_FEATURE_STRIDE_LENGTH, 0] };
  services[RSC_SERVICE_UUID][SENSOR_LOCATION_UUID] = { readable: true, value: [LOCATION_TOP_OF_SHOE] };
  NRF.setServices(services, { advertise: [RSC_SERVICE_UUID, RETROSTEP_SERVICE_UUID], uart: false });
  NRF.setSecurity({ passkey: passkey, mitm: 1, display: 1, bond: 1 });
  NRF.setAdvertising({}, { name: name, connectable: true });

  function pump(): void {
    timer = undefined;
    if (!queue || qlen === 0) return;
    const n = qlen < NOTIFY_BYTES ? qlen : NOTIFY_BYTES;
    const update: { [s: string]: { [c: string]: { value: Uint8Array; notify: boolean } } } = {};
    update[RETROSTEP_SERVICE_UUID] = {};
    update[RETROSTEP_SERVICE_UUID][RETROSTEP_TX_UUID] = { value: queue.slice(0, n), notify: true };
    try {
      NRF.updateServices(update);
      queue.set(queue.subarray(n, qlen), 0);
      qlen -= n;
    } catch (e) {
      // notification buffers full: try again next tick
    }
    if (qlen > 0) timer = setTimeout(pump, TX_INTERVAL_MS);
  }

  NRF.on('connect', function () {
    queue = new Uint8Array(TX_QUEUE_MAX);
    onLink(true);
  });
  NRF.on('disconnect', function () {
    queue = null;
    qlen = 0; // a half-sent frame is useless to the next central; its host resends its request
    onLink(false);
  });

  return {
    send: function (bytes: Uint8Array): boolean {
      if (!queue || qlen + bytes.length > TX_QUEUE_MAX) return false;
      queue.set(bytes, qlen);
      qlen += bytes.length;
      if (timer === undefined) timer = setTimeout(pump, 0);
      return true;
    },
    bonded: function () {
      const s = NRF.getSecurityStatus();
      return !!(s.connected && s.bonded);
    },
    rsc: function (speed_mps: number, cadence_spm: number, stride_m: number) {
      if (!queue) return;
      // RSC Measurement: flags (bit0 stride length present), speed u16 (1/256 m/s), cadence u8 (1/min), stride length u16 (cm)
      const speed = round(speed_mps * 256);
      const stride = round(stride_m * 100);
      const update: { [s: string]: { [c: string]: { value: number[]; notify: boolean } } } = {};
      update[RSC_SERVICE_UUID] = {};
      update[RSC_SERVICE_UUID][RSC_MEASUREMENT_UUID] = { value: [1, speed & 255, speed >> 8, Math.min(255, round(cadence_spm)), stride & 255, stride >> 8], notify: true };
      try {
        NRF.updateServices(update);
      } catch (e) {
        // no subscriber or buffers full: RSC is best effort
      }
    },
  };
}
