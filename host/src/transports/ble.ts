/**
 * Bluetooth LE link to a pod through @stoprocent/noble: scan for the
 * retrostep service, connect, write frames to RX, receive frames as TX
 * notifications. Implements the Transport contract (transport.ts). Getting
 * noble and the adapter ready is noble-setup.ts; reading advertisements and
 * `retrostep scan`, ble-scan.ts.
 *
 * noble facts this module is built around (noble 2.x, read from its source):
 * - GATT requests that the peer refuses are never answered by the Linux
 *   hci-socket bindings (an ATT error response is dropped), so every await
 *   on noble here has a timeout (noble-guard.ts).
 * - A Characteristic accepts one outstanding write: a second write() before
 *   the first completes replaces the first one's callback (onceExclusive),
 *   which would then never resolve. Writes are therefore serialised here.
 * - Both our own disconnect and a lost link arrive as the same 'disconnect'
 *   event; a `closing` flag tells them apart.
 * - The default noble starts an HCI socket (and a 1 s adapter poll) on first
 *   use and keeps the process alive until stop(). An instance we create is
 *   stopped when the link ends; an injected instance belongs to the caller.
 */
import type { AdapterState, Characteristic, Noble, Peripheral } from '@stoprocent/noble';
import { BaseTransport, TransportError } from './transport.js';
import { advertisesService, consoleHint, consoleOnly, displayAddress, flashableSuffix, type PodSighting, podSuffix, sighting, stopScanningQuietly } from './ble-scan.js';
import { GATT_TIMEOUT_ms, guard, messageOf } from './noble-guard.js';
import { createDefaultNoble, noAdapterError, waitForPoweredOn } from './noble-setup.js';
import { normalizeAddress } from '../pod-address.js';
import { NUS_SERVICE_UUID_NOBLE, RETROSTEP_RX_UUID_NOBLE, RETROSTEP_SERVICE_UUID_NOBLE, RETROSTEP_TX_UUID_NOBLE, toNobleUuid } from '../../../shared/protocol/uuids.js';

/** ATT_MTU before (or without) an MTU exchange (Core spec Vol 3 Part F 3.2.8). */
const DEFAULT_ATT_MTU = 23;
/** ATT Write header: opcode (1 byte) + attribute handle (2): a write carries MTU - 3 bytes. */
const ATT_WRITE_HEADER_BYTES = 3;
/** A Puck.js advertises every 375 ms; 10 s also covers a pod just woken by its button and duty-cycled scan windows. */
const DEFAULT_SCAN_TIMEOUT_ms = 10_000;
/** A connection is normally up in well under a second; 10 s allows for a weak signal and retries by the controller. */
const DEFAULT_CONNECT_TIMEOUT_ms = 10_000;
/** Waiting for our own disconnect to complete; the link supervision timeout on the pod is of this order. */
const DISCONNECT_TIMEOUT_ms = 2_000;

/** HCI disconnect reasons worth a human sentence (Core spec Vol 1 Part F). */
const HCI_REASONS: Record<number, string> = {
  0x03: 'the Bluetooth adapter failed or was removed',
  0x08: 'connection timeout: the pod is out of range or switched off',
  0x13: 'the pod ended the connection',
  0x16: 'closed by this computer',
  0x3e: 'the connection could not be established',
};

/**
 * Looking for a console (`flash`: serviceUuid the Nordic UART), the pod was heard running its program, with the retrostep
 * service and no console: in range, not in update mode. Nothing heard at all is a plain "not_found".
 */
export class PodWithoutConsoleError extends TransportError {
  constructor(
    readonly pod: PodSighting,
    scanned: string,
  ) {
    super('not_found', `${pod.name || pod.address} was heard running its program, not in update mode (no console ${scanned})`);
    this.name = 'PodWithoutConsoleError';
  }
}

export interface BleTransportOptions {
  /** A noble instance (tests, the sim). Default: the real @stoprocent/noble, loaded on first open(). */
  noble?: Noble;
  /** Advertised name to connect to, e.g. 'retrostep-1a2b' (case-insensitive). */
  name?: string;
  /** MAC address ('aa:bb:cc:dd:ee:ff') or noble peripheral id (macOS has ids, not addresses). */
  address?: string;
  /** Service to scan for and use; any UUID spelling. Default: the retrostep service. */
  serviceUuid?: string;
  /** Characteristic the central writes. Default: retrostep RX. */
  rxUuid?: string;
  /** Characteristic the pod notifies. Default: retrostep TX. */
  txUuid?: string;
  scanTimeout_ms?: number;
  connectTimeout_ms?: number;
  /** Grace for a not-ready adapter state before 'no_adapter' (see DEFAULT_ADAPTER_SETTLE_ms, noble-setup.ts). */
  adapterSettle_ms?: number;
  adapterTimeout_ms?: number;
}

