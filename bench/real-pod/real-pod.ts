/**
 * The pod bundle on the REAL Espruino interpreter (a Linux build, see
 * docs/decisions.md "The pod on the real interpreter"), run as a Puck.js
 * runs it: one interpreter run saves the bundle to Storage (.bootcde in
 * espruino.flash), the next evaluates it from there, with prelude.js standing
 * in for Puck, NRF, the pins and the battery, and runner.js feeding the
 * walker's samples (raw LSB at the ranges the firmware sets) to its
 * Puck.on('accel') listener. What this module knows of the pod is what a
 * host knows: the registers it writes, its protocol, its minute records.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ACC_G_PER_LSB,
  CTRL1_XL_IDLE,
  CTRL1_XL_WALK,
  CTRL2_G_WALK,
  GYRO_DPS_PER_LSB,
  IDLE_RATE_HZ,
  WAKE_UP_THS_IDLE,
  WALK_RATE_HZ,
  writeWakeUp,
} from '../../firmware/src/board.js';
import { encodeMessage } from '../../shared/protocol/codec.js';
import { createFrameDecoder, type Frame } from '../../shared/protocol/frame.js';
import { decodeMessage, isMessageError } from '../../shared/protocol/codec.js';
import type { Message } from '../../shared/protocol/messages.js';
import { decodeRecord, type MinuteRecord, RECORD_BYTES } from '../../shared/protocol/records.js';
import { RETROSTEP_RX_UUID, RETROSTEP_SERVICE_UUID } from '../../shared/protocol/uuids.js';
import { Lsm6ds3trc } from '../../host/src/sim/lsm6ds3.js';
import { createWalker, type Segment, truthCounts } from '../../host/src/sim/walker.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** ESPRUINO_BIN is missing or not an executable: one line saying why, no stack. */
export class RealInterpreterUnavailable extends Error {}

/** The interpreter named by ESPRUINO_BIN, or null when the variable is not set; throws when it is set but unusable. */
export function espruinoBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const bin = env.ESPRUINO_BIN;
  if (!bin) return null;
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    throw new RealInterpreterUnavailable(`ESPRUINO_BIN=${bin} is not an executable file (build one as docs/decisions.md says, "The pod on the real interpreter")`);
  }
  if (!fs.statSync(bin).isFile()) throw new RealInterpreterUnavailable(`ESPRUINO_BIN=${bin} is not a file`);
  return bin;
}

/**
 * The pod's share of a Puck.js's 2,630 variables (issue 20): walking, and with flash full (records held in
 * RAM). The rest is the interpreter's own (~450 on a Puck.js) and room for a host's frames in flight.
 * Connected: the pod's peak, walking's state and the link a host loads (~600); 2,630 - 450 - 1,850 leaves
 * ~330 for the frames and fields in flight while it answers (~300 measured: docs/decisions.md, "The pod's
 * peak: a host connected").
 */
export const VARS_BUDGET = { walking: 1250, flash_full: 1400, connected: 1850 } as const;

/** How to enable the real-interpreter runs, for the line that says they were skipped. */
export const HOW_TO_ENABLE = 'set ESPRUINO_BIN to an Espruino Linux build with a Puck.js-sized heap (docs/decisions.md, "The pod on the real interpreter")';

/**
 * Sim seconds per real second while walking. The pod's own timers run on the
 * interpreter's real clock: its motor stays busy 0.27 s after a buzz and it
 * checks for idle every 2 s. At 4x a wrong stride 3 strides after another
 * (3.3 s) comes 0.8 s later in real time, and a 2 s check sees 8 s of
 * samples, well inside the 12 s of quiet before idling; a walk of 2 minutes
 * takes 30 s.
 */
export const PACE = 4;
/** Samples per batch read from a file and fed back to back (an eighth of a second at 52 Hz): small, as the batch buffer is the runner's. */
const BATCH = 6;
/** Reference loop: iterations per trial and trials per checkpoint (5 checkpoints in a run: two before the bundle loads, three after). */
const REF_ITERATIONS = 2000;
const REF_TRIALS = 3;
/**
 * ...and after each batch of walking or standing samples, this many iterations a sample (about what a
 * sample costs): the walking and standing figures are ratios to the reference loop timed between their own
 * batches, so a machine busy with other work in one part of the run weighs on both sides alike (over the
 * whole run's median, five runs spread 20.9-25.4 on this shared machine).
 */
