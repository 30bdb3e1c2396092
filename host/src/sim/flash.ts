/**
 * The Puck.js v2 Storage area as flash memory, and Espruino's
 * `require('Storage')` on top of it, byte for byte.
 *
 * The on-flash format and the algorithms are ported from Espruino's
 * src/jsflash.c (2v1x-2v2x): a log of files, each a 32-byte header (size u32
 * little endian with flags in the top byte, then a 28-byte zero-padded name)
 * followed by its data padded to a 4-byte boundary. A file is deleted by
 * zeroing the first 4 bytes of its name; rewriting a file deletes the old
 * copy and appends a new one. getFree() is the space after the last header
 * (deleted files still count as used); compaction rewrites the live files
 * from the start, page by page, and happens on its own when a new file does
 * not fit. Porting the real algorithms means the same things go wrong here
 * as on a pod: a write that does not fit throws, a power cut in the middle of
 * a header or a compaction leaves what Espruino would leave.
 *
 * The flash itself is NOR flash: erased bytes are 0xFF, programming can only
 * clear bits (new = old & data), and only a page erase sets them again. The
 * nRF52 NVMC programs whole 32-bit words, so by default a power cut tears a
 * write at a word boundary (set `tearUnit_bytes: 1` to tear at any byte).
 *
 * The image is a plain Uint8Array owned by this object: pass the same Flash
 * to a new VirtualPod and the files are still there, as after a reset.
 */

/** Puck.js v2 board file (boards/PUCKJS.py): saved code and Storage get 10 pages... */
export const STORAGE_PAGES = 10;
/** ...of 4 KB each (nRF52832 flash page, product specification 4.3 "NVMC"). */
export const FLASH_PAGE_BYTES = 4096;
/** jsflash.h JsfFileHeader: uint32 size + 28-byte name. */
export const FILE_HEADER_BYTES = 32;
/** jsflash.h JSF_MAX_FILENAME_LENGTH = sizeof(JsfFileName) = 28. Longer names are cut to 28 by jsfNameFromVar. */
const MAX_FILENAME_CHARS = 28;
/** JSF_ALIGNMENT on nRF52: files start on 4-byte boundaries (the NVMC's word). */
const ALIGN_BYTES = 4;
/** nRF52 NVMC writes 32-bit words: the unit a power cut tears at. */
const NVMC_WORD_BYTES = 4;
/** Erased flash reads all ones. */
const ERASED = 0xff;
/** jsflash.c: a header whose size word is all ones is empty flash. */
const WORD_UNSET = 0xffffffff;
/** jsflash.c jsfGetFileSize: low 24 bits are the size, the top 8 the flags. */
const SIZE_MASK = 0x00ffffff;
/** nRF52832 product specification, "Flash programming": 10 000 write/erase cycles per page. */
const FLASH_ENDURANCE_CYCLES = 10_000;

/**
 * The power was cut during a flash operation: the bytes already programmed
 * stay, the rest of the operation never happened. Everything on the Flash
 * throws this until powerOn() (the virtual pod's next boot).
 */
export class PowerLoss extends Error {
  constructor(message = 'power lost during a flash write') {
    super(message);
    this.name = 'PowerLoss';
  }
}

/** An exception Espruino's Storage raises (jsExceptionHere(JSET_ERROR, ...)): the message is Espruino's. */
export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Error';
  }
}

/** What Storage.write accepts (Espruino's JSV_GET_AS_CHAR_ARRAY), in any realm. */
export type StorageData = string | Uint8Array | ArrayBuffer | ArrayBufferView | ArrayLike<number>;

export interface FlashOptions {
  /** default STORAGE_PAGES */
  pages?: number;
  /** default FLASH_PAGE_BYTES */
  pageBytes?: number;
  /** Granularity of a torn write: 4 (the NVMC word, default) or 1. */
  tearUnit_bytes?: number;
}

export interface FlashFileInfo {
  name: string;
  /** address of the header */
  addr: number;
  size: number;
  flags: number;
  deleted: boolean;
}

