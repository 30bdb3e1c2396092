/**
 * `retrostep sim`: a virtual pod other processes can reach, with no
 * hardware. The pod runs the real bundle in real time; a pseudo-terminal
 * carries its frames, as an Espruino BLE-UART bridge (or a Puck on a wire)
 * would: bytes written to the pty go to the pod's RX characteristic over a
 * paired link, the pod's TX notifications come out of the pty. The pod's
 * flash is kept in a state file, so its records survive between runs.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RETROSTEP_RX_UUID_NOBLE, RETROSTEP_TX_UUID_NOBLE, toNobleUuid } from '../../../shared/protocol/uuids.js';
import { makeDataFolder } from '../data-folder.js';
import { statIfThere } from '../file-stat.js';
import { InputError, LinkError, PodError } from '../errors.js';
import { readBundle } from '../firmware-bundle.js';
import { setTimePayload } from '../clock.js';
import { Flash } from './flash.js';
import type { GattCharacteristic } from './gatt.js';
import { openPtyPair, type PtyPair } from './pty-pair.js';
import { talkToPod, VIRTUAL_POD_PASSKEY } from './talk-to-pod.js';
import { type ImuSource, VirtualPod } from './virtual-pod.js';
import { demoScript } from './demo-script.js';
import { createWalker, type Segment } from './walker.js';
import { STATUS_STORAGE_FULL } from '../../../shared/protocol/messages.js';
import { type MinuteRecord, RECORD_FOLDED } from '../../../shared/protocol/records.js';
import { readBatch } from '../sync-records.js';
import { refuseSetTime } from './sped-up-clock.js';
import { standToMinuteEnd } from './stand-to-minute-end.js';
import { SQLITE_HEADER } from '../store/db.js';

/** Save the pod's flash this often while serving (ms): a killed sim loses at most this much. */
const SAVE_EVERY_MS = 1000;
/** A simulated day of the "walked days" history: one walk at 09:00 local time... */
const WALK_HOUR = 9;
/** ...of this shape: 5 minutes forward, then minutes of backward intervals, 30 minutes in all. */
function dayScript(day: number): Segment[] {
  const segs: Segment[] = [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 270 }];
  const backward = 5 + 5 * Math.min(2, Math.floor(day / 3)); // 10, 20, then 30 steps a minute as the week goes on
  for (let m = 0; m < 25; m++) {
    segs.push({ kind: 'walk', direction: 'backward', strides: backward, odd: m % 9 === 4 ? [1] : [] });
    segs.push({ kind: 'walk', direction: 'forward', strides: 48 - backward });
  }
  segs.push({ kind: 'stand', duration_s: 5 });
  return segs;
}

export interface SimServerOptions {
  /** The pod's flash lives here between runs (created if missing). */
  stateFile: string;
  /** Walk this many simulated days (ending today: walkDays) before serving, so sync has a history to move. */
  walkDays?: number;
  bundle?: string;
  /** make the state file's folder (the default one under the user's data folder) */
  createDir?: boolean;
  /** keep the pod walking (the demo's script, over and over) while serving, for `live` and `record` */
  walk?: boolean;
  /** simulation speed while serving (1 = real time) */
  speed?: number;
  onProgress?: (text: string) => void;
  /** aborted (Ctrl-C) while --walk-days walks: the walk ends between days with WalkStopped, the state file as it was */
  stop?: AbortSignal;
}

/**
 * --walk-days stopped part way (Ctrl-C). None of the walked days are kept: they are the oldest (walkDays walks
 * oldest first), and a pod that has walked is refused another --walk-days (refuseWalkedBefore), so a pod keeping
 * some could never be given the rest.
 */
export class WalkStopped extends Error {
  constructor(
    readonly walked_days: number,
    readonly days: number,
  ) {
    super(`the walk was stopped after ${walked_days} of ${days} days`);
    this.name = 'WalkStopped';
  }
}