const REF_PER_SAMPLE = 20;
/** Do-nothing listener: batches of the walk fed to an object whose 'accel' listener is empty. */
const NOP_BATCHES = 80;
/** The reference loop of issue 20, in a function evaluated from Storage as the pod's code is. */
const REFERENCE_LOOP = '(function(n){var x=0,y=0;for(var j=0;j<n;j++){x = x*0.5 + y*0.25 + j*0.125 + x*0.1 + y*0.2 + j*0.3; y = Math.sqrt(j + 1);}return x;})';
/**
 * Flash full: Storage left with this many bytes free before the pod boots,
 * less than the record store's reserve (1 KB) plus one record file (~350 B)
 * once the pod has saved its settings: its first record waits in RAM.
 */
export const FULL_FREE_BYTES = 1200;
/**
 * A set_time whose unix time is 1 s before a minute: the pod's minute timer
 * closes the minute 1 s later; the wait also covers the answer it streams
 * (20 bytes every 8 ms). Then a status_get, answered after that stream.
 */
const CLOSE_UNIX_S = 1_795_000_000 - (1_795_000_000 % 60) + 59;
const CLOSE_WAIT_MS = 3000;
export const STATUS_WAIT_MS = 1000;
/** The request the host sends on the last connection of a run: the pod's status (and so its peak memory, the link loaded). */
export const STATUS_FRAME = encodeMessage('status_get', 2, {});
/** Wall-clock limit of one interpreter run (the walk takes about a minute; the runner quits by itself 10 s before). */
const RUN_TIMEOUT_MS = 120_000;

/** The scripted sessions: the walk is forward (the pod learns its mount), backward with heel-first (wrong) strides, forward. */
const WRONG_STRIDES = [3, 9, 15, 21, 27, 33];
/**
 * Standing before each walk (s): long enough for the standing pose (0.8 s still) and the rest level, and, in
 * the samples' own time, shorter than the pod's IDLE_AFTER_MS (12 s, firmware/src/pod.ts), so its idle timer
 * cannot drop the IMU to its idle rate before the walk however the machine delays the paced feed (at 15 s, a
 * busy machine made the flash-full run idle there).
 */
const STAND_BEFORE_S = 10;
function walkSegments(): Segment[] {
  return [
    { kind: 'stand', duration_s: STAND_BEFORE_S },
    { kind: 'walk', direction: 'forward', strides: 40 },
    { kind: 'walk', direction: 'backward', strides: 36, odd: WRONG_STRIDES },
    { kind: 'walk', direction: 'forward', strides: 15 },
  ];
}
/** After the walk: standing, at 52 Hz until the pod idles, then at its idle rate; then the foot starts to walk again. */
export const STAND_AFTER_S = 40;
const IDLE_SAMPLES = 300;
/** The walk that wakes the idle pod, from the pose it idled in: its samples at the idle rate, fed until the pod is back at walking rate. */
const WAKE_STRIDES = 4;
/** The flash-full session: learn the mount, walk a minute. */
function fullSegments(): Segment[] {
  return [
    { kind: 'stand', duration_s: STAND_BEFORE_S },
    { kind: 'walk', direction: 'forward', strides: 50 },
  ];
}
export const SEED = 20;

export interface Scenario {
  /**
   * walk: load, walk, stand until idle, idle, close the minute. full: a nearly full Storage at boot, walk,
   * close the minute (into RAM). steady: load, the walk's samples fed back to back (no idle between batches,
   * which slows this machine's next batch; a Puck.js runs at one clock), only to time them.
   */
  mode: 'walk' | 'full' | 'steady';
  segments: Segment[];
  /** 52 Hz samples [walkFrom, walkTo) are walking (timed as such) */
  walkFrom: number;
  walkTo: number;
  /** samples in the walking file (walkTo plus a few standing) */
  walkSamples: number;
}

export function scenario(mode: 'walk' | 'full' | 'steady'): Scenario {
  const segments = mode === 'full' ? fullSegments() : walkSegments();
  const standMs = (segments[0] as { duration_s: number }).duration_s * 1000;
  const walkMs = createWalker(segments, { seed: SEED }).duration_ms;
  const walkFrom = Math.ceil((standMs * WALK_RATE_HZ) / 1000);
  const walkTo = Math.floor((walkMs * WALK_RATE_HZ) / 1000);
  return { mode, segments, walkFrom, walkTo, walkSamples: walkTo };
}