interface Header {
  /** raw size word (size | flags << 24) */
  sizeWord: number;
  /** 28 name bytes */
  name: Uint8Array;
}

function alignUp(n: number): number {
  return (n + ALIGN_BYTES - 1) & ~(ALIGN_BYTES - 1);
}

function fileSizeOf(h: Header): number {
  return h.sizeWord & SIZE_MASK;
}

function isDeleted(h: Header): boolean {
  return h.name[0] === 0 && h.name[1] === 0 && h.name[2] === 0 && h.name[3] === 0;
}

/** Espruino's jsfNameFromVar: the name's bytes, cut to 28 and zero padded. */
function storageNameBytes(name: string): Uint8Array {
  const out = new Uint8Array(MAX_FILENAME_CHARS);
  const s = String(name);
  for (let i = 0; i < s.length && i < MAX_FILENAME_CHARS; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Espruino's jsfVarFromName: the name up to its first NUL. */
function nameString(bytes: Uint8Array): string {
  let end = 0;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return Buffer.from(bytes.subarray(0, end)).toString('latin1');
}

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < MAX_FILENAME_CHARS; i++) if (a[i] !== b[i]) return false;
  return true;
}

const toStringTag = (x: unknown): string => Object.prototype.toString.call(x);

/**
 * Storage data to bytes the way Espruino does: strings one byte per char,
 * ArrayBuffers and typed arrays their raw bytes, arrays one byte per element.
 * Works on values from another realm (the pod's vm context), so no instanceof.
 */
export function storageDataBytes(data: StorageData): Uint8Array {
  if (typeof data === 'string') return new Uint8Array(Buffer.from(data, 'latin1'));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (toStringTag(data) === '[object ArrayBuffer]') return new Uint8Array((data as ArrayBuffer).slice(0));
  if (Array.isArray(data) || (typeof data === 'object' && data !== null && typeof (data as ArrayLike<number>).length === 'number')) {
    const a = data as ArrayLike<number>;
    const out = new Uint8Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = Number(a[i]) & 0xff;
    return out;
  }
  if (data === undefined || data === null) throw new StorageError("Can't get pointer to data to write");
  // numbers, booleans: Espruino converts them to their string form
  return new Uint8Array(Buffer.from(String(data), 'latin1'));
}

/** A simulated Storage area with Espruino's Storage API on top. */
export class Flash {
  readonly pages: number;
  readonly pageBytes: number;
  /** total bytes (40 960 on a Puck.js v2) */
  readonly size: number;
  /** The flash contents. Survives pods: hand the same Flash to the next VirtualPod. */
  readonly image: Uint8Array;
  /** Page erase count per page: the wear. */
  readonly eraseCounts: Uint32Array;
  /** Bytes programmed since creation (headers, data, deletion marks, compaction copies). */
  bytesWritten = 0;
  /** Console output Storage produces on its own (Espruino prints "Compacting..."): the shim routes it to print. */
  onMessage: ((text: string) => void) | null = null;

  private readonly tearUnit: number;
  /** bytes left before the power fails; null = no failure armed */
  private budget: number | null = null;
  private dead = false;

  constructor(options: FlashOptions = {}) {
    this.pages = options.pages ?? STORAGE_PAGES;
    this.pageBytes = options.pageBytes ?? FLASH_PAGE_BYTES;
    this.size = this.pages * this.pageBytes;
    this.image = new Uint8Array(this.size).fill(ERASED);
    this.eraseCounts = new Uint32Array(this.pages);
    this.tearUnit = options.tearUnit_bytes ?? NVMC_WORD_BYTES;
  }

  // ------------------------------------------------------------------ power

  /**
   * Arm a power cut: after n more bytes have been programmed, the write in
   * progress stops (at a tear-unit boundary) and PowerLoss is thrown.
   */
  failAfterBytes(n: number): void {
    this.budget = Math.max(0, Math.floor(n));
  }

  /** Disarm a pending failAfterBytes. */
  cancelFailure(): void {
    this.budget = null;
  }