export interface SimServer {
  /** The pty path other commands open with --port. */
  readonly path: string;
  readonly pod: VirtualPod;
  /** Resolves with why the flash could not be saved while serving (a full disk): the pod is to be closed then. */
  readonly failed: Promise<Error>;
  /**
   * Stop the pod and save its state. A walking pod kept at real time first stands until the minute it was walking
   * in has closed (standToMinuteEnd), as a worn pod would: `lastMinute` is the records that wrote (none if it was
   * not walking, was sped up, or a save had failed).
   */
  close(): Promise<{ lastMinute: MinuteRecord[] }>;
}

function findChar(pod: VirtualPod, uuid: string): GattCharacteristic {
  for (const s of pod.peripheral.services()) for (const c of s.characteristics) if (toNobleUuid(c.uuid) === uuid) return c;
  throw new PodError('the virtual pod has no retrostep service (firmware bundle too old?)');
}

/**
 * The virtual pod's address for a state file: each state file is a pod of its own, as two real pods have
 * two addresses (sync keys records by the pod's id, taken from it). Derived from the file's full path, so
 * the pod keeps its id from run to run, and after its state is wiped, as a real pod keeps its MAC. A static
 * random address: the top two bits set (Core spec Vol 6 Part B 1.3.2.1).
 */
