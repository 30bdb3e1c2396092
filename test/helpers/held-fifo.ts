/** A FIFO (named pipe) whose writer stays open and never writes: a whole read of it waits for good. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Make a FIFO at `file`, held open for writing while `fn` runs (O_RDWR opens a FIFO at once, as its writer). */
export function withHeldFifo<T>(file: string, fn: () => T): T {
  execFileSync('mkfifo', [file]);
  const writer = fs.openSync(file, 'r+');
  try {
    return fn();
  } finally {
    fs.closeSync(writer);
  }
}