  /** True after a PowerLoss until powerOn(). */
  get powerLost(): boolean {
    return this.dead;
  }

  /** Power is back (the next boot): the flash works again, no failure armed. */
  powerOn(): void {
    this.dead = false;
    this.budget = null;
  }

  private alive(): void {
    if (this.dead) throw new PowerLoss('the pod has no power (flash used after a power loss)');
  }

  // ------------------------------------------------------------------ raw NOR flash

  /**
   * Program bytes: NOR semantics (bits only go 1 -> 0), unit by unit, so a
   * power cut leaves a prefix of the write in place and the rest erased.
   */
  program(addr: number, data: Uint8Array): void {
    this.alive();
    if (addr < 0 || addr + data.length > this.size) throw new RangeError(`flash write outside Storage: ${addr}+${data.length}`);
    let i = 0;
    while (i < data.length) {
      // one tear unit: from here to the next unit boundary of the flash address
      const unitEnd = Math.min(data.length, i + (this.tearUnit - ((addr + i) % this.tearUnit)));
      const n = unitEnd - i;
      if (this.budget !== null) {
        if (this.budget < n) {
          this.dead = true;
          this.budget = null;
          throw new PowerLoss();
        }
        this.budget -= n;
      }
      for (let k = i; k < unitEnd; k++) this.image[addr + k] &= data[k];
      this.bytesWritten += n;
      i = unitEnd;
    }
  }

  /** Erase one page to 0xFF. Taken as atomic: the nRF52 erases a page in one 85 ms operation. */
  erasePage(page: number): void {
    this.alive();
    this.image.fill(ERASED, page * this.pageBytes, (page + 1) * this.pageBytes);
    this.eraseCounts[page]++;
  }

  /** Wear summary: erase cycles per page against the nRF52 endurance. */
  wear(): { eraseCounts: number[]; maxEraseCount: number; endurance_cycles: number; worstPage_pct: number } {
    const counts = [...this.eraseCounts];
    const max = Math.max(0, ...counts);
    return { eraseCounts: counts, maxEraseCount: max, endurance_cycles: FLASH_ENDURANCE_CYCLES, worstPage_pct: (100 * max) / FLASH_ENDURANCE_CYCLES };
  }

  // ------------------------------------------------------------------ jsflash.c, ported

  private pageStart(addr: number): number {
    return addr - (addr % this.pageBytes);
  }

  /** jsfGetAddressOfNextPage: start of the next page, or -1 past the end. */
  private nextPage(addr: number): number {
    if (addr < 0) return -1;
    const next = this.pageStart(addr) + this.pageBytes;
    return next >= this.size ? -1 : next;
  }

  /** jsfGetFileHeader: read the header at addr; null unless it is a valid one. */
  private header(addr: number): Header | null {
    if (addr < 0 || addr + FILE_HEADER_BYTES > this.size) return null;
    const b = this.image;
    const sizeWord = (b[addr] | (b[addr + 1] << 8) | (b[addr + 2] << 16) | (b[addr + 3] << 24)) >>> 0;
    if (sizeWord === WORD_UNSET || sizeWord === 0) return null;
    if (addr + FILE_HEADER_BYTES + (sizeWord & SIZE_MASK) > this.size) return null;
    return { sizeWord, name: b.slice(addr + 4, addr + FILE_HEADER_BYTES) };
  }

  /**
   * jsfGetNextFileHeader: where the header after the one at addr is. With
   * getAll, an empty slot makes it look at the start of the next page (a
   * file may have been pushed there); otherwise it stops at the first gap.
   * Returns the next address (-1 when no header fits), its header, and the
   * address whose bytes were read last (what the boot check looks at).
   */
  private next(addr: number, h: Header, getAll: boolean): { addr: number; header: Header | null; lastRead: number } {
    let at = alignUp(addr + FILE_HEADER_BYTES + fileSizeOf(h));
    if (at + FILE_HEADER_BYTES > this.size) return { addr: -1, header: null, lastRead: -1 };
    let header = this.header(at);
    let lastRead = at;
    if (getAll && !header) {
      const page = this.nextPage(at);
      if (page < 0) return { addr: -1, header: null, lastRead };
      at = page;
      lastRead = at;
      header = this.header(at);
    }
    return { addr: at, header, lastRead };
  }