export function simPodMac(stateFile: string): string {
  const b = createHash('sha256').update(path.resolve(stateFile)).digest().subarray(0, 6);
  b[0] |= 0xc0;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Tries at the lock before giving up: each waits 1 ms while another process takes a stale lock over (a takeover holds it for microseconds). */
const LOCK_TRIES = 200;
/**
 * A takeover older than this is removed whoever holds it (ms): one is held for microseconds, so a takeover a
 * minute old is a process frozen, or a holder killed holding it whose pid a running process has since been given
 * (never removed by its holder's being gone: every lockState gave up on that state until it was deleted by hand).
 */
const TAKEOVER_STALE_MS = 60_000;

/** This process's state locks and how many hold each: a state opened twice in one process shares one lock. */
const heldLocks = new Map<string, number>();

/** A state file's lock, held: its release, and how to say which pseudo-terminal the pod is on. */
export interface StateLock {
  release(): void;
  /** say which pseudo-terminal the pod is served on, and whether faster than real time (for the refusal a second process gets) */
  serving(pty: string, spedUp?: boolean): void;
}

/** Who wants a state file's pod: `retrostep sim`, to serve it, or a command's --sim, to reach it in-process. */
export type StateUser = 'sim' | '--sim';

/**
 * One process at a time runs a state file's pod: a second one would load the same flash and each would write
 * its own over the other's (records one synced and freed come back, or records the other made are lost). The
 * holder writes its pid, and the pseudo-terminal it serves on if any, to `<state>.lock`; a lock whose process
 * is gone is taken over. The refusal says what to do for `by`, the one that asked.
 */
export function lockState(stateFile: string, by: StateUser = '--sim'): StateLock {
  const lock = path.resolve(`${stateFile}.lock`);
  const handle = {
    release() {
      const n = (heldLocks.get(lock) ?? 1) - 1;
      if (n > 0) return void heldLocks.set(lock, n);
      heldLocks.delete(lock);
      if (holderOf(lock)?.pid === process.pid) fs.rmSync(lock, { force: true });
    },
    serving(pty: string, spedUp = false) {
      fs.renameSync(writtenAside(lock, { pid: process.pid, pty, sped_up: spedUp }), lock);
    },
  };
  const n = heldLocks.get(lock);
  if (n) {
    heldLocks.set(lock, n + 1);
    return handle;
  }
  for (let tries = 0; tries < LOCK_TRIES; tries++) {
    if (createHeld(lock, stateFile)) {
      heldLocks.set(lock, 1);
      return handle;
    }
    const holder = holderOf(lock);
    // (our own pid in a lock this process does not hold: a process before this one that had the same pid)
    if (holder && holder.pid !== process.pid && alive(holder.pid)) {
      // a pod in use is a link problem (exit 5, README), as a serial port another program holds is
      // (a sim faster than real time refuses sync, sped-up-clock.ts: offered what it takes)
      const command = holder.spedUp ? 'live' : 'sync';
      const sped = holder.spedUp ? ' (it runs faster than real time: `live` and `record` reach it, sync does not)' : '';
      const reach = by === 'sim' ? ` already: reach it with --port ${holder.pty} (retrostep --port ${holder.pty} ${command})` : `: reach it with --port ${holder.pty} instead of --sim${sped}`;
      throw new LinkError(
        holder.pty
          ? `the virtual pod in ${stateFile} is running in \`retrostep sim\` (pid ${holder.pid})${reach}, or stop that sim first`
          : `the virtual pod in ${stateFile} is in use by another retrostep (pid ${holder.pid}, in ${lock}): try again once it is done`,
      );
    }
    // (another process is taking the stale lock over: wait for it, then look again)
    if (!takeOver(lock, stateFile)) sleep_ms(1);
  }
  // (a takeover held all along: said, as a file the user may delete, once it is not another retrostep's)
  const guard = fs.existsSync(takeoverOf(lock)) ? `; ${takeoverOf(lock)} stays in its way: delete it if no other retrostep is running, or try again in a minute` : '';
  throw new LinkError(`cannot lock the virtual pod's state ${stateFile}: other retrostep processes keep taking ${lock}${guard}`);
}

/**
 * Open a state file's pod with open(lock), under the state's lock, released again if opening fails (once open,
 * the pod releases it when it closes).
 */
export async function withStateLock<T>(stateFile: string, open: (lock: StateLock) => Promise<T>, by: StateUser = '--sim'): Promise<T> {
  // (an empty --state, a script's unset variable: said before anything is made, as the other empty options are;
  // it put ".lock" and ".tmp" in the current folder and lost the pod's state)
  if (stateFile === '') throw new InputError('--state is empty: give a file, e.g. --state pod.flash');
  // (a device, /dev/null: its lock was made beside it, in /dev, and the state refused with "delete it")
  const st = statIfThere(stateFile);
  if (st && !st.isFile() && !st.isDirectory()) throw new InputError(`${stateFile} is not a file (a device?), so it cannot keep a virtual pod's state: pick a file with --state, e.g. --state pod.flash`);
  const lock = lockState(stateFile, by);
  try {
    return await open(lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** The holder's record written beside the lock, to be linked or renamed into place whole: a reader never sees it part-written. */
function writtenAside(lock: string, holder: { pid: number; pty?: string; sped_up?: boolean }): string {
  const tmp = `${lock}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(holder));
  return tmp;
}

/**
 * Create `file` (the lock, or its takeover) holding this process's pid, linked into place: only one process can;
 * false if there is one.
 */
function createHeld(file: string, stateFile: string): boolean {
  let tmp: string | undefined;
  try {
    tmp = writtenAside(file, { pid: process.pid });
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'ENOENT') throw new InputError(`cannot keep the virtual pod's state in ${stateFile}: folder ${path.dirname(file)} does not exist`);
    if (code === 'ENOTDIR') throw new InputError(`cannot keep the virtual pod's state in ${stateFile}: a folder in its path is a file`);
    throw new LinkError(`cannot lock the virtual pod's state ${stateFile}: ${(e as Error).message}`);
  } finally {
    if (tmp) fs.rmSync(tmp, { force: true });
  }
}

/** The file one process holds while it takes a stale lock over (takeOver). */
const takeoverOf = (lock: string) => `${lock}.takeover`;

/**
 * A lock left by a process that is gone, removed: by one process at a time, which holds `<lock>.takeover`
 * (linked into place, as the lock is) and reads the lock again under it. Only a lock that was read, whose
 * holder is gone, and that is still the one read then (lockLeftBehind) is removed: it cannot change between
 * that and its removal, as a new lock is only made where there is none and a dead holder lets go of none. A
 * lock found absent is left be: one can be made there between the read and a removal (the process whose
 * takeover came just before makes its own), and removing it gave two processes the lock (test/sim-lock.test.ts,
 * CI 2026-12-08; moving the lock aside to read it, until 2026-12-06, left the same hole). False if another
 * process holds the takeover. A takeover whose holder is gone (it died in the microseconds it holds one) is
 * removed; a live holder's only once older than TAKEOVER_STALE_MS (a pid given again since, or a process
 * frozen). (Not closed: two processes that both found the same dead holder's takeover can each remove one, the
 * second a takeover made in between; it takes a process killed while it held one, and a third at that moment.)
 */
function takeOver(lock: string, stateFile: string): boolean {
  const guard = takeoverOf(lock);
  if (!createHeld(guard, stateFile)) {
    if (lockLeftBehind(guard) || olderThan(guard, TAKEOVER_STALE_MS)) fs.rmSync(guard, { force: true });
    return false;
  }
  try {
    if (lockLeftBehind(lock)) fs.rmSync(lock, { force: true });
  } finally {
    fs.rmSync(guard, { force: true });
  }
  return true;
}

/**
 * Whether `file` (a lock or a takeover) is there and its holder gone: a process no longer running, one
 * before this one that had our pid (this process removes its own only as it releases them), or a record that
 * is not one (they are linked into place whole, so never part-written). False when it is not there. The file
 * is read again after its holder is found gone, and must be the same: a holder alive at the first read can let
 * go and exit before it is looked for, and the file be another process's new lock by then (two held it).
 * `isAlive` is for tests, to put that in between.
 */
export function lockLeftBehind(file: string, isAlive: (pid: number) => boolean = alive): boolean {
  const text = textIfThere(file);
  if (text === null) return false;
  const h = parsedHolder(text);
  if (h && h.pid !== process.pid && isAlive(h.pid)) return false;
  return textIfThere(file) === text;
}

function olderThan(file: string, age_ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs > age_ms;
  } catch {
    return false;
  }
}

function textIfThere(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Wait (synchronously: the lock is taken before anything else runs). */
function sleep_ms(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function holderOf(lock: string): { pid: number; pty?: string; spedUp: boolean } | null {
  const text = textIfThere(lock);
  return text === null ? null : parsedHolder(text);
}

function parsedHolder(text: string): { pid: number; pty?: string; spedUp: boolean } | null {
  try {
    const h = JSON.parse(text) as { pid?: unknown; pty?: unknown; sped_up?: unknown };
    return typeof h.pid === 'number' ? { pid: h.pid, pty: typeof h.pty === 'string' ? h.pty : undefined, spedUp: h.sped_up === true } : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // (EPERM: it is there, someone else's)
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `own`: the state file is where retrostep keeps it unasked (the data folder's, or RETROSTEP_SIM_STATE's): one of
 * the wrong size there is an older retrostep's, to delete. A file --state names was told "delete it" too, and the
 * file a slip names is a recording, an export or a report: only another --state is said.
 */
export function loadFlash(stateFile: string, own = false): Flash {
  const flash = new Flash();
  if (fs.existsSync(stateFile)) {
    if (fs.statSync(stateFile).isDirectory()) throw new InputError(`${stateFile} is a folder, not a virtual pod state file: pick a file with --state, e.g. --state pod.flash`);
    const image = fs.readFileSync(stateFile);
    // (a database, --db's file given to --state by a slip, is not to be deleted as a broken state file would be)
    if (image.subarray(0, SQLITE_HEADER.length).toString('latin1') === SQLITE_HEADER) throw new InputError(`${stateFile} is a database (--db names those), not a virtual pod state file: pick another --state`);
    if (image.length !== flash.size) throw new InputError(`${stateFile} is not a virtual pod state file (${image.length} bytes, expected ${flash.size}): ${own ? 'delete it or ' : ''}pick another --state`);
    flash.image.set(image);
  }
  return flash;
}

export function saveFlash(stateFile: string, flash: Flash): void {
  // write then rename: a sim killed mid-save keeps the previous state
  const tmp = `${stateFile}.tmp`;
  try {
    fs.writeFileSync(tmp, flash.image);
    fs.renameSync(tmp, stateFile);
  } catch (e) {
    // (a full disk: the save's own error, uncaught in sim's timer, was a stack trace, with the part-written .tmp left)
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // (a folder of that name: not ours to remove; the error below names it)
    }
    const why = (e as NodeJS.ErrnoException).code === 'ENOSPC' ? 'the disk is full' : (e as Error).message;
    throw new InputError(`cannot save the virtual pod's state in ${stateFile}: ${why}: the pod stopped, its state as last saved`);
  }
}

/** Today's walk ends at least this long before now (ms): with the minute the pod runs on after it (61 s), its clock is still behind this computer's, and no minute is stamped in the future. */
const TODAY_WALK_ENDS_BEFORE_MS = 2 * 60_000;

/**
 * Walk `days` days, one walk a day ending today, setting the pod's clock each morning as a sync would. Today's walk
 * is at WALK_HOUR, or earlier if that is still to come; so `summary --week`, the 7 days ending today, shows all of
 * `sim --walk-days 7` (they ended yesterday, and the first walked day was outside it). Just after midnight, with no
 * time yet for a walk today, they end yesterday.
 */
export async function walkDays(pod: VirtualPod, days: number, onProgress?: (text: string) => void, now = new Date(), stop?: AbortSignal): Promise<number> {
  // (the walks take real time, seconds a day: the clock is set at the end to `now` moved on by it)
  const started_ms = Date.now();
  let strides = 0;
  // (oldest first: the scripts' backward share grows as the days go on; each made as it is walked, as 60 days of
  // walks held at once are ~50 MB; the last one's length first, for when today's can start)
  const walkerFor = (i: number) => createWalker(dayScript(i), { seed: 100 + days - i });
  const last = days > 0 ? walkerFor(days - 1) : null;
  const midnight_ms = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const todayWalk_ms = Math.min(new Date(now.getFullYear(), now.getMonth(), now.getDate(), WALK_HOUR).getTime(), now.getTime() - TODAY_WALK_ENDS_BEFORE_MS - (last?.duration_ms ?? 0));
  const endsToday = todayWalk_ms >= midnight_ms;
  for (let i = 0; i < days; i++) {
    // (between days: a day's walk runs the pod synchronously, seconds, and a signal is heard only once it is done)
    if (stop?.aborted) throw new WalkStopped(i, days);
    const walker = i === days - 1 && last ? last : walkerFor(i);
    const daysAgo = days - 1 - i + (endsToday ? 0 : 1);
    const day = daysAgo === 0 ? new Date(todayWalk_ms) : new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo, WALK_HOUR);
    // the walker's time starts at 0; the pod's IMU asks in simulation time, which runs on from earlier days
    const t0_ms = pod.sim_ms;
    pod.setImuSource((t_ms, rate_hz, out) => walker.source(t_ms - t0_ms, rate_hz, out));
    await talkToPod(pod, (client) => client.request('set_time', setTimePayload(day.getTime() / 1000), 'info'));
    pod.advance(walker.duration_ms + 61_000);
    strides += walker.truth.length;
    onProgress?.(`walked ${day.toDateString()}: ${walker.truth.length} strides`);
  }
  // back to standing still, and to today's clock
  pod.setImuSource((_t, _r, out) => {
    out.fill(0);
    out[2] = 1;
  });
  // (stepped by the conversation, not run against real time: at TALK_SPEED the pod's clock ran on 50 x whatever the
  // link's close took after the clock was set, 23 s on a loaded machine, past a sync's 2 s tolerance)
  await talkToPod(
    pod,
    async (client) => {
      // more days than the pod holds: say so here, not only at the sync that finds the last minute folded
      const status = await client.request('status_get', {}, 'status');
      if (status.flags & STATUS_STORAGE_FULL) {
        // (full flash first fills the RAM spill: only then are minutes folded into the newest record)
        const folded = (await readBatch(client, status.next_seq - 1)).some((r) => r.flags & RECORD_FOLDED);
        onProgress?.(
          folded
            ? `the pod is full (${status.next_seq - status.first_seq} minute records): the walking after that was added into its newest minute, each count capped at 255; sync to see what it holds`
            : `the pod's flash is full: ${status.ram_pending} minute records wait in its memory, and once that is full too later minutes are added into its newest one; sync it`,
        );
      }
      // (last, and not `now` as it was at the start: the walks take seconds a day, and the status read above moves
      // the pod's clock; either left the first sync after `sim --walk-days 7` saying "pod clock set")
      await client.request('set_time', setTimePayload((now.getTime() + Date.now() - started_ms) / 1000), 'info');
    },
    { clock: 'stepped' },
  );
  return strides;
}

/**
 * Set a freshly booted pod's clock to this computer's, as a sync would. A pod whose clock no sync has set stamps its
 * minutes on uptime, and its next sync puts them back to end at that sync's time: right at real time, but at
 * `sim --speed 10` ten minutes walked in one were put over the nine before it, minutes the pod may have walked and
 * synced already (counted twice). (A sped-up pod refuses a sync's clock, sped-up-clock.ts, and keeps none of the
 * minutes it walks: serveLocked does not save them. Stepped by the conversation, as
 * walkDays' last setting is: set, then not run on by a loaded machine's slow link close.)
 */
async function setClockNow(pod: VirtualPod): Promise<void> {
  await talkToPod(pod, (client) => client.request('set_time', setTimePayload(Date.now() / 1000), 'info'), { clock: 'stepped' });
}

/**
 * --walk-days walks the days ending today (walkDays): a pod that has walked before (sim --walk-days run again, on the
 * same day or the next) walked those days' minutes again, with the same times, and a sync stored both, so `summary`
 * counted the days twice. Which days it walked is not kept (its synced minutes are freed), so a pod that has
 * numbered any minute is refused, its state left as it was.
 */
async function refuseWalkedBefore(pod: VirtualPod, stateFile: string): Promise<void> {
  const status = await talkToPod(pod, (client) => client.request('status_get', {}, 'status'));
  if (status.next_seq > 0) {
    throw new InputError(`the virtual pod in ${stateFile} has walked before (${status.next_seq} minutes): --walk-days would walk its days again, and a sync would store those minutes twice; leave --walk-days out to serve it as it is, or give a new --state for a pod that walks them`);
  }
}

/** The demo's walk, repeated, and the foot standing once the walk stops. */
export interface LoopingWalker extends ImuSource {
  /** The foot standing still from now on, as the walker's stands (its lap's sensor: its pose on the shoe, gain and offsets). */
  standing: ImuSource;
}

/** The demo's walk, repeated with a new seed each time, starting at simulation time t0_ms. */
export function loopingWalker(t0_ms: number): LoopingWalker {
  let lap = 0;
  let walker = createWalker(demoScript(), { seed: 500 });
  let lapStart = t0_ms;
  const source: ImuSource = (t_ms, rate_hz, out) => {
    while (t_ms - lapStart >= walker.duration_ms) {
      lapStart += walker.duration_ms;
      walker = createWalker(demoScript(), { seed: 500 + ++lap });
    }
    walker.source(t_ms - lapStart, rate_hz, out);
  };
  // (past its script's end, a walker stands: its time runs on from there, for the sensor's drift)
  const standing: ImuSource = (t_ms, rate_hz, out) => walker.source(walker.duration_ms + Math.max(0, t_ms - lapStart), rate_hz, out);
  return Object.assign(source, { standing });
}

export async function serveSim(options: SimServerOptions): Promise<SimServer> {
  const dir = path.dirname(path.resolve(options.stateFile));
  if (options.createDir) makeDataFolder(dir, '--state');
  if (!fs.existsSync(dir)) throw new InputError(`cannot keep the virtual pod's state in ${options.stateFile}: folder ${dir} does not exist`);
  return withStateLock(options.stateFile, (lock) => serveLocked(options, lock), 'sim');
}

async function serveLocked(options: SimServerOptions, lock: StateLock): Promise<SimServer> {
  // (createDir: the state is the default one, in the folder retrostep makes)
  const flash = loadFlash(options.stateFile, options.createDir);
  const pod = new VirtualPod({ bundle: options.bundle ?? readBundle(), flash, passkey: VIRTUAL_POD_PASSKEY, mac: simPodMac(options.stateFile) });
  pod.boot();
  if (options.walkDays) {
    await refuseWalkedBefore(pod, options.stateFile);
    await walkDays(pod, options.walkDays, options.onProgress, new Date(), options.stop);
  } else if ((options.speed ?? 1) > 1) await setClockNow(pod);
  saveFlash(options.stateFile, flash);
  // (a sped-up pod's minutes have no place on this computer's clock: not saved, so no later sync at real time
  // stores them dated ahead, in the user's week; the state stays as saved here, --walk-days' days included)
  const keep = (options.speed ?? 1) <= 1;

  let pty: PtyPair;
  try {
    pty = await openPtyPair();
  } catch (e) {
    throw new LinkError(`cannot open a pseudo-terminal for the virtual pod (${(e as Error).message}); use --sim on other commands instead`);
  }
  // the bridge: a central that stays connected and paired, like a BLE-UART dongle
  pod.peripheral.connect({ onDisconnect: () => {} });
  pod.peripheral.pair(VIRTUAL_POD_PASSKEY);
  const rx = findChar(pod, RETROSTEP_RX_UUID_NOBLE);
  const tx = findChar(pod, RETROSTEP_TX_UUID_NOBLE);
  tx.subscribe((value) => pty.write(value));
  const piece = pod.peripheral.mtu - 3;
  const toPod = (bytes: Uint8Array) => {
    for (let at = 0; at < bytes.length; at += piece) rx.write(bytes.subarray(at, at + piece));
  };
  // (a pod faster than real time takes no clock from the host: sped-up-clock.ts)
  pty.on('data', (options.speed ?? 1) > 1 ? refuseSetTime(options.speed!, toPod, (reply) => pty.write(reply)) : toPod);
  const walker = options.walk ? loopingWalker(pod.sim_ms) : null;
  if (walker) pod.setImuSource(walker);
  lock.serving(pty.path, !keep);
  pod.start(options.speed ?? 1);
  let fail: (e: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (fail = resolve));
  let saveFailed = false;
  const saver = setInterval(() => {
    if (!keep) return;
    try {
      saveFlash(options.stateFile, flash);
    } catch (e) {
      clearInterval(saver);
      saveFailed = true;
      fail(e as Error);
    }
  }, SAVE_EVERY_MS);
  return {
    path: pty.path,
    pod,
    failed,
    async close() {
      clearInterval(saver);
      pod.stop();
      // (the bridge first: a host still on the pty, `live`, is sent nothing of the minute run on below)
      tx.unsubscribe();
      pod.peripheral.disconnect();
      try {
        // (once a save failed, the state stays as last saved: one the disk took whole)
        if (saveFailed || !keep) return { lastMinute: [] };
        // (stopped at once, a walking pod lost the open minute's strides: it writes a minute's record as it closes)
        const lastMinute = walker ? standToMinuteEnd(pod, walker.standing) : [];
        saveFlash(options.stateFile, flash);
        return { lastMinute };
      } finally {
        await pty.close();
        lock.release();
      }
    },
  };
}
