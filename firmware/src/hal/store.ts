/**
 * Per-minute records in flash, behind a small interface.
 *
 * Layout in Espruino Storage: record seq k lives in file "rs<k/16>" at byte
 * (k%16)*20. Each file is created at its full size (erased, 0xFF) by its
 * first write, and later records are written into it at their offset, so a
 * record write touches only its own 20 bytes: a reset in the middle leaves a
 * torn record (its check fails, it is skipped) and every earlier one intact.
 * "rsack" holds the highest seq the host has acked; files whose records are
 * all acked are erased. Nothing un-acked is ever overwritten: when flash is
 * full, records wait in RAM (pending) and the status says "storage full".
 */
import { getU32, putU32 } from '../../../shared/protocol/bytes.js';
import { decodeRecord, encodeRecord, type MinuteRecord, RECORD_BYTES, RECORD_BOOT_BITS, RECORD_CLOCK_VALID, RECORD_FOLDED, RECORD_WRONG_JUDGES_FORWARD, recordIsValid } from '../../../shared/protocol/records.js';
import { floor } from '../../../shared/math.js';

/** 16 records (320 B) per file: small enough to waste little when erased, big enough to keep Storage's per-file header (~32 B) under 10%. */
const RECORDS_PER_FILE = 16;
const FILE_BYTES = RECORDS_PER_FILE * RECORD_BYTES;
/** Storage kept free for config and calibration writes, which must never fail for lack of room. */
const RESERVE_BYTES = 1024;
/** Storage's own header per file (name + length), for free-space checks. */
const FILE_OVERHEAD_BYTES = 32;
/** Records held in RAM while flash is full: an hour of walking. Beyond that the last one keeps accumulating. */
const RAM_RECORDS = 60;
/**
 * ...held in a buffer grown this many records at a time: the first minute flash cannot take costs ~18
 * variables (32-bit build), not the ~135 of an hour's buffer, which the pod could not spare while a host
 * talks to it.
 */
const RAM_GROW_RECORDS = 8;
/**
 * Storage is compacted only above this battery level (%: the pod's low-battery warning, pod.ts). Compaction
 * rewrites all of Storage, the 20 KB bundle too (it starts at the first page a file starts on, and after the
 * bundle none does), for about a second of page erases; Espruino says a power cut in it corrupts Storage
 * (espruino/Espruino#2391, where Bangle.js got the same guard), and a Puck.js that boots with Storage corrupt
 * erases all of it: the code and every record not yet synced. A coin cell near its end, sagging under the motor
 * and the erase current, is where that cut comes from (docs/decisions.md, "Storage compaction and a low cell").
 */
const COMPACT_MIN_BATTERY_PCT = 15;
/**
 * An ack that leaves less free than this (bytes) compacts then, not at a minute's close later: a cut then loses
 * no record (the host has them all) and the motor is off. 8,000 B is ~5 hours of walking (22 B a minute, after the
 * 1 KB reserve): a week of syncs at 45 minutes a day never compacts while walking.
 */
const COMPACT_AT_ACK_BELOW_BYTES = 8000;
const ACK_FILE = 'rsack';
/** One byte as erased flash reads (creating a file without programming anything that matters). */
const ERASED = '\xff';
const PREFIX = 'rs';

/** Where the store stands: one object for the status answer, not six getters (each function costs the pod ~6 variables for good). */
interface StoreLevels {
  /** oldest seq still held (flash or RAM) */
  first_seq: number;
  next_seq: number;
  /** records held (first_seq .. next_seq - 1) */
  stored: number;
  /** records that fit in what flash has free now, plus those held */
  capacity: number;
  /** records waiting in RAM because flash is full */
  ram_pending: number;
  full: boolean;
}

export interface RecordStore {
  /** Append a record (its seq is assigned here); false only if even RAM is full (then it was merged into the last one). */
  append(r: MinuteRecord): boolean;
  /**
   * Copy valid records with seq >= from into out (up to max); returns how many. With a clock (offset_s not
   * null), records of this boot (flags' RECORD_BOOT_BITS bootBits) still stamped with uptime are copied with
   * wall-clock time: the host can place them.
   */
  read(from: number, max: number, out: Uint8Array, offset_s: number | null, bootBits: number): number;
  /** The host committed everything up to seq: free it. */
  ack(upTo: number): void;
  eraseAll(): void;
  levels(): StoreLevels;
}

function fileName(index: number): string {
  return PREFIX + index;
}