  /** Every header in storage order (deleted ones too): jsfGetFileHeader + jsfGetNextFileHeader(GNFH_GET_ALL). */
  private headers(): { addr: number; header: Header }[] {
    const out: { addr: number; header: Header }[] = [];
    let addr = 0;
    let header = this.header(addr);
    while (header) {
      out.push({ addr, header });
      const n = this.next(addr, header, true);
      addr = n.addr;
      header = n.header;
    }
    return out;
  }

  /** jsfFindFile: data address and header of the live file with this name. */
  private find(name: Uint8Array): { addr: number; header: Header } | null {
    for (const f of this.headers()) if (!isDeleted(f.header) && sameName(f.header.name, name)) return { addr: f.addr + FILE_HEADER_BYTES, header: f.header };
    return null;
  }

  /** jsfGetSpaceLeftInPage: room from addr to the end of its page, or to the end of flash when the next page is empty. */
  private spaceLeftInPage(addr: number): number {
    if (addr < 0) return 0;
    let end = this.pageStart(addr) + this.pageBytes;
    if (end < this.size && !this.header(end)) end = this.size;
    return end - addr;
  }

  private isErased(addr: number, length: number): boolean {
    for (let i = addr; i < addr + length; i++) if (this.image[i] !== ERASED) return false;
    return true;
  }

  private isEqual(addr: number, data: Uint8Array): boolean {
    for (let i = 0; i < data.length; i++) if (this.image[addr + i] !== data[i]) return false;
    return true;
  }

  /** jsfEraseFileInternal: zero the first 4 bytes of the name (bits only need clearing: no erase). */
  private markDeleted(headerAddr: number): void {
    this.program(headerAddr + 4, new Uint8Array(4));
  }

  /**
   * jsfCreateFile: find the first gap after the log in which header + data
   * fit (skipping to the next page when the rest of this one is too small),
   * compact once if there is none and the space left with the deleted
   * files' would then hold it ("only try and compact if we're sure there
   * would be enough space": else no compaction, and no file), then write
   * the header. Returns the data address, or -1 when there is no room.
   */
  private createFile(name: Uint8Array, size: number, flags: number): number {
    const required = alignUp(size) + FILE_HEADER_BYTES;
    let compacted = false;
    for (;;) {
      let addr = 0;
      let freeAddr = -1;
      // (as jsfCreateFile counts them: the room left from each page passed, and the data of deleted files; the
      // room runs to the end of flash when the next page is empty, so Espruino counts empty pages more than once,
      // and so does this: it fails fast only where Storage is full to its last page)
      let free = 0;
      let trash = 0;
      do {
        let h = this.header(addr);
        while (h) {
          if (isDeleted(h)) trash += fileSizeOf(h);
          const n = this.next(addr, h, false);
          addr = n.addr;
          h = n.header;
          if (addr < 0) break;
        }
        const space = this.spaceLeftInPage(addr);
        free += space;
        if (space < required) addr = this.nextPage(addr);
        else freeAddr = addr;
      } while (addr >= 0 && freeAddr < 0);
      if (freeAddr >= 0) {
        const hdr = new Uint8Array(FILE_HEADER_BYTES);
        const sizeWord = (size | (flags << 24)) >>> 0;
        hdr[0] = sizeWord & 0xff;
        hdr[1] = (sizeWord >>> 8) & 0xff;
        hdr[2] = (sizeWord >>> 16) & 0xff;
        hdr[3] = (sizeWord >>> 24) & 0xff;
        hdr.set(name, 4);
        this.program(freeAddr, hdr);
        return freeAddr + FILE_HEADER_BYTES;
      }
      if (compacted || required >= free + trash) return -1;
      compacted = true;
      this.onMessage?.('Compacting...\n');
      this.compact();
    }
  }