/** Physical samples (g, dps; sensor frame) as the LSM6DS3TR-C outputs them with the registers the firmware writes (firmware/src/board.ts). */
function imuAt(rate_hz: number, ctrl1: number, ctrl2: number): Lsm6ds3trc {
  const imu = new Lsm6ds3trc();
  imu.configure(rate_hz);
  imu.write(0x10, ctrl1);
  if (ctrl2 >= 0) imu.write(0x11, ctrl2);
  return imu;
}

/** The firmware's LSB -> g and dps (board file) must be what its registers select: else the samples would be in the wrong unit. */
function checkSensitivity(imu: Lsm6ds3trc): void {
  const phys = new Float64Array([1, 0, 0, 100, 0, 0]);
  const raw = new Int32Array(6);
  imu.toRaw(phys, raw);
  if (Math.abs(raw[0] * ACC_G_PER_LSB - 1) > ACC_G_PER_LSB || Math.abs(raw[3] * GYRO_DPS_PER_LSB - 100) > GYRO_DPS_PER_LSB) {
    throw new Error('firmware/src/board.ts LSB factors do not match the ranges its registers select');
  }
}

/**
 * Samples of source as imu outputs them, into file (int16 x 6 each). With int1, also file.int1: one byte a
 * sample, 1 where the IMU raises INT1 for it (Lsm6ds3trc.int1, with the registers imu holds then).
 */
function samplesFile(file: string, source: (t_ms: number, rate: number, out: Float64Array) => void, imu: Lsm6ds3trc, rate_hz: number, from: number, count: number, int1 = false): void {
  const out = Buffer.alloc(count * 12);
  const flags = Buffer.alloc(count);
  const phys = new Float64Array(6);
  const raw = new Int32Array(6);
  for (let i = 0; i < count; i++) {
    source(((from + i + 1) * 1000) / rate_hz, rate_hz, phys);
    imu.toRaw(phys, raw);
    for (let k = 0; k < 6; k++) out.writeInt16LE(raw[k], i * 12 + k * 2);
    flags[i] = imu.int1(raw) ? 1 : 0;
  }
  fs.writeFileSync(file, out);
  if (int1) fs.writeFileSync(file + '.int1', flags);
}

/** The IMU as the idle pod leaves it: 1.6 Hz accelerometer only, INT1 carrying the wake-up event alone (firmware/src/hal/imu.ts). */
function idleImu(): Lsm6ds3trc {
  const imu = imuAt(IDLE_RATE_HZ, CTRL1_XL_IDLE, -1);
  writeWakeUp((register, value) => imu.write(register, value));
  return imu;
}

/**
 * script written as run.js in dir, then `command ...args` run there (the interpreter, or valgrind running it):
 * its output, carriage returns dropped; rejects only when it printed nothing (the caller reads what is missing),
 * saying what it wrote last on stderr.
 */
export function runInDir(command: string, args: string[], dir: string, script: string, timeout_ms: number): Promise<{ stdout: string; stderr: string }> {
  fs.writeFileSync(path.join(dir, 'run.js'), script);
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: dir, timeout: timeout_ms, maxBuffer: 64 << 20, encoding: 'latin1' }, (err, stdout, stderr) => {
      const said = stderr.trim().split('\n').pop();
      if (err && !stdout) reject(new Error(`${command} failed: ${err.message.split('\n')[0]}${said ? ` (${said.trim()})` : ''}`));
      else resolve({ stdout: stdout.replace(/\r/g, ''), stderr });
    });
  });
}

async function runInterpreter(bin: string, dir: string, script: string): Promise<string> {
  return (await runInDir(bin, ['run.js'], dir, script, RUN_TIMEOUT_MS)).stdout;
}

/** Write a file of the project into Storage in 1 KB pieces (a 25 KB string read whole would not fit in 2,630 variables). */
function installLines(storageName: string, dir: string, file: string): string {
  const size = fs.statSync(path.join(dir, file)).size;
  return `(function(){var f=E.openFile(${JSON.stringify(file)},"r"),o=0,s;while((s=f.read(1024))!==undefined&&s.length){require("Storage").write(${JSON.stringify(storageName)},s,o,${size});o+=s.length;}f.close();})();\n`;
}