/** Everything about one connection; dropped as a whole when the link ends. */
interface Link {
  readonly peripheral: Peripheral;
  readonly label: string;
  rx: Characteristic | null;
  tx: Characteristic | null;
  mtu: number;
  /** close() started: a disconnect now is ours, not a loss. */
  closing: boolean;
  /** Set when the link dropped from the far side. */
  lost: TransportError | null;
  readonly onDisconnect: (reason: unknown) => void;
  readonly onMtu: (mtu: number) => void;
  readonly onData: (data: Buffer, isNotification: boolean) => void;
}

function describeReason(reason: unknown): string {
  if (typeof reason === 'number') return HCI_REASONS[reason] ?? `HCI reason 0x${reason.toString(16)}`;
  if (reason === 'cleanup') return 'the Bluetooth adapter stopped';
  return String(reason);
}

export class BleTransport extends BaseTransport {
  private readonly options: BleTransportOptions;
  private readonly serviceUuid: string;
  private readonly rxUuid: string;
  private readonly txUuid: string;
  /** A noble we created (and must stop); null when injected or not yet needed. */
  private ownedNoble: Noble | null = null;
  private link: Link | null = null;
  private opening: AbortController | null = null;
  private openSettled: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;
  /** Tail of the write queue: writes run one after another, in call order. */
  private writeTail: Promise<void> = Promise.resolve();
  /** Name of the connected pod, for messages. */
  private connectedLabel: string | null = null;

  constructor(options: BleTransportOptions = {}) {
    super();
    this.options = options;
    this.serviceUuid = toNobleUuid(options.serviceUuid ?? RETROSTEP_SERVICE_UUID_NOBLE);
    this.rxUuid = toNobleUuid(options.rxUuid ?? RETROSTEP_RX_UUID_NOBLE);
    this.txUuid = toNobleUuid(options.txUuid ?? RETROSTEP_TX_UUID_NOBLE);
  }

  get description(): string {
    return `ble ${this.connectedLabel ?? this.options.name ?? this.options.address ?? 'retrostep pod'}`;
  }

  /** Current ATT MTU of the open link (DEFAULT_ATT_MTU before an exchange); writes carry mtu - 3 bytes. */
  get mtu(): number {
    return this.link?.mtu ?? DEFAULT_ATT_MTU;
  }

  async open(): Promise<void> {
    if (this.isOpen || this.opening || this.closing) throw new TransportError('busy', `${this.description} is already open or busy`);
    const controller = new AbortController();
    this.opening = controller;
    const run = this.establish(controller.signal);
    this.openSettled = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      const link = await run;
      if (link.lost) {
        // dropped in the instant between setup and here
        await this.teardown(link);
        throw link.lost;
      }
      this.link = link;
      this.connectedLabel = link.label;
      this.writeTail = Promise.resolve();
      this.markOpen();
    } finally {
      this.opening = null;
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    const link = this.link;
    if (!link || !this.isOpen) throw new TransportError('closed', `${this.description} is not open`);
    const copy = new Uint8Array(bytes); // the caller may reuse its buffer while we wait our turn
    const job = this.writeTail.then(() => this.writeChunks(link, copy));
    this.writeTail = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    if (this.opening) {
      this.opening.abort();
      await this.openSettled;
    }
    if (this.closing) return this.closing;
    const link = this.link;
    if (!link) return;
    link.closing = true;
    this.link = null;
    this.closing = (async () => {
      await this.teardown(link);
      this.markClosed();
    })().finally(() => {
      this.closing = null;
    });
    return this.closing;
  }

  // ---- opening ----

  private noble(): Noble {
    if (this.options.noble) return this.options.noble;
    this.ownedNoble ??= createDefaultNoble();
    return this.ownedNoble;
  }

  /** Stop a noble we created, so its HCI socket and poll timer do not keep the process alive. */
  private releaseNoble(): void {
    const noble = this.ownedNoble;
    if (!noble) return;
    this.ownedNoble = null;
    // deferred: this can run inside one of noble's own event handlers
    setImmediate(() => {
      try {
        noble.stop();
      } catch {
        // already stopped or never started
      }
      noble.removeAllListeners();
    });
  }