  // ------------------------------------------------------------------ Storage API

  /** Storage.read: the file (or a slice: offset, length <= 0 = to the end) as a binary string; undefined if missing. */
  read(name: string, offset = 0, length = 0): string | undefined {
    const bytes = this.readBytes(name, offset, length);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString('latin1');
  }

  /** Storage.read as bytes (jsfReadFile's clipping rules). */
  readBytes(name: string, offset = 0, length = 0): Uint8Array | undefined {
    this.alive();
    const f = this.find(storageNameBytes(name));
    if (!f) return undefined;
    const fileLen = fileSizeOf(f.header);
    let off = Math.trunc(Number(offset) || 0);
    let len = Math.trunc(Number(length) || 0);
    if (off < 0) off = 0;
    if (len <= 0) len = fileLen;
    if (off > fileLen) off = fileLen;
    if (off + len > fileLen) len = fileLen - off;
    if (len <= 0) return new Uint8Array(0);
    return this.image.slice(f.addr + off, f.addr + off + len);
  }

  /**
   * Storage.write (jsfWriteFile). Without offset/size: replace the file
   * (unless identical: then nothing is written). With size: the first write
   * creates a file of `size` erased bytes; later writes with an offset fill
   * it, and only erased bytes may be written. Throws StorageError with
   * Espruino's messages: "Unable to find or create file" (no room, or an
   * offset write to a missing file), "Too much data for file size",
   * "File already written with different data".
   */
  write(name: string, data: StorageData, offset = 0, size = 0): boolean {
    this.alive();
    const off = Math.trunc(Number(offset) || 0);
    let fileSize = Math.trunc(Number(size) || 0);
    if (off < 0 || fileSize < 0) return false;
    const bytes = storageDataBytes(data);
    if (fileSize === 0) fileSize = bytes.length;
    if (fileSize === 0) throw new StorageError("Can't create zero length file");
    if (fileSize > SIZE_MASK) throw new StorageError('Unable to find or create file');
    const key = storageNameBytes(name);
    const flags = 0; // JSFF_NONE: Storage.write makes plain files
    let found = this.find(key);
    let addr = found ? found.addr : -1;
    let header = found ? found.header : null;
    const needsNewFile =
      (!found && off === 0) ||
      (found !== null && off === 0 && (found.header.sizeWord >>> 24 !== flags || fileSizeOf(found.header) !== fileSize || !this.isErased(found.addr, fileSize)));
    if (needsNewFile) {
      if (found && fileSizeOf(found.header) === fileSize && bytes.length === fileSize && this.isEqual(found.addr, bytes)) return true;
      if (found) this.markDeleted(found.addr - FILE_HEADER_BYTES);
      addr = this.createFile(key, fileSize, flags);
      found = null;
      header = addr >= 0 ? { sizeWord: fileSize, name: key } : null;
    }
    if (addr < 0 || !header) throw new StorageError('Unable to find or create file');
    if (off + bytes.length > fileSizeOf(header)) throw new StorageError('Too much data for file size');
    if (!this.isErased(addr + off, bytes.length)) throw new StorageError('File already written with different data');
    if (bytes.length > 0) this.program(addr + off, bytes);
    return true;
  }

  /** Storage.erase: mark the file deleted (its space comes back at the next compaction). */
  erase(name: string): void {
    this.alive();
    const f = this.find(storageNameBytes(name));
    if (f) this.markDeleted(f.addr - FILE_HEADER_BYTES);
  }

  /** Storage.list: live file names in storage order, filtered with String.match(regex) when given. */
  list(regex?: RegExp | string): string[] {
    this.alive();
    const out: string[] = [];
    for (const f of this.headers()) {
      if (isDeleted(f.header)) continue;
      const n = nameString(f.header.name);
      if (regex === undefined || regex === null || n.match(regex) !== null) out.push(n);
    }
    return out;
  }