export interface RealPodRun {
  mode: 'walk' | 'full' | 'steady';
  /** process.memory().total and the usage before the bundle was loaded (the interpreter, the prelude, the runner) */
  total_vars: number;
  base_vars: number;
  /** variables the pod holds: usage minus base */
  vars: { [phase: string]: number };
  /** reference loop, us per iteration on this machine: median of the run's trials with the bundle loaded, and of those before it loaded */
  ref_us: number;
  ref_before_load_us: number;
  /** cost per sample as reference-loop iterations: walking and standing against the reference loop run between their own batches */
  walk_refloops: number;
  stand_refloops: number;
  /** ...and against the run's checkpoint trials with the bundle loaded (ref_us: after it loads, after the walk, at the end) */
  walk_refloops_checkpoints: number;
  /** the reference loop run between the walking batches, us per iteration */
  ref_beside_walk_us: number;
  /** per idle sample the IMU took (1.6 Hz), whether or not it reached the pod */
  idle_refloops: number;
  nop_refloops: number;
  /** samples timed; idle_int1: idle samples that reached the pod's listener (INT1 rose) */
  samples: { walk: number; stand: number; idle: number; idle_int1: number; nop: number };
  /** idle-rate samples of a walk starting before the pod was back at walking rate (undefined: it did not wake, or no idle phase) */
  wake_samples?: number;
  records: MinuteRecord[];
  fetPulses: number;
  /** status the pod answered (flash-full run) */
  status?: { [k: string]: number };
  truth: { forward: number; backward: number; wrong: number };
  /** Uncaught exceptions, interpreter error flags, register mismatches: empty when all went well */
  errors: string[];
  wall_s: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Frames the pod notified (20-byte pieces) back to messages. */
function decodeNotifications(lines: string[]): Message[] {
  const msgs: Message[] = [];
  const dec = createFrameDecoder(
    (f: Frame) => {
      const m = decodeMessage(f);
      if (!isMessageError(m)) msgs.push(m);
    },
    () => {},
  );
  for (const l of lines) dec.push(Uint8Array.from(l.split(',').map(Number)));
  return msgs;
}

/** Storage prepared once per bundle: the bundle, the prelude, the runner and the reference loop, saved by an interpreter run. */
export async function install(bin: string, dir: string, bundleFile: string): Promise<void> {
  fs.copyFileSync(bundleFile, path.join(dir, 'bundle.js'));
  fs.copyFileSync(path.join(HERE, 'prelude.js'), path.join(dir, 'prelude.js'));
  fs.copyFileSync(path.join(HERE, 'runner.js'), path.join(dir, 'runner.js'));
  fs.writeFileSync(path.join(dir, 'refloop.js'), REFERENCE_LOOP);
  const script =
    'echo(0);\n' +
    installLines('.bootcde', dir, 'bundle.js') +
    installLines('prelude.js', dir, 'prelude.js') +
    installLines('runner.js', dir, 'runner.js') +
    installLines('refloop.js', dir, 'refloop.js') +
    'print("@installed "+JSON.stringify({bytes:require("Storage").read(".bootcde").length}));\nsetTimeout(quit,0);\n';
  const out = await runInterpreter(bin, dir, script);
  const m = /@installed (.*)/.exec(out);
  const size = fs.statSync(bundleFile).size;
  if (!m || JSON.parse(m[1]).bytes !== size) throw new Error(`installing the bundle in the interpreter's Storage failed:\n${out.slice(-500)}`);
}

/** What a run's CFG may hold beyond its scenario's (a count run's: bench/real-pod/count.ts). */
export type CfgOverrides = { [key: string]: unknown };

/**
 * A run in dir: a copy of the installed Storage and the samples files sc needs. Returns the script that starts
 * the runner with its CFG (the scenario's, overrides on top) and the walker whose samples were written.
 */
export function prepareRun(installed: string, dir: string, sc: Scenario, overrides: CfgOverrides = {}): { script: string; walker: ReturnType<typeof createWalker> } {
  fs.copyFileSync(path.join(installed, 'espruino.flash'), path.join(dir, 'espruino.flash'));
  const walker = createWalker(sc.segments, { seed: SEED });
  const walk = imuAt(WALK_RATE_HZ, CTRL1_XL_WALK, CTRL2_G_WALK);
  checkSensitivity(walk);
  samplesFile(path.join(dir, 'walk.bin'), walker.source, walk, WALK_RATE_HZ, 0, sc.walkSamples);
  if (sc.mode === 'walk') {
    // standing after the walk: the walker's last pose held (its source keeps the last stance beyond the end)
    // (then, from the same pose, a walk starting: what wakes the idle pod)
    const still = createWalker([...sc.segments, { kind: 'stand', duration_s: STAND_AFTER_S + IDLE_SAMPLES / IDLE_RATE_HZ }, { kind: 'walk', direction: 'forward', strides: WAKE_STRIDES }], { seed: SEED });
    samplesFile(path.join(dir, 'stand.bin'), still.source, walk, WALK_RATE_HZ, sc.walkSamples, STAND_AFTER_S * WALK_RATE_HZ);
    // idle, then a walk starting: one IMU for both, as its slope filter runs on
    const idle = idleImu();
    const idleFrom_ms = walker.duration_ms + STAND_AFTER_S * 1000;
    samplesFile(path.join(dir, 'idle.bin'), (t, r, o) => still.source(t + idleFrom_ms, r, o), idle, IDLE_RATE_HZ, 0, IDLE_SAMPLES, true);
    const wakeSamples = Math.floor(((still.duration_ms - idleFrom_ms) * IDLE_RATE_HZ) / 1000) - IDLE_SAMPLES;
    samplesFile(path.join(dir, 'wake.bin'), (t, r, o) => still.source(t + idleFrom_ms, r, o), idle, IDLE_RATE_HZ, IDLE_SAMPLES, wakeSamples, true);
  }
  // frames as hex strings: a string costs the runner a few variables, an array one per byte
  const frame = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const cfg = {
    mode: sc.mode,
    pace: sc.mode === 'steady' ? 0 : PACE,
    batch: BATCH,
    refIterations: REF_ITERATIONS,
    refTrials: REF_TRIALS,
    refPerSample: REF_PER_SAMPLE,
    nopBatches: NOP_BATCHES,
    walkFile: 'walk.bin',
    standFile: 'stand.bin',
    idleFile: 'idle.bin',
    wakeFile: 'wake.bin',
    wakeThs: WAKE_UP_THS_IDLE,
    walkFrom: sc.walkFrom,
    walkTo: sc.walkTo,
    fillerBytes: sc.mode === 'full' ? FULL_FREE_BYTES : 0,
    walkCtrl1: CTRL1_XL_WALK,
    walkCtrl2: CTRL2_G_WALK,
    idleCtrl1: CTRL1_XL_IDLE,
    idleCtrl2: 0,
    rxService: RETROSTEP_SERVICE_UUID,
    rxChar: RETROSTEP_RX_UUID,
    closeFrames: [frame(encodeMessage('set_time', 1, { unix_s: CLOSE_UNIX_S, tz_min: 0 }))],
    closeWait_ms: CLOSE_WAIT_MS,
    statusWait_ms: STATUS_WAIT_MS,
    statusFrames: [frame(STATUS_FRAME)],
    deadline_ms: RUN_TIMEOUT_MS - 10_000,
    ...overrides,
  };
  // ASCII only: the file is read as bytes, so a raw 0xFF written as UTF-8 would arrive as two characters
  const cfgText = JSON.stringify(cfg).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return { script: `echo(0);\nvar CFG = ${cfgText};\neval(require("Storage").read("prelude.js"));\neval(require("Storage").read("runner.js"));\n`, walker };
}

/** One measuring run of a scenario in its own copy of the installed Storage. */
export async function measure(bin: string, installed: string, sc: Scenario): Promise<RealPodRun> {
  const t0 = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `retrostep-real-${sc.mode}-`));
  try {
    const { script, walker } = prepareRun(installed, dir, sc);
    const out = await runInterpreter(bin, dir, script);
    return parseRun(out, sc, truthCounts(walker.truth), (performance.now() - t0) / 1000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A line of the interpreter's output that says something went wrong in it. */
export const INTERPRETER_ERROR = /Uncaught|New interpreter error|OUT OF MEMORY/;

function parseRun(out: string, sc: Scenario, truth: { forward: number; backward: number; wrong: number }, wall_s: number): RealPodRun {
  const errors: string[] = [];
  const vars: { [phase: string]: number } = {};
  const notes: string[] = [];
  const records: MinuteRecord[] = [];
  let base: { vars: number; total: number } | null = null;
  let result: { [k: string]: number | number[] | string[] } | null = null;
  let wake: number | undefined;
  for (const line of out.split('\n')) {
    if (INTERPRETER_ERROR.test(line)) errors.push(line.trim());
    const m = /^@(\w+) (.*)$/.exec(line);
    if (!m) continue;
    const [kind, text] = [m[1], m[2]];
    const words = text.split(' ');
    if (kind === 'notify') notes.push(words[1]);
    else if (kind === 'base') base = { vars: Number(words[0]), total: Number(words[1]) };
    else if (kind === 'mem') vars[words[0]] = Number(words[1]);
    else if (kind === 'wake') wake = Number(words[0]);
    else if (kind === 'mismatch') errors.push(words[0] === 'wake-up' ? `the pod set a ${text}` : `the pod set the IMU to ${words[1]} Hz, CTRL1_XL ${words[2]}, CTRL2_G ${words[3]} where the ${words[0]} samples expect others`);
    else if (kind === 'error') errors.push(text);
    else if (kind === 'file') {
      const b = Uint8Array.from(words[1].split(',').map(Number));
      for (let at = 0; at + RECORD_BYTES <= b.length; at += RECORD_BYTES) {
        const r = decodeRecord(b, at);
        if (r) records.push(r);
      }
    } else if (kind === 'result') result = JSON.parse(text);
  }
  if (!base || !result) {
    const marks = out.split('\n').filter((l) => /^@(base|mem|error|mismatch)/.test(l)).join('\n');
    throw new Error(`the interpreter run (${sc.mode}) ended early:\n${marks}\n...\n${out.slice(-1500)}`);
  }
  if ((result.errors as unknown as string[]).length) errors.push(`E.getErrorFlags(): ${String(result.errors)}`);
  const trials = result.ref_s as number[], loaded = result.ref_loaded_from as number;
  const ref = median(trials.slice(loaded)), refBeforeLoad = median(trials.slice(0, loaded));
  const per = (s: string, n: string, refOf = ref) => ((result![n] as number) > 0 ? (result![s] as number) / (result![n] as number) / refOf : NaN);
  // (walking and standing against the reference loop run between their own batches)
  const refBeside = (s: string, n: string) => ((result![n] as number) > 0 ? (result![s] as number) / (result![n] as number) : ref);
  const status = decodeNotifications(notes).find((msg) => msg.name === 'status');
  return {
    mode: sc.mode,
    total_vars: base.total,
    base_vars: base.vars,
    vars,
    ref_us: ref * 1e6,
    ref_before_load_us: refBeforeLoad * 1e6,
    walk_refloops: per('walk_s', 'walk_n', refBeside('walk_ref_s', 'walk_ref_n')),
    walk_refloops_checkpoints: per('walk_s', 'walk_n'),
    ref_beside_walk_us: refBeside('walk_ref_s', 'walk_ref_n') * 1e6,
    stand_refloops: per('stand_s', 'stand_n', refBeside('stand_ref_s', 'stand_ref_n')),
    idle_refloops: per('idle_s', 'idle_n'),
    // (the do-nothing listener runs before the bundle loads)
    nop_refloops: per('nop_s', 'nop_n', refBeforeLoad),
    samples: { walk: result.walk_n as number, stand: result.stand_n as number, idle: result.idle_n as number, idle_int1: result.idle_int1 as number, nop: result.nop_n as number },
    wake_samples: wake,
    records: records.sort((a, b) => a.seq - b.seq),
    fetPulses: result.fet_pulses as number,
    status: status ? (status.payload as unknown as { [k: string]: number }) : undefined,
    truth: { forward: truth.forward, backward: truth.backward, wrong: truth.wrong },
    errors,
    wall_s,
  };
}

/** What a run's minute records add up to: strides each way, wrong strides, buzzes. */
export function recordCounts(run: RealPodRun): { forward: number; backward: number; wrong: number; buzzes: number } {
  const c = { forward: 0, backward: 0, wrong: 0, buzzes: 0 };
  for (const r of run.records) {
    c.forward += r.forward;
    c.backward += r.backward;
    c.wrong += r.wrong;
    c.buzzes += r.buzzes;
  }
  return c;
}

/**
 * Steady runs a bench makes: the walk's cost is their median (one run moves by up to ~10% when other work on
 * this shared machine lands in it; three agreed within 1-2% of each other in most trials).
 */
const STEADY_RUNS = 3;

/** The sessions on the real interpreter: install the bundle once, then the walk, the flash-full and steadyRuns steady runs. */
export async function runRealPod(bin: string, bundleFile: string, steadyRuns = STEADY_RUNS): Promise<{ walk: RealPodRun; full: RealPodRun; steady: RealPodRun[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-real-install-'));
  try {
    await install(bin, dir, bundleFile);
    // one after the other: two runs at once on a 2-core machine would time each other
    const walk = await measure(bin, dir, scenario('walk'));
    const full = await measure(bin, dir, scenario('full'));
    const steady: RealPodRun[] = [];
    for (let k = 0; k < steadyRuns; k++) steady.push(await measure(bin, dir, scenario('steady')));
    return { walk, full, steady };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
