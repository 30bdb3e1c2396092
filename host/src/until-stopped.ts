/**
 * The wait of `live` and `record`: until the user stops (Ctrl-C, or `stop`, as a typed "q" does), the time given
 * is up, or the link closes on its own (the pod went away).
 */
import type { Transport, TransportError } from './transports/transport-types.js';

/** How it ended: stopped (null), or the link closed on its own, with its error if it had one. */
export type Ending = { error?: TransportError } | null;

/**
 * Waits on Ctrl-C, `seconds` (Infinity: no limit), stop() and the link's close. Everything it listened for is
 * let go when it ends: a timer left pending kept the process alive after a Ctrl-C until the time was up.
 */
export function untilStopped(transport: Transport, seconds: number): { ended: Promise<Ending>; stop(): void } {
  let end: (e: Ending) => void = () => {};
  const ended = new Promise<Ending>((resolve) => {
    const stopped = () => finish(null);
    const closed = (error?: TransportError) => finish({ error });
    const timer = Number.isFinite(seconds) ? setTimeout(stopped, seconds * 1000) : undefined;
    function finish(e: Ending): void {
      clearTimeout(timer);
      process.off('SIGINT', stopped);
      transport.off('close', closed);
      resolve(e);
    }
    end = finish;
    process.once('SIGINT', stopped);
    transport.once('close', closed);
    if (!transport.isOpen) finish({});
  });
  return { ended, stop: () => end(null) };
}
