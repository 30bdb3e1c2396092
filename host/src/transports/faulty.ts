/**
 * A Transport wrapper that injects the faults a real link has: cut the link
 * at byte k, delay, split chunks at random boundaries, flip bits, deliver a
 * frame twice. Wraps any transport (memory, serial, ble), so the same sync
 * code is tested against every fault. Seeded: a failing case repeats.
 */
import { uniform as rng } from '../sim/random.js';
import { BaseTransport, type Transport, TransportError } from './transport.js';

/** The frame delimiter (COBS): duplication works on whole frames, as a radio retry would. */
const FRAME_DELIMITER = 0x00;

export interface FaultPlan {
  seed?: number;
  /** Cut the link once this many bytes have crossed it, counting both directions in the order they move. */
  cutAfterBytes?: number;
  /** Hold each chunk this long before passing it on (ms). */
  delay_ms?: number;
  /** Split every chunk at random boundaries (1..n pieces). */
  split?: boolean;
  /** Chance per byte of one flipped bit. */
  corruptRate?: number;
  /** Chance per complete frame (either direction) of it arriving twice. */
  duplicateRate?: number;
}

export interface FaultCounts {
  bytes: number;
  cuts: number;
  corrupted: number;
  duplicated: number;
  splits: number;
}

export class FaultyTransport extends BaseTransport {
  readonly counts: FaultCounts = { bytes: 0, cuts: 0, corrupted: 0, duplicated: 0, splits: 0 };
  private readonly random: () => number;
  private cut = false;
  /** bytes of the frame in progress, per direction, for duplication */
  private readonly partial = { in: [] as number[], out: [] as number[] };
  /** inbound chunks are delivered through this chain so delays keep their order */
  private inbound: Promise<void> = Promise.resolve();

  constructor(
    readonly inner: Transport,
    private readonly plan: FaultPlan,
  ) {
    super();
    this.random = rng(plan.seed ?? 1);
  }

  get description(): string {
    return this.inner.description;
  }

  private readonly onInnerData = (bytes: Uint8Array): void => {
    const { pieces, cutNow } = this.mangle(bytes, 'in');
    this.inbound = this.inbound.then(async () => {
      for (const p of pieces) {
        if (this.plan.delay_ms) await sleep(this.plan.delay_ms);
        if (this.isOpen && p.length) this.emit('data', p);
      }
      if (cutNow) this.dropLink();
    });
  };

  private readonly onInnerClose = (error?: TransportError): void => {
    this.detach();
    // let bytes already in the delay chain arrive first, as they would on a real link
    void this.inbound.then(() => this.markClosed(error));
  };

  async open(): Promise<void> {
    if (this.isOpen) throw new TransportError('busy', `${this.description} is already open`);
    this.cut = false;
    this.partial.in.length = this.partial.out.length = 0;
    this.inner.on('data', this.onInnerData);
    this.inner.on('close', this.onInnerClose);
    try {
      await this.inner.open();
    } catch (e) {
      this.detach();
      throw e;
    }
    this.markOpen();
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen();
    if (this.cut) throw new TransportError('lost', `${this.description}: link cut (fault injection)`);
    const { pieces, cutNow } = this.mangle(bytes, 'out');
    for (const p of pieces) {
      if (this.plan.delay_ms) await sleep(this.plan.delay_ms);
      if (p.length) await this.inner.write(p);
    }
    if (cutNow) {
      // let the bytes before the cut reach the far end (the memory link delivers on the next turn)
      await new Promise((r) => setImmediate(r));
      this.dropLink();
      throw new TransportError('lost', `${this.description}: link cut at byte ${this.plan.cutAfterBytes} (fault injection)`);
    }
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.detach();
    await this.inner.close();
    this.markClosed();
  }

  private detach(): void {
    this.inner.off('data', this.onInnerData);
    this.inner.off('close', this.onInnerClose);
  }

  /** Apply the plan to one chunk: returns the pieces to pass on (possibly cut short, split, corrupted, with duplicates). */
  private mangle(bytes: Uint8Array, dir: 'in' | 'out'): { pieces: Uint8Array[]; cutNow: boolean } {
    if (this.cut) return { pieces: [], cutNow: false };
    let data = new Uint8Array(bytes);
    // the cut: pass the bytes before byte k, then end the link
    const budget = this.plan.cutAfterBytes === undefined ? Infinity : this.plan.cutAfterBytes - this.counts.bytes;
    let cutNow = false;
    if (data.length >= budget) {
      data = data.slice(0, Math.max(0, budget));
      cutNow = true;
    }
    this.counts.bytes += data.length;
    if (this.plan.corruptRate) {
      for (let i = 0; i < data.length; i++) {
        if (this.random() < this.plan.corruptRate) {
          data[i] ^= 1 << Math.floor(this.random() * 8);
          this.counts.corrupted++;
        }
      }
    }
    const out: number[] = [];
    const partial = this.partial[dir];
    for (const b of data) {
      out.push(b);
      partial.push(b);
      if (b === FRAME_DELIMITER) {
        if (this.plan.duplicateRate && partial.length > 1 && this.random() < this.plan.duplicateRate) {
          out.push(...partial);
          this.counts.duplicated++;
        }
        partial.length = 0;
      }
    }
    let pieces = [Uint8Array.from(out)];
    if (this.plan.split && out.length > 1) {
      pieces = [];
      for (let at = 0; at < out.length; ) {
        const n = 1 + Math.floor(this.random() * (out.length - at));
        pieces.push(Uint8Array.from(out.slice(at, at + n)));
        at += n;
      }
      this.counts.splits += pieces.length - 1;
    }
    if (cutNow) {
      this.cut = true;
      this.counts.cuts++;
    }
    return { pieces, cutNow };
  }

  /** End the link under both ends, after the bytes before the cut were delivered. */
  private dropLink(): void {
    this.detach();
    void this.inbound.then(() => {
      this.markClosed(new TransportError('lost', `${this.description}: link cut at byte ${this.plan.cutAfterBytes} (fault injection)`));
      void this.inner.close();
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
