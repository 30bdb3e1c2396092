/**
 * `retrostep sim --speed N` (N > 1) keeps nothing it walks: its minutes are stamped on a clock running N times
 * this computer's, and kept in the state file they were synced later, by a real-time sim, dated ahead of this
 * computer's clock (in the user's week and plan). The state file stays as it was when the pod began serving.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { openPodLink } from '../host/src/link.js';
import { PodClient } from '../host/src/pod-client.js';
import { runCli } from './helpers/cli.js';
import { startSim } from './helpers/sim-process.js';
import { waitFor } from './helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-sped-up-state-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The minutes the pod behind `port` has numbered so far (status_get's next_seq). */
async function minutesNumbered(port: string): Promise<number> {
  const link = await openPodLink({ port });
  try {
    const client = new PodClient(link.transport);
    // (hello first, as every command begins: the pod then takes this link's numbering of requests afresh)
    await client.request('hello', {}, 'info');
    return (await client.request('status_get', {}, 'status')).next_seq;
  } finally {
    await link.close();
  }
}

describe('a virtual pod run faster than real time', () => {
  it('says it keeps nothing, walks minutes while serving, and leaves its state file as it was when it began serving; a second sim or --sim on it is offered live, not the sync it refuses', async () => {
    const state = path.join(dir, 'pod.flash');
    // (50x: a pod minute closes every 1.2 s of real time)
    const sim = await startSim(['--state', state], ['--walk', '--speed', '50']);
    // (stopped however the test ends: a failed expectation left the sim serving, and walking, after the run)
    onTestFinished(async () => {
      if (sim.child.exitCode === null) await sim.stop('SIGKILL');
    });
    const atStart = fs.readFileSync(state);
    await waitFor(() => /try: retrostep --port/.test(sim.output()), 'sim to say how to reach it');
    expect(sim.output()).toContain(`nothing it walks or is told from now on is kept: ${state} stays as it is now`);
    const before = await minutesNumbered(sim.path);
    // (walked on: minutes numbered while serving, which a real-time sim would save)
    let now = before;
    const t0 = Date.now();
    while (now < before + 2) {
      if (Date.now() - t0 > 60_000) throw new Error(`the sped-up pod numbered no minutes in 60 s (${before} -> ${now})`);
      await new Promise((r) => setTimeout(r, 500));
      now = await minutesNumbered(sim.path);
    }
    // a second sim, or --sim, on the same state is offered what the sped-up pod takes: live, not sync
    const second = runCli(['--state', state, 'sim']);
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`reach it with --port ${sim.path} (retrostep --port ${sim.path} live), or stop that sim first`);
    const inProcess = runCli(['--db', path.join(dir, 'x.db'), '--state', state, '--sim', 'sync']);
    expect(inProcess.code).toBe(5);
    expect(inProcess.stderr).toContain(`reach it with --port ${sim.path} instead of --sim (it runs faster than real time: \`live\` and \`record\` reach it, sync does not)`);
    expect(await sim.stop()).toBe(0);
    expect(fs.readFileSync(state).equals(atStart)).toBe(true);
    expect(sim.output()).toContain(`virtual pod stopped; ${state} is as it was when it began serving (a pod run faster than real time keeps nothing)`);
  }, 120_000);
});
