/**
 * Talks to a pod over any Transport with the shared protocol: numbered
 * requests, one answer each (matched by seq), timeouts with retries, and
 * pod error frames turned into PodError. Unsolicited frames (live contacts,
 * raw samples) go to listeners.
 */
import { decodeMessage, encodeMessage, isMessageError, type MessageError } from '../../shared/protocol/codec.js';
import { createFrameDecoder, type FrameError, PROTOCOL_VERSION } from '../../shared/protocol/frame.js';
import { ERR_BUSY, ERR_NOT_BONDED, ERR_VERSION, type Message, type MessageName, type PayloadOf } from '../../shared/protocol/messages.js';
import { LostPodError, PodError } from './errors.js';
import type { Transport, TransportError } from './transports/transport.js';

/** A pod answers within a few connection intervals; 2 s covers a slow BLE link and a busy pod. */
export const REQUEST_TIMEOUT_MS = 2000;
/** Resend a request this many times before giving up: one lost notification must not fail a sync. */
export const REQUEST_RETRIES = 2;

/**
 * The link went while a command used it (a 'close' with an error: out of range, unplugged, the sim stopped):
 * one line, the link's exit code; `then` says what that means for the command.
 */
export function lostPod(err: TransportError | undefined, then = 'run the command again once the pod is back in reach (or plugged in); nothing stored so far is lost'): LostPodError {
  return new LostPodError(err?.message ?? 'the link closed', then);
}

/**
 * A pod whose `info` names another protocol than this retrostep's, said with the side to update: the older one
 * (it said "update retrostep" of a pod older than it, which only `retrostep flash` mends). Null when the same.
 */
export function otherProtocol(pod_protocol: number): PodError | null {
  if (pod_protocol === PROTOCOL_VERSION) return null;
  return new PodError(pod_protocol > PROTOCOL_VERSION
    ? `the pod speaks protocol ${pod_protocol}; this retrostep speaks ${PROTOCOL_VERSION}: update retrostep`
    : `the pod speaks protocol ${pod_protocol}, older than this retrostep's ${PROTOCOL_VERSION}: update its firmware with \`retrostep flash\` (README, "Putting retrostep on a Puck.js")`);
}

/** What a person should do about each error code the pod sends. */
function refusal(code: number, text: string): string {
  if (code === ERR_VERSION) return `the pod speaks another protocol version (${text}): update retrostep, or the pod's firmware with \`retrostep flash\``;
  if (code === ERR_NOT_BONDED) return `the pod refused (${text}): this needs a paired link; pair the pod with your computer first (see README, "Pairing")`;
  if (code === ERR_BUSY) return `the pod is busy (${text}): try again in a moment`;
  return `the pod refused: ${text}`;
}

interface Pending {
  /** the request sent, and the answer it waits for */
  sent: MessageName;
  expect: MessageName;
  resolve: (m: Message) => void;
  reject: (e: Error) => void;
}

export class PodClient {
  private seq = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: ((m: Message) => void)[] = [];
  private readonly decoder = createFrameDecoder(
    (f) => this.onMessage(decodeMessage(f)),
    (e) => this.onFrameError(e),
  );
  /** bad frames seen (a measure of link quality) */
  frameErrors = 0;
  /** messages decoded whole, answers or not: none over bytes that came in is a device that speaks no retrostep */
  messagesIn = 0;
  bytesIn = 0;
  /** why the link went away on its own, when it did: a request after that says so, not "is not open" */
  private lost: TransportError | undefined;

  constructor(
    readonly transport: Transport,
    private readonly timeout_ms = REQUEST_TIMEOUT_MS,
  ) {
    transport.on('data', (b) => {
      this.bytesIn += b.length;
      this.decoder.push(b);
    });
    transport.on('close', (err?: TransportError) => {
      this.decoder.reset();
      if (err) this.lost = err;
      const e = err ? lostPod(err) : new PodError('link closed');
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  /** Frames the pod sends on its own (contact, raw_imu). */
  onUnsolicited(fn: (m: Message) => void): void {
    this.listeners.push(fn);
  }

  private onFrameError(_e: FrameError): void {
    this.frameErrors++;
  }

  private onMessage(m: Message | MessageError): void {
    this.messagesIn++;
    if (isMessageError(m)) {
      this.frameErrors++;
      const p = this.pending.get(m.seq);
      if (p && m.error === ERR_VERSION) {
        this.pending.delete(m.seq);
        p.reject(new PodError(`the pod speaks a newer protocol (${m.text}): update retrostep`, m.error));
      }
      return;
    }
    const p = this.pending.get(m.seq);
    if (!p || m.seq === 0) {
      for (const l of this.listeners) l(m);
      return;
    }
    this.pending.delete(m.seq);
    if (m.name === 'error') p.reject(new PodError(refusal(m.payload.code, m.payload.text), m.payload.code));
    // (a device that sends back what it is sent, a loopback or a modem in echo mode, is no pod at all)
    else if (m.name === p.sent && m.name !== p.expect) p.reject(new PodError(`the device sent our own ${m.name} request back (an echo): it is not a retrostep pod`));
    else if (m.name !== p.expect) p.reject(new PodError(`the pod answered ${m.name} where ${p.expect} was expected`));
    else p.resolve(m);
  }

  private nextSeq(): number {
    this.seq = (this.seq % 0xffff) + 1; // 0 is kept for frames the pod sends on its own
    return this.seq;
  }

  /** Send a request and wait for its answer of type `expect`. */
  async request<N extends MessageName, E extends MessageName>(name: N, payload: PayloadOf<N>, expect: E): Promise<PayloadOf<E>> {
    if (this.lost) throw lostPod(this.lost);
    let lastError: Error = new PodError('no answer');
    for (let attempt = 0; attempt <= REQUEST_RETRIES; attempt++) {
      const seq = this.nextSeq();
      const frame = encodeMessage(name, seq, payload);
      const answer = new Promise<Message>((resolve, reject) => this.pending.set(seq, { sent: name, expect, resolve, reject }));
      // if the write fails first, nobody awaits `answer`: its later rejection (link closed) must not be unhandled
      answer.catch(() => {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new PodError(`the pod did not answer ${name} within ${this.timeout_ms} ms`)), this.timeout_ms);
      });
      // nor its timer's, when it fires while the write is still under way (the race below then sees it)
      timeout.catch(() => {});
      try {
        await this.transport.write(frame);
        const m = await Promise.race([answer, timeout]);
        return m.payload as PayloadOf<E>;
      } catch (e) {
        lastError = e as Error;
        this.pending.delete(seq);
        const timedOut = e instanceof PodError && e.code === undefined && /did not answer/.test(e.message);
        if (!timedOut || !this.transport.isOpen) throw e;
      } finally {
        clearTimeout(timer);
      }
    }
    // (every try timed out: say how long it was waited for in all, not one try's time)
    throw new PodError(`${lastError.message}, ${REQUEST_RETRIES + 1} times (${((REQUEST_RETRIES + 1) * this.timeout_ms) / 1000} s in all)`);
  }
}
