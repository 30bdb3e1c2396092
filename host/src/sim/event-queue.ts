/**
 * The virtual pod's clock: events in virtual time, run in time order. The
 * Espruino runtime (espruino-shim.ts) schedules its timers, pin pulses, IMU
 * samples and radio events here, the world (button, host) schedules on it
 * too, and the virtual pod (virtual-pod.ts) runs them. Apart from the
 * runtime because the queue outlives it: a reset throws the runtime away
 * and purges only its events.
 */

export interface QueuedEvent {
  t_ms: number;
  seq: number;
  /** Who scheduled it: a runtime generation, or 0 for the world (button, host). Purged on reset. */
  owner: number;
  run: () => void;
  cancelled: boolean;
}

/** A min-heap of events by (time, insertion order): equal times run first in, first out. */
export class EventQueue {
  private heap: QueuedEvent[] = [];
  private seq = 0;

  at(t_ms: number, owner: number, run: () => void): QueuedEvent {
    const e: QueuedEvent = { t_ms, seq: this.seq++, owner, run, cancelled: false };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
    return e;
  }

  cancel(e: QueuedEvent | null | undefined): void {
    if (e) e.cancelled = true;
  }

  /** Time of the next live event, Infinity if none. */
  peekTime(): number {
    this.dropCancelled();
    return this.heap.length ? this.heap[0].t_ms : Infinity;
  }

  pop(): QueuedEvent | undefined {
    this.dropCancelled();
    return this.heap.length ? this.removeTop() : undefined;
  }

  /** Cancel every event of one owner (a runtime that was reset). */
  purge(owner: number): void {
    for (const e of this.heap) if (e.owner === owner) e.cancelled = true;
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): QueuedEvent {
    const h = this.heap;
    const top = h[0];
    const last = h.pop() as QueuedEvent;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.t_ms < b.t_ms || (a.t_ms === b.t_ms && a.seq < b.seq);
}
