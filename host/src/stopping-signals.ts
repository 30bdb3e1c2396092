/**
 * The signals that stop a command part way (Ctrl-C; SIGTERM from a kill or `timeout`; SIGHUP, its terminal closed),
 * as a stop line names them, and the exit code each gives.
 */
import os from 'node:os';
import { INTERRUPTED_EXIT_CODE } from './errors.js';

export const STOPPING_SIGNALS: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', string> = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM', SIGHUP: 'its terminal closed' };

export type StoppingSignal = keyof typeof STOPPING_SIGNALS;

/** As a shell reports a process the signal killed: 128 + its number (130, 143, 129). */
export const stoppedExitCode = (signal: StoppingSignal): number => (signal === 'SIGINT' ? INTERRUPTED_EXIT_CODE : 128 + os.constants.signals[signal]);

/**
 * After SIGHUP the terminal is gone: a line written to it fails (EIO) and would end the process with a stack trace.
 * Such writes are let fail quietly from here on.
 */
export function quietIfHungUp(signal: StoppingSignal): void {
  if (signal === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

/** Listen for each stopping signal with handler (on, not once: a second Ctrl-C while its line is written would find no listener and kill it silently); returns what stops listening. */
export function onStoppingSignals(handler: (signal: StoppingSignal) => void): () => void {
  const signals = Object.keys(STOPPING_SIGNALS) as StoppingSignal[];
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