  private async establish(signal: AbortSignal): Promise<Link> {
    let link: Link | null = null;
    try {
      const noble = this.noble();
      await waitForPoweredOn(noble, this.options.adapterSettle_ms, this.options.adapterTimeout_ms, signal);
      const peripheral = await this.find(noble, signal);
      link = this.newLink(peripheral);
      await this.connect(link, signal);
      await this.setUp(link, signal);
      if (link.lost) throw link.lost;
      return link;
    } catch (error) {
      if (link) {
        link.closing = true;
        await this.teardown(link);
      } else {
        this.releaseNoble();
      }
      if (error instanceof TransportError) throw error;
      throw new TransportError('io', `could not open ${this.description}: ${messageOf(error)}`);
    }
  }

  private matches(p: Peripheral): boolean {
    if (!advertisesService(p, this.serviceUuid)) return false; // bindings filter too, but not all do
    if (p.connectable === false) return false;
    const { name, address } = this.options;
    // (a console, `flash`'s, by any of the pod's names: `--ble retrostep-c65e flash` of the pod in update mode, heard as
    // "retrostep-c65e update", was told it was not in update mode)
    const byAnyName = this.serviceUuid === NUS_SERVICE_UUID_NOBLE && this.mayBeThePod(sighting(p));
    if (name !== undefined && (p.advertisement?.localName ?? '').toLowerCase() !== name.toLowerCase() && !byAnyName) return false;
    if (address !== undefined) {
      const want = normalizeAddress(address);
      if (normalizeAddress(p.address ?? '') !== want && normalizeAddress(p.id) !== want) return false;
    }
    return true;
  }

  /**
   * A console device that may be the pod asked for: one `flash` is for (flashableSuffix), with the name's
   * digits or at the address asked for (a pod that lost its program keeps its address: "retrostep-c65e" comes
   * back as "Puck.js c65e"); any such one where no pod was named.
   */
  private mayBeThePod(c: PodSighting): boolean {
    return flashableSuffix(c.name) !== null && this.namesThePod(c);
  }

  /**
   * Is `c` the pod asked for, whichever of its names it goes by (podSuffix: "retrostep-c65e", "... update", "Puck.js
   * c65e", as asked and as heard), or at the address asked for; any device where no pod was named.
   */
  private namesThePod(c: PodSighting): boolean {
    const { name, address } = this.options;
    if (name !== undefined) return podSuffix(name) !== null && podSuffix(name) === podSuffix(c.name);
    if (address !== undefined) return normalizeAddress(c.address) === normalizeAddress(address);
    return true;
  }

  /** What "no pod found" goes on to say: about the console devices that may be the pod, else where to look. */
  private notFoundAdvice(consoles: PodSighting[]): string {
    const look = 'is it awake, in range, and not connected to another device?';
    if (consoles.length === 0) return look;
    const hints = consoles.map(consoleHint).join('; ');
    // (one named or at the address asked for is the pod; any other Puck.js may be someone else's)
    return this.options.name !== undefined || this.options.address !== undefined ? hints : `${look} Also heard: ${hints}`;
  }

  /** Scan (filtered by the service UUID) until a matching pod is heard. */
  private async find(noble: Noble, signal: AbortSignal): Promise<Peripheral> {
    let onDiscover: (p: Peripheral) => void = () => undefined;
    let onState: (s: AdapterState) => void = () => undefined;
    // (looking for the pod's service, Puck.js consoles are heard too: a pod that lost its program is one, and
    // "no pod found" alone would send its owner looking for a pod that is right there)
    const hintConsoles = this.serviceUuid !== NUS_SERVICE_UUID_NOBLE;
    const consoles = new Map<string, PodSighting>();
    // (looking for a console, `flash`'s, pods running their program are heard too: one heard is in range, not in
    // update mode (it offers no console), which is not "nothing in range": flash said the first of the two for both)
    const running = new Map<string, PodSighting>();
    const found = new Promise<Peripheral>((resolve, reject) => {
      onDiscover = (p) => {
        if (this.matches(p)) {
          consoles.delete(p.id); // (a pod leaving update mode as it was heard)
          resolve(p);
        } else if (hintConsoles && consoleOnly(p)) {
          const c = sighting(p, consoles.get(p.id));
          if (this.mayBeThePod(c)) consoles.set(p.id, c);
        } else if (!hintConsoles && advertisesService(p, RETROSTEP_SERVICE_UUID_NOBLE)) {
          const c = sighting(p, running.get(p.id));
          if (this.namesThePod(c)) running.set(p.id, c);
        }
      };
      onState = (s) => {
        if (s !== 'poweredOn') reject(noAdapterError(s, 0));
      };
    });
    // handled below once scanning has started; until then a rejection must not count as unhandled
    found.catch(() => undefined);
    noble.on('discover', onDiscover);
    noble.on('stateChange', onState);
    const timeout_ms = this.options.scanTimeout_ms ?? DEFAULT_SCAN_TIMEOUT_ms;
    const what = this.options.name ? `named "${this.options.name}"` : this.options.address ? `at ${this.options.address}` : 'at all';
    try {
      return await guard(
        (async () => {
          // (duplicates on while consoles are heard: noble reports a device once a scan otherwise, so a pod heard
          // in update mode that restarts into its program as we scan would never be reported again)
          // (and while a console is looked for: a pod heard running its program may be put in update mode as we scan)
          await noble.startScanningAsync([this.serviceUuid, hintConsoles ? NUS_SERVICE_UUID_NOBLE : RETROSTEP_SERVICE_UUID_NOBLE], true);
          return found;
        })(),
        {
          timeout_ms,
          signal,
          onTimeout: () => {
            const within = `within ${(timeout_ms / 1000).toFixed(1)} s`;
            if (!hintConsoles) {
              const pod = [...running.values()].sort((a, b) => b.rssi - a.rssi)[0];
              if (pod) return new PodWithoutConsoleError(pod, `heard ${within}`);
              return new TransportError('not_found', `no Puck.js or pod ${what} heard ${within}: is it within a few metres, with its battery in?`);
            }
            return new TransportError('not_found', `no retrostep pod ${what} found ${within}: ${this.notFoundAdvice([...consoles.values()])}`);
          },
        },
      );
    } finally {
      noble.removeListener('discover', onDiscover);
      noble.removeListener('stateChange', onState);
      await stopScanningQuietly(noble);
    }
  }

