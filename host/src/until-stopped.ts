/**
 * The wait of `live` and `record`: until the user stops (Ctrl-C, SIGTERM, the terminal closed, or `stop`, as a typed "q" does), the time given
 * is up, or the link closes on its own (the pod went away).
 */
import type { Transport, TransportError } from './transports/transport-types.js';

/** The longest a Node timer waits (2^31-1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
    // the terminal closed (SIGHUP): stopped as on Ctrl-C, and what is printed after, with nowhere to go, is dropped
    // (a write to a terminal that is gone fails, EIO or EPIPE, and would end the process before the file is written)
    const hungUp = () => {
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
      stopped();
    };
    const closed = (error?: TransportError) => finish({ error });
    // (a timer holds at most 2^31-1 ms, 24.8 days; a longer one fires at once: re-armed until the time is up, on
    // the monotonic clock, which a system clock set by NTP or by hand does not move)
    const deadline = performance.now() + seconds * 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      timer = setTimeout(() => (performance.now() >= deadline ? stopped() : arm()), Math.max(0, Math.min(deadline - performance.now(), MAX_TIMER_MS)));
    };
    if (Number.isFinite(seconds)) arm();
    function finish(e: Ending): void {
      clearTimeout(timer);
      process.off('SIGINT', stopped);
      process.off('SIGTERM', stopped);
      process.off('SIGHUP', hungUp);
      transport.off('close', closed);
      resolve(e);
    }
    end = finish;
    process.once('SIGINT', stopped);
    // (a kill, or `timeout`, stops it as Ctrl-C does, as it stops sim and web: it killed record with the samples it
    // held for late labels, the last 6.6 s, unwritten)
    process.once('SIGTERM', stopped);
    process.once('SIGHUP', hungUp);
    transport.once('close', closed);
    if (!transport.isOpen) finish({});
  });
  return { ended, stop: () => end(null) };
}