  /** Storage.getFree: bytes after the last header, deleted files counting as used (jsfGetStorageStats().free). */
  getFree(): number {
    this.alive();
    let last = 0;
    for (const f of this.headers()) last = f.addr + FILE_HEADER_BYTES + alignUp(fileSizeOf(f.header));
    return this.size - last;
  }

  /** Bytes held by deleted files: what compact() would give back. */
  trashBytes(): number {
    this.alive();
    let n = 0;
    for (const f of this.headers()) if (isDeleted(f.header)) n += FILE_HEADER_BYTES + alignUp(fileSizeOf(f.header));
    return n;
  }

  /**
   * Storage.compact (jsfCompactInternal): live files are copied to the
   * start of Storage in order. Each page is erased just before the first
   * byte is written into it, and a page is only rewritten once its old
   * contents have been read, exactly as Espruino streams through its swap
   * buffer; so a power cut here loses what Espruino would lose (data read
   * into RAM from already-erased pages) and no more.
   */
  compact(): boolean {
    this.alive();
    const all = this.headers();
    if (!all.some((f) => isDeleted(f.header))) return true; // "Already fully compacted"
    const oldEnd = all.length ? all[all.length - 1].addr + FILE_HEADER_BYTES + alignUp(fileSizeOf(all[all.length - 1].header)) : 0;
    // the swap buffer: everything to keep, in order (erased padding included, as Espruino copies aligned sizes)
    const chunks: Uint8Array[] = [];
    for (const f of all) {
      if (isDeleted(f.header)) continue;
      chunks.push(this.image.slice(f.addr, f.addr + FILE_HEADER_BYTES + alignUp(fileSizeOf(f.header))));
    }
    let write = 0;
    for (const chunk of chunks) {
      let i = 0;
      while (i < chunk.length) {
        if (write % this.pageBytes === 0) this.erasePage(write / this.pageBytes);
        const n = Math.min(chunk.length - i, this.pageBytes - (write % this.pageBytes));
        this.program(write, chunk.subarray(i, i + n));
        write += n;
        i += n;
      }
    }
    // erase what is left of the old log after the new end
    let page = write === 0 ? 0 : Math.floor((write - 1) / this.pageBytes) + 1;
    const lastOldPage = oldEnd === 0 ? -1 : Math.floor((oldEnd - 1) / this.pageBytes);
    for (; page <= lastOldPage && page < this.pages; page++) this.erasePage(page);
    return true;
  }

  /** Storage.eraseAll: every page erased. */
  eraseAll(): void {
    this.alive();
    for (let p = 0; p < this.pages; p++) this.erasePage(p);
  }

  // ------------------------------------------------------------------ boot check, debugging

  /**
   * jsfIsStorageValid(JSFSTT_NORMAL): walk the log; the header bytes that
   * ended the walk must be all 0xFF (or the log ends where no header fits).
   * A header torn inside its size word, or a compaction cut short that
   * leaves the middle of a file at a page start, fails this.
   */
  isValid(): boolean {
    let addr = 0;
    let h = this.header(0);
    if (!h) return this.isErased(0, this.size); // nothing stored: all of it must be erased
    for (;;) {
      const n = this.next(addr, h, true);
      if (n.header) {
        addr = n.addr;
        h = n.header;
        continue;
      }
      if (n.lastRead < 0) return true; // no room for another header: full, and fine
      return this.isErased(n.lastRead, FILE_HEADER_BYTES);
    }
  }

  /**
   * What Espruino does at power-on (jsiInit on first boot): if Storage is
   * not valid it prints "Storage is corrupt." and erases all of it. Returns
   * true when that happened.
   */
  checkOnBoot(): boolean {
    this.alive();
    if (this.isValid()) return false;
    this.onMessage?.('Storage is corrupt.\n');
    this.eraseAll();
    return true;
  }

  /** Every header in storage order, deleted ones included. */
  files(): FlashFileInfo[] {
    return this.headers().map((f) => ({
      name: nameString(f.header.name),
      addr: f.addr,
      size: fileSizeOf(f.header),
      flags: f.header.sizeWord >>> 24,
      deleted: isDeleted(f.header),
    }));
  }
}