  private newLink(peripheral: Peripheral): Link {
    const label = peripheral.advertisement?.localName || displayAddress(peripheral);
    const link: Link = {
      peripheral,
      label,
      rx: null,
      tx: null,
      mtu: peripheral.mtu ?? DEFAULT_ATT_MTU,
      closing: false,
      lost: null,
      onDisconnect: (reason) => this.onLinkDown(link, reason),
      onMtu: (mtu) => {
        if (mtu > ATT_WRITE_HEADER_BYTES) link.mtu = mtu;
      },
      onData: (data, isNotification) => {
        // plain reads also arrive as 'data'; only notifications carry the pod's frames
        if (isNotification && !link.closing && !link.lost) this.emit('data', new Uint8Array(data));
      },
    };
    // Listen before connecting: a drop during setup must not go unnoticed.
    peripheral.on('disconnect', link.onDisconnect);
    peripheral.on('mtu', link.onMtu);
    return link;
  }

  private async connect(link: Link, signal: AbortSignal): Promise<void> {
    const timeout_ms = this.options.connectTimeout_ms ?? DEFAULT_CONNECT_TIMEOUT_ms;
    const p = link.peripheral;
    try {
      await guard(p.connectAsync(), {
        timeout_ms,
        signal,
        onAbort: () => p.cancelConnect(),
        onTimeout: () => {
          p.cancelConnect();
          return new TransportError('timeout', `could not connect to ${link.label} within ${(timeout_ms / 1000).toFixed(1)} s: move closer, or restart the pod`);
        },
      });
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw new TransportError('io', `could not connect to ${link.label}: ${messageOf(error)}`);
    }
  }

  /** Discover RX/TX, subscribe to TX, take the MTU. */
  private async setUp(link: Link, signal: AbortSignal): Promise<void> {
    const step = <T>(what: string, work: Promise<T>): Promise<T> =>
      guard(work, {
        timeout_ms: GATT_TIMEOUT_ms,
        signal,
        onTimeout: () => new TransportError('timeout', `${link.label} did not answer ${what} within ${GATT_TIMEOUT_ms / 1000} s`),
      }).catch((error: unknown) => {
        throw this.linkError(link, error, what);
      });

    const { characteristics } = await step(
      'service discovery',
      link.peripheral.discoverSomeServicesAndCharacteristicsAsync([this.serviceUuid], [this.rxUuid, this.txUuid]).catch((error: unknown) => {
        // noble rejects a missing service with a bare string
        if (typeof error === 'string') throw new TransportError('not_found', `${link.label} has no retrostep service: is it running retrostep firmware?`);
        throw error;
      }),
    );
    const rx = characteristics.find((c) => toNobleUuid(c.uuid) === this.rxUuid);
    const tx = characteristics.find((c) => toNobleUuid(c.uuid) === this.txUuid);
    if (!rx || !tx) throw new TransportError('io', `${link.label} lacks the retrostep ${!rx ? 'RX' : 'TX'} characteristic: firmware mismatch?`);
    if (!rx.properties.includes('write') && !rx.properties.includes('writeWithoutResponse')) {
      throw new TransportError('io', `${link.label}: the RX characteristic is not writable`);
    }
    if (!tx.properties.includes('notify') && !tx.properties.includes('indicate')) {
      throw new TransportError('io', `${link.label}: the TX characteristic cannot notify`);
    }
    link.rx = rx;
    link.tx = tx;
    tx.on('data', link.onData); // before subscribing, so the first notification is not missed
    await step('the TX subscription', tx.subscribeAsync());
    // hci-socket exchanges the MTU as the link's first ATT request, so it is known by now; else keep 23
    if (link.peripheral.mtu) link.onMtu(link.peripheral.mtu);
  }

