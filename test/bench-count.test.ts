/**
 * The pod's cost by instruction count (bench/real-pod/count.ts, in `npm run bench pod-real`): valgrind's
 * total read from what it prints, the four runs' totals turned into instructions a sample and reference
 * loops, and the one line said when valgrind is not there or a run failed. The runs under valgrind are the
 * bench's (CI has neither valgrind nor ESPRUINO_BIN).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CountFailed, countFigures, countOrWhyNot, instructionTotal, valgrindBinary } from '../bench/real-pod/count.js';

// what valgrind 3.19's cachegrind printed on stderr with --cache-sim=no (its cache warnings included)
const CACHEGRIND_STDERR = `==6781== Cachegrind, a cache and branch-prediction profiler
==6781== Copyright (C) 2002-2017, and GNU GPL'd, by Nicholas Nethercote et al.
==6781== Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info
==6781== Command: /work/espruino/bin/espruino-puck32-Os run.js
==6781== 
--6781-- warning: L3 cache found, using its data for the LL simulation.
==6781== 
==6781== I   refs:      7,936,781,571
`;

describe("valgrind's instruction total", () => {
  it('is the I refs figure, its thousands separators dropped', () => {
    expect(instructionTotal(CACHEGRIND_STDERR)).toBe(7_936_781_571);
    expect(instructionTotal('==12== I   refs:      128,017\n')).toBe(128_017);
  });

  it('is refused in one line, valgrind\'s last, when valgrind printed none (a tool that did not start)', () => {
    const failed = "valgrind: failed to start tool 'cachegrind' for platform 'x86-linux': No such file or directory\n";
    expect(() => instructionTotal(failed)).toThrow(CountFailed);
    expect(() => instructionTotal(failed)).toThrow(/no instruction total \(its last line: valgrind: failed to start tool/);
    // (the program's own output saying "refs" is not valgrind's total)
    expect(() => instructionTotal('I refs: 12\n')).toThrow(CountFailed);
  });
});

describe('the figures from the four runs', () => {
  it('a walking sample is fed less unfed, a standing one unfed less still, a reference loop ref less unfed; loops are their ratio', () => {
    const f = countFigures({ fed: 1_000_000 + 5 * 1200, unfed: 1_000_000, ref: 1_000_000 + 10 * 80, still: 1_000_000 - 2 * 900 }, { walk: 5, stand: 2, refIterations: 10 });
    expect(f).toEqual({ walk_instructions: 1200, stand_instructions: 900, ref_instructions: 80, walk_refloops: 15, stand_refloops: 11.25 });
  });

  it('a difference that is not positive (a run that fed nothing, or the loop not run) is refused, not printed', () => {
    const n = { walk: 5, stand: 2, refIterations: 10 };
    expect(() => countFigures({ fed: 1000, unfed: 1000, ref: 2000, still: 500 }, n)).toThrow(/the walking samples counted 0 instructions over 5/);
    expect(() => countFigures({ fed: 3000, unfed: 1000, ref: 1000, still: 500 }, n)).toThrow(/the reference loop counted 0/);
    expect(() => countFigures({ fed: 3000, unfed: 1000, ref: 2000, still: 1500 }, n)).toThrow(/the standing samples counted -500/);
    expect(() => countFigures({ fed: 3000, unfed: 1000, ref: 2000, still: 500 }, { ...n, walk: 0 })).toThrow(CountFailed);
  });
});

describe('valgrind on PATH', () => {
  function folderWith(file: string | null, mode = 0o755): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-count-test-'));
    if (file) {
      fs.writeFileSync(path.join(dir, file), '#!/bin/sh\n');
      fs.chmodSync(path.join(dir, file), mode);
    }
    return dir;
  }

  it('is found in the first folder that has it as an executable file', () => {
    const none = folderWith(null), notExecutable = folderWith('valgrind', 0o644), has = folderWith('valgrind');
    const asFolder = folderWith(null);
    fs.mkdirSync(path.join(asFolder, 'valgrind'));
    try {
      expect(valgrindBinary({ PATH: [none, notExecutable, asFolder, has].join(path.delimiter) })).toBe(path.join(has, 'valgrind'));
      expect(valgrindBinary({ PATH: [none, notExecutable, asFolder].join(path.delimiter) })).toBeNull();
      expect(valgrindBinary({})).toBeNull();
    } finally {
      for (const d of [none, notExecutable, has, asFolder]) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('missing: one line says the count was skipped and how to get valgrind, and nothing is run', async () => {
    let ran = false;
    const said = await countOrWhyNot(async () => (ran = true), { PATH: '' });
    expect(said).toMatch(/^skipped: valgrind is not on PATH \(apt-get install valgrind/);
    expect(ran).toBe(false);
  });

  it('a run that failed is the one line "not counted: why"; any other error is thrown as it is', async () => {
    const dir = folderWith('valgrind');
    try {
      const env = { PATH: dir };
      expect(await countOrWhyNot(async (v) => v, env)).toBe(path.join(dir, 'valgrind'));
      expect(await countOrWhyNot(async () => Promise.reject(new CountFailed('the run ended early')), env)).toBe('not counted: the run ended early');
      await expect(countOrWhyNot(async () => Promise.reject(new TypeError('a bug')), env)).rejects.toThrow(TypeError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
