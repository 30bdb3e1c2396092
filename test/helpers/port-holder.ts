/** A program holding a serial port open beside retrostep, as screen and cat hold one. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * `sleep 60` with `port` open as its standard input: it takes no flock, as screen and cat take none, so serialport's
 * lock does not refuse retrostep the port. Kill it when done.
 */
export function holdPortOpen(port: string): ChildProcess {
  const fd = fs.openSync(port, 'r');
  try {
    return spawn('sleep', ['60'], { stdio: [fd, 'ignore', 'ignore'] });
  } finally {
    fs.closeSync(fd);
  }
}