  // ---- moving bytes ----

  private async writeChunks(link: Link, bytes: Uint8Array): Promise<void> {
    const rx = link.rx;
    if (!rx) throw new TransportError('closed', `${this.description} is not open`);
    // Write Command (no response) when offered: no round trip per chunk, and
    // still ordered. Otherwise Write Request, one acknowledged chunk at a time.
    const withoutResponse = rx.properties.includes('writeWithoutResponse');
    for (let at = 0; at < bytes.length; ) {
      if (link.lost) throw link.lost;
      if (link.closing || this.link !== link) throw new TransportError('closed', `${this.description} was closed during a write`);
      const size = Math.max(1, link.mtu - ATT_WRITE_HEADER_BYTES);
      const chunk = Buffer.from(bytes.subarray(at, at + size));
      try {
        await guard(rx.writeAsync(chunk, withoutResponse), {
          timeout_ms: GATT_TIMEOUT_ms,
          // (noble on Linux answers the pod's refusal of an unbonded write by trying to encrypt, and waits)
          onTimeout: () => new TransportError('timeout', `${link.label} did not accept a write within ${GATT_TIMEOUT_ms / 1000} s: is this computer paired with it? (README, "Pairing")`),
        });
      } catch (error) {
        throw this.linkError(link, error, 'a write');
      }
      at += chunk.length;
    }
  }

  /** The most specific error for a failed operation on `link`. */
  private linkError(link: Link, error: unknown, what: string): TransportError {
    if (link.lost) return link.lost;
    if (link.closing) return new TransportError('closed', `${this.description} was closed during ${what}`);
    if (error instanceof TransportError) return error;
    // (the pod's RX takes an encrypted, bonded link only: refused with ATT error 0x05, insufficient authentication,
    // or 0x0f, insufficient encryption, as the operating system words it)
    if (/authenticat|encrypt/i.test(messageOf(error))) return new TransportError('io', `${link.label} refused ${what}: this computer is not paired with it; pair it first (README, "Pairing")`);
    return new TransportError('io', `${what} on ${link.label} failed: ${messageOf(error)}`);
  }

  // ---- ending ----

  /** The link went down. Ours (closing) is handled by close(); anything else is a loss. */
  private onLinkDown(link: Link, reason: unknown): void {
    if (link.closing || link.lost) return;
    link.lost = new TransportError('lost', `lost the link to ${link.label}: ${describeReason(reason)}`);
    if (this.link !== link) return; // still opening: establish() sees link.lost and cleans up
    this.link = null;
    this.detach(link);
    this.releaseNoble();
    this.markClosed(link.lost);
  }

  private detach(link: Link): void {
    link.peripheral.removeListener('disconnect', link.onDisconnect);
    link.peripheral.removeListener('mtu', link.onMtu);
    link.tx?.removeListener('data', link.onData);
  }

  /** Unsubscribe, disconnect, let go of noble. Never throws: every step is best effort with a timeout. */
  private async teardown(link: Link): Promise<void> {
    const p = link.peripheral;
    const bounded = async (work: () => Promise<unknown>, timeout_ms: number): Promise<void> => {
      try {
        await guard(work(), { timeout_ms, onTimeout: () => new TransportError('timeout', 'teardown step') });
      } catch {
        // best effort: the disconnect below ends everything anyway
      }
    };
    // Tell the pod to stop notifying (saves its radio time if the disconnect is slow).
    if (link.tx && p.state === 'connected') await bounded(() => link.tx!.unsubscribeAsync(), GATT_TIMEOUT_ms);
    if (p.state === 'connecting') p.cancelConnect(); // a disconnect would wait for a link that never came
    if (p.state === 'connected') await bounded(() => p.disconnectAsync(), DISCONNECT_TIMEOUT_ms);
    this.detach(link);
    this.releaseNoble();
  }
}
