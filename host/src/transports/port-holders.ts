/**
 * Other programs that have a serial port open. The port is opened with an exclusive flock() (serial.ts), which
 * refuses a second program that takes the lock too, but `screen`, `cat` and a terminal's shell take none: they read
 * the pod's answers alongside us, and the sync said "nothing answered ... is the pod on this port?". Linux only
 * (/proc), and only the processes this user may look into; elsewhere, or unreadable, none are found.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PortHolder {
  pid: number;
  /** the program's name as the system keeps it (/proc/PID/comm: cat, screen, bash) */
  name: string;
}

/** Linux's pseudo-terminal slaves: /dev/pts/N, whose other end is a /dev/ptmx open with "tty-index: N". */
const PTY_SLAVE = /^\/dev\/pts\/(\d+)$/;

function fdLinks(proc: string, pid: string): [fd: string, target: string][] {
  try {
    return fs.readdirSync(path.join(proc, pid, 'fd')).map((fd) => [fd, safeReadlink(path.join(proc, pid, 'fd', fd))]);
  } catch {
    // (another user's process, or one that ended while we looked)
    return [];
  }
}

function safeReadlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '';
  }
}

/** Does this process hold the master end of pseudo-terminal `index`? (fdinfo's tty-index, Linux 4.10 and later) */
function holdsMaster(proc: string, pid: string, links: [string, string][], index: string): boolean {
  return links.some(([fd, target]) => {
    if (target !== '/dev/ptmx' && !target.startsWith('/dev/pts/ptmx')) return false;
    try {
      return new RegExp(`^tty-index:\\s*${index}$`, 'm').test(fs.readFileSync(path.join(proc, pid, 'fdinfo', fd), 'utf8'));
    } catch {
      return false;
    }
  });
}

/**
 * The processes besides this one with `port` open. A pseudo-terminal's other end (`retrostep sim`'s relay, a
 * terminal window) holds its slave too, to keep it up: that is the device, not a rival, and is left out.
 */
export function portHolders(port: string, proc = '/proc'): PortHolder[] {
  let real: string;
  try {
    real = fs.realpathSync(port);
  } catch {
    return [];
  }
  let pids: string[];
  try {
    pids = fs.readdirSync(proc).filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return [];
  }
  const pty = PTY_SLAVE.exec(real)?.[1];
  const holders: PortHolder[] = [];
  for (const pid of pids) {
    const links = fdLinks(proc, pid);
    if (!links.some(([, target]) => target === real)) continue;
    if (pty !== undefined && holdsMaster(proc, pid, links, pty)) continue;
    let name = '?';
    try {
      name = fs.readFileSync(path.join(proc, pid, 'comm'), 'utf8').trim() || name;
    } catch {
      // (it ended while we looked: still named, by its pid)
    }
    holders.push({ pid: Number(pid), name });
  }
  return holders;
}

/** "cat, pid 123" and "screen, pid 45; bash, pid 67": each holder as a person reads it. */
export const holdersText = (holders: PortHolder[]): string => holders.map((h) => `${h.name}, pid ${h.pid}`).join('; ');
