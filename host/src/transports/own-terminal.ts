/**
 * Is a --port the terminal the user is typing in? `retrostep --port $(tty) sync` opened it (a shell takes no lock),
 * wrote the protocol's frames onto the screen, read the user's keys as the pod's answers, and then named the shell
 * as "another program" holding the port. Told by device number: the port against the controlling terminal of this
 * process and of each of its ancestors (the shell it was typed in: a `setsid` run has none of its own), and this
 * process's own standard streams where there is no /proc (macOS).
 */
import fs from 'node:fs';
import path from 'node:path';
import tty from 'node:tty';

/** The controlling terminal's own name, whichever terminal that is. */
const CONTROLLING_TTY_PATH = '/dev/tty';
/** Ancestors looked at, at most: a shell is a few levels up (npx, a script); the walk ends at init long before. */
const MAX_ANCESTORS = 64;

/** This process's standard streams that are terminals. */
const STDIO_FDS = [0, 1, 2];

/** A process's parent pid and its controlling terminal's device number (0: none), from /proc/PID/stat. */
function procStat(proc: string, pid: string): { ppid: number; tty_nr: number } | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(proc, pid, 'stat'), 'utf8');
  } catch {
    return null;
  }
  // (the command's name, in parentheses, may hold spaces and parentheses itself: the fields start after the last one)
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // state ppid pgrp session tty_nr: tty_nr is encoded as the kernel's new_encode_dev, the same number stat's rdev is
  const ppid = Number(fields[1]);
  const tty_nr = Number(fields[4]);
  return Number.isFinite(ppid) && Number.isFinite(tty_nr) ? { ppid, tty_nr } : null;
}

/** The device numbers of the terminals this process and its ancestors are run from. */
function ownTerminals(proc: string): Set<number> {
  const devices = new Set<number>();
  for (const fd of STDIO_FDS) {
    try {
      if (tty.isatty(fd)) devices.add(fs.fstatSync(fd).rdev);
    } catch {
      // (closed)
    }
  }
  let pid = String(process.pid);
  for (let i = 0; i < MAX_ANCESTORS; i++) {
    const st = procStat(proc, pid);
    if (!st) break;
    if (st.tty_nr !== 0) devices.add(st.tty_nr);
    if (st.ppid <= 1) break;
    pid = String(st.ppid);
  }
  return devices;
}

/** Is `port` the terminal this command was typed in (or /dev/tty, which is always that terminal)? */
export function isOwnTerminal(port: string, proc = '/proc'): boolean {
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(port);
    st = fs.statSync(real);
  } catch {
    return false;
  }
  if (!st.isCharacterDevice()) return false;
  if (real === CONTROLLING_TTY_PATH) return true;
  return ownTerminals(proc).has(st.rdev);
}
