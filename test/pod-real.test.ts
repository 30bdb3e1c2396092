/**
 * The pod bundle on the REAL Espruino interpreter (bench/real-pod/): it loads
 * from Storage, counts a scripted walk and buzzes for its wrong strides, idles,
 * and keeps records in RAM when flash is full, with no uncaught exception and
 * within its memory budget.
 * Needs ESPRUINO_BIN (an Espruino Linux build with a Puck.js-sized heap, see
 * docs/decisions.md); without it this suite says so in one line and runs
 * nothing. Figures (memory, cost) are the bench's: `npm run bench pod-real`.
 */
import { describe, expect, it } from 'vitest';
import { storedBundlePath } from '../host/src/firmware-bundle.js';
import { espruinoBinary, HOW_TO_ENABLE, recordCounts, runRealPod, VARS_BUDGET } from '../bench/real-pod/real-pod.js';
import { STATUS_STORAGE_FULL } from '../shared/protocol/messages.js';

const bin = espruinoBinary(); // throws one clear line when ESPRUINO_BIN is set but unusable
if (!bin) console.log(`pod-real: skipped, ${HOW_TO_ENABLE}`);

describe.runIf(bin)('the pod on the real interpreter', () => {
  it('counts a walk, buzzes once per wrong stride, idles, and holds records in RAM when flash is full', { timeout: 300_000 }, async () => {
    const {
      walk,
      full,
      steady: [steady],
    } = await runRealPod(bin!, storedBundlePath(), 1);
    expect(walk.errors).toEqual([]);
    expect(full.errors).toEqual([]);
    expect(steady.errors).toEqual([]);
    // (the steady run times the same walk, every sample of it, fed back to back)
    expect(steady.samples.walk).toBe(walk.samples.walk);
    expect(walk.fetPulses).toBe(walk.truth.wrong);
    const c = recordCounts(walk);
    expect(Math.abs(c.forward - walk.truth.forward)).toBeLessThanOrEqual(1);
    expect(Math.abs(c.backward - walk.truth.backward)).toBeLessThanOrEqual(1);
    expect(c.wrong).toBe(walk.truth.wrong);
    expect(walk.samples.idle).toBeGreaterThan(0); // the pod dropped to its idle rate by itself
    // idle, only the sample that arms the wake-up interrupt reached the pod; a walk starting woke it
    expect(walk.samples.idle_int1).toBe(1);
    expect(walk.wake_samples).toBeGreaterThan(0);
    // flash full: the pod says so and holds the minute in RAM (its variables are not the check: the RAM
    // buffer grows 8 records at a time, ~18 variables, less than what the closed minute and the link free)
    expect((full.status?.flags ?? 0) & STATUS_STORAGE_FULL).toBe(STATUS_STORAGE_FULL);
    expect(full.status?.ram_pending).toBeGreaterThanOrEqual(1);
    expect(walk.vars.walking).toBeLessThanOrEqual(VARS_BUDGET.walking);
    expect(full.vars.flash_full).toBeLessThanOrEqual(VARS_BUDGET.flash_full);
    // the peak: a host connected, the link loaded and a status answered (more than walking: the link is there)
    for (const run of [walk, full]) {
      expect(run.vars.connected).toBeGreaterThan(run.vars.walking);
      expect(run.vars.connected).toBeLessThanOrEqual(VARS_BUDGET.connected);
    }
  });
});
