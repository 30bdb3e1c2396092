/**
 * `retrostep sim --walk` at real time stopped part way through a minute (Ctrl-C): the pod writes a minute's record
 * only as the minute closes, so stopping it at once lost the open minute's strides (up to 59 s of walking), which no
 * later sim and sync saw. It stands to the minute's end first (serve.ts close, stand-to-minute-end.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSim } from './helpers/sim-process.js';
import { readBundle } from '../host/src/firmware-bundle.js';
import { readBatch } from '../host/src/sync-records.js';
import { demoScript } from '../host/src/sim/demo-script.js';
import { loadFlash, serveSim, simPodMac } from '../host/src/sim/serve.js';
import { talkToPod, VIRTUAL_POD_PASSKEY } from '../host/src/sim/talk-to-pod.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { createWalker } from '../host/src/sim/walker.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-sim-stop-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Stopped this far into the pod's uptime: 30 s into its second minute, in the demo's forward warm-up (15-97 s). */
const STOP_MS = 90_000;
/** The pod's minutes on uptime (a sim at real time boots with no clock). */
const MINUTE_MS = 60_000;
/** How long the CLI's sim walks at real time before it is stopped (ms): past the demo's first strides (15 s in), inside its first minute. */
const CLI_WALK_MS = 25_000;
/** Strides the pod may count short of the walker's truth: the demo's first stride, counted as its mount is learnt from the run (a whole lap: 479 of 480), and the one in the air as the walker stops. */
const STRIDES_SHORT = 2;

describe('sim --walk stopped part way through a minute', () => {
  it("keeps that minute's strides: a new pod on its state file reads them out (it read only the minutes before, 40 of 68 strides)", async () => {
    const state = path.join(dir, 'walked.flash');
    const server = await serveSim({ stateFile: state, walk: true });
    // (the clock stepped here, not run at real time: 90 s of walking in a moment)
    server.pod.stop();
    const t0_ms = server.pod.sim_ms;
    server.pod.advance(STOP_MS - server.pod.now_ms);
    const { lastMinute } = await server.close();

    // the walker the sim walks (serve.ts loopingWalker: its first lap), up to the stop
    const truth = createWalker(demoScript(), { seed: 500 }).truth.filter((s) => t0_ms + s.t_ms < STOP_MS);
    const inOpenMinute = truth.filter((s) => t0_ms + s.t_ms >= MINUTE_MS).length;
    expect(inOpenMinute).toBeGreaterThan(20);

    const pod = new VirtualPod({ bundle: readBundle(), flash: loadFlash(state), passkey: VIRTUAL_POD_PASSKEY, mac: simPodMac(state) });
    pod.boot();
    const records = await talkToPod(pod, (client) => readBatch(client, 0));
    const strides = (r: { forward: number; backward: number }) => r.forward + r.backward;
    const kept = records.reduce((n, r) => n + strides(r), 0);
    expect(kept).toBeLessThanOrEqual(truth.length);
    expect(kept).toBeGreaterThanOrEqual(truth.length - STRIDES_SHORT);
    // what close() said it wrote is the last of them (sim's stop line counts it)
    expect(lastMinute.length).toBeGreaterThan(0);
    expect(lastMinute.map((r) => r.seq)).toEqual(records.slice(-lastMinute.length).map((r) => r.seq));
    expect(lastMinute.reduce((n, r) => n + strides(r), 0)).toBeGreaterThanOrEqual(inOpenMinute - STRIDES_SHORT);
  }, 60_000);
});

describe('`retrostep sim --walk` stopped by a signal, through the CLI', () => {
  it("the stop line says how many strides the open minute held, and the state file's last record holds them", async () => {
    const state = path.join(dir, 'cli-walked.flash');
    const sim = await startSim(['--state', state], ['--walk']);
    // (into the demo's forward warm-up, 15 s in: the pod's first minute, on uptime, is open and holds strides)
    await new Promise((resolve) => setTimeout(resolve, CLI_WALK_MS));
    const code = await sim.stop('SIGTERM');
    expect(code).toBe(0);
    const line = /virtual pod stopped; its records are kept in (.+), the minute it was walking in too \((\d+) strides?: it stood to the minute's end and wrote it\)\n/.exec(sim.output());
    expect(line, sim.output()).not.toBeNull();
    expect(line![1]).toBe(state);
    const said = Number(line![2]);
    expect(said).toBeGreaterThan(0);

    const pod = new VirtualPod({ bundle: readBundle(), flash: loadFlash(state), passkey: VIRTUAL_POD_PASSKEY, mac: simPodMac(state) });
    pod.boot();
    const records = await talkToPod(pod, (client) => readBatch(client, 0));
    const last = records.at(-1)!;
    expect(last.forward + last.backward).toBe(said);
  }, 90_000);
});