export function createRecordStore(): RecordStore {
  const storage = require('Storage');
  let acked = -1; // highest acked seq, -1 = none
  let next = 0;
  let full = false;
  // allocated only while flash is full, RAM_GROW_RECORDS at a time (up to 1.2 KB: ~135 variables a pod in normal use does not hold)
  let ram: Uint8Array | null = null;
  let ramCount = 0; // records in ram, seqs next-ramCount .. next-1
  const one = new Uint8Array(RECORD_BYTES);

  function fileIndexes(): number[] {
    const names = storage.list(/^rs\d+$/);
    const out: number[] = [];
    for (let i = 0; i < names.length; i++) out.push(parseInt(names[i].substring(2), 10));
    out.sort(function (a, b) {
      return a - b;
    });
    return out;
  }

  function load(): void {
    const a = storage.read(ACK_FILE);
    if (a !== undefined && a.length === 4) acked = getU32(E.toUint8Array(a), 0) | 0;
    const files = fileIndexes();
    next = acked + 1;
    if (files.length === 0) return;
    const last = files[files.length - 1];
    const s = storage.read(fileName(last));
    const b = s === undefined ? new Uint8Array(0) : E.toUint8Array(s);
    // next free slot: after the last slot that is not erased (a torn record is skipped, never rewritten)
    let used = 0;
    for (let k = 0; k < RECORDS_PER_FILE; k++) {
      let erased = true;
      for (let j = 0; j < RECORD_BYTES && erased; j++) if (b[k * RECORD_BYTES + j] !== 0xff) erased = false;
      if (!erased) used = k + 1;
    }
    const n = last * RECORDS_PER_FILE + used;
    if (n > next) next = n;
  }

  /** Compact Storage, on a good cell only (false: not done; records then wait in RAM, status storage full). */
  function compact(): boolean {
    if (E.getBattery() < COMPACT_MIN_BATTERY_PCT) return false;
    storage.compact();
    return true;
  }

  function roomFor(bytes: number): boolean {
    if (storage.getFree() >= bytes + RESERVE_BYTES) return true;
    return compact() && storage.getFree() >= bytes + RESERVE_BYTES;
  }

  /** Write one encoded record (20 bytes in src at `at`) for seq into flash; false when there is no room. */
  function writeFlash(seq: number, src: Uint8Array, at: number): boolean {
    const index = floor(seq / RECORDS_PER_FILE);
    const slot = seq % RECORDS_PER_FILE;
    const name = fileName(index);
    if (storage.read(name, 0, 1) === undefined) {
      if (!roomFor(FILE_BYTES + FILE_OVERHEAD_BYTES)) return false;
      // Storage creates a file only on a write at offset 0: after an erase the next seq can be mid-file,
      // so create it with one erased byte (0xFF, what the flash holds anyway) before writing the slot
      if (slot !== 0) storage.write(name, ERASED, 0, FILE_BYTES);
    }
    return storage.write(name, src.subarray(at, at + RECORD_BYTES), slot * RECORD_BYTES, FILE_BYTES);
  }

  /** Move RAM-held records to flash, oldest first, while there is room. */
  function flushRam(): void {
    while (ramCount > 0 && ram) {
      const seq = next - ramCount;
      if (!writeFlash(seq, ram, 0)) return;
      ram.set(ram.subarray(RECORD_BYTES, ramCount * RECORD_BYTES), 0);
      ramCount--;
    }
    ram = null;
    full = false;
  }

  load();

  return {
    append: function (r: MinuteRecord): boolean {
      if (ramCount > 0) flushRam();
      if (ramCount === 0) {
        r.seq = next;
        encodeRecord(r, one, 0);
        if (writeFlash(next, one, 0)) {
          next++;
          return true;
        }
        full = true;
      }
      if (ramCount < RAM_RECORDS && (!ram || ram.length < (ramCount + 1) * RECORD_BYTES)) {
        const grown = new Uint8Array(Math.min(RAM_RECORDS, ramCount + RAM_GROW_RECORDS) * RECORD_BYTES);
        if (ram) grown.set(ram.subarray(0, ramCount * RECORD_BYTES));
        ram = grown;
      }
      if (ramCount < RAM_RECORDS) {
        r.seq = next;
        encodeRecord(r, ram as Uint8Array, ramCount * RECORD_BYTES);
        ramCount++;
        next++;
        return true;
      }
      // RAM full too: fold this minute into the newest record rather than drop or overwrite anything
      const at = (ramCount - 1) * RECORD_BYTES;
      const last = decodeRecord(ram as Uint8Array, at);
      if (last) {
        last.forward += r.forward;
        last.backward += r.backward;
        last.heel += r.heel;
        last.flat += r.flat;
        last.toe += r.toe;
        last.wrong += r.wrong;
        last.buzzes += r.buzzes;
        last.active_s += r.active_s;
        // (so the host can say when the pod ran out of room, and leave this record out of the cadence); a minute
        // whose rule judged forward strides makes the sum's judged so too, as its wrong strides are in it
        last.flags |= RECORD_FOLDED | (r.flags & RECORD_WRONG_JUDGES_FORWARD);
        encodeRecord(last, ram as Uint8Array, at);
      }
      return false;
    },
    read: function (from: number, max: number, out: Uint8Array, offset_s: number | null, bootBits: number): number {
      let n = 0;
      let seq = from < acked + 1 ? acked + 1 : from;
      const ramFirst = next - ramCount;
      while (seq < next && n < max) {
        if (seq >= ramFirst && ram) {
          out.set(ram.subarray((seq - ramFirst) * RECORD_BYTES, (seq - ramFirst + 1) * RECORD_BYTES), n * RECORD_BYTES);
          n++;
        } else {
          const s = storage.read(fileName(floor(seq / RECORDS_PER_FILE)), (seq % RECORDS_PER_FILE) * RECORD_BYTES, RECORD_BYTES);
          if (s !== undefined && s.length === RECORD_BYTES) {
            const b = E.toUint8Array(s);
            if (recordIsValid(b, 0) && getU32(b, 0) === seq) {
              out.set(b, n * RECORD_BYTES);
              n++;
            }
          }
        }
        seq++;
      }
      if (offset_s !== null) {
        for (let i = 0; i < n; i++) {
          const r = decodeRecord(out, i * RECORD_BYTES);
          if (!r || r.flags & RECORD_CLOCK_VALID || (r.flags & RECORD_BOOT_BITS) !== bootBits) continue;
          r.start_s = floor(r.start_s + offset_s);
          r.flags |= RECORD_CLOCK_VALID;
          encodeRecord(r, out, i * RECORD_BYTES);
        }
      }
      return n;
    },
    ack: function (upTo: number): void {
      if (upTo >= next) upTo = next - 1;
      if (upTo <= acked) return;
      const b = new Uint8Array(4);
      putU32(b, 0, upTo);
      storage.write(ACK_FILE, b);
      acked = upTo;
      // erase files whose every record is acked
      const files = fileIndexes();
      for (let i = 0; i < files.length; i++) {
        if ((files[i] + 1) * RECORDS_PER_FILE - 1 <= acked) storage.erase(fileName(files[i]));
      }
      // running low: compact now, while the host holds every record (its last batch acked: a sync acks batch by
      // batch, and a compaction at an earlier one puts the later ones at stake) and the pod is still
      if (acked >= next - 1 && storage.getFree() < COMPACT_AT_ACK_BELOW_BYTES) compact();
      // acked RAM records are gone too
      const ramFirst = next - ramCount;
      if (acked >= ramFirst && ram) {
        const drop = Math.min(ramCount, acked - ramFirst + 1);
        ram.set(ram.subarray(drop * RECORD_BYTES, ramCount * RECORD_BYTES), 0);
        ramCount -= drop;
      }
      if (ramCount > 0) flushRam();
      else {
        ram = null;
        full = false;
      }
    },
    eraseAll: function (): void {
      const files = fileIndexes();
      for (let i = 0; i < files.length; i++) storage.erase(fileName(files[i]));
      // keep seq monotonic across an erase: the host keys records by (pod, seq)
      acked = next - 1;
      ramCount = 0;
      ram = null;
      full = false;
      const b = new Uint8Array(4);
      putU32(b, 0, acked);
      storage.write(ACK_FILE, b);
    },
    levels: function (): StoreLevels {
      const stored = next - (acked + 1);
      return {
        first_seq: acked + 1,
        next_seq: next,
        stored: stored,
        capacity: floor(Math.max(0, storage.getFree() - RESERVE_BYTES) / (RECORD_BYTES + FILE_OVERHEAD_BYTES / RECORDS_PER_FILE)) + stored,
        ram_pending: ramCount,
        full: full,
      };
    },
  };
}
