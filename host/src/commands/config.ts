/**
 * `retrostep config`: the pod's settings (on the pod, over the link) and the
 * user's (in the database: weight_kg). Values are checked against the same
 * ranges the pod checks before anything is sent.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { coachStrides, configKeys, configRange, type PodConfig } from '../../../shared/protocol/config.js';
import { WRONG_BACKWARD_FLAT, WRONG_BACKWARD_HEEL, WRONG_FORWARD_FLAT, WRONG_FORWARD_TOE } from '../../../shared/gait/contact.js';
import { DatabaseError, InputError } from '../errors.js';
import { refuseBeforeRead, statIfThere } from '../file-stat.js';
import { type Db, getSetting, savePodConfig, setSetting, translateDbError } from '../store/db.js';
import { DEFAULT_WEIGHT_KG } from '../report/energy.js';
import { withDb } from './db-option.js';
import { noteNewSimPod, refuseLinkOptions, withPod } from './link-option.js';

/** User settings kept in the database, with their ranges. */
const USER_SETTINGS: { [k: string]: { range: [number, number]; default: number; what: string } } = {
  weight_kg: { range: [20, 300], default: DEFAULT_WEIGHT_KG, what: 'body weight for energy (kcal)' },
};

/**
 * What each pod setting does, as `config get` and `config set` show it beside its value: it showed "wrong_rule 1
 * (pod)" and nothing said what 1 was. Here, not in shared/protocol/config.ts: text there would sit in the pod's
 * bundle. The stride lengths were meant for the Running Speed and Cadence service, but the pod sends each stride's
 * measured length there (firmware/src/pod.ts) and nothing reads them: said, so nobody sets them to no effect.
 */
const POD_SETTINGS_WHAT: { [k in keyof PodConfig]: string } = {
  buzz_on: '1 buzzes (wrong gait, coach, goal), 0 silent',
  // (the bits from the engine's own constants, shared/gait/contact.ts)
  wrong_rule: `which strides are wrong gait, bits added: ${WRONG_BACKWARD_HEEL} backward heel first, ${WRONG_BACKWARD_FLAT} backward flat, ${WRONG_FORWARD_TOE} forward toe first, ${WRONG_FORWARD_FLAT} forward flat`,
  coach_steps: 'backward steps to ask for at each minute of a walk, 0 coach off',
  daily_goal_min: 'backward minutes a day that earn the goal buzz',
  fwd_stride_cm: 'not used: the pod measures each stride',
  bwd_stride_cm: 'not used: the pod measures each stride',
};

export interface ParsedSettings {
  pod: Partial<PodConfig>;
  user: { [k: string]: number };
}

/** "key=value" pairs to checked numbers; throws InputError naming the first bad one. */
export function parseSettings(pairs: string[]): ParsedSettings {
  const out: ParsedSettings = { pod: {}, user: {} };
  if (pairs.length === 0) throw new InputError('nothing to set: give key=value, e.g. `retrostep config set buzz_on=0`');
  const given = new Map<string, string>();
  for (const pair of pairs) {
    // (any name before "=" is read as a key: "COACH_STEPS=20" and "coach-steps=20" were refused as "not key=value")
    const m = /^([^=\s]+)=(.*)$/.exec(pair);
    if (!m) throw new InputError(`"${pair}" is not key=value`);
    const [, key, raw] = m;
    // (the same key twice with two values: the last one was set, the first dropped without a word)
    const before = given.get(key);
    if (before !== undefined && before !== raw) throw new InputError(`${key} is given twice, as "${before}" and as "${raw}": give it once`);
    given.set(key, raw);
    const num = /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
    const podRange = configRange(key);
    const range = podRange ?? (Object.hasOwn(USER_SETTINGS, key) ? USER_SETTINGS[key].range : undefined);
    const meant = key.toLowerCase().replace(/-/g, '_');
    if (!range && (configRange(meant) !== null || Object.hasOwn(USER_SETTINGS, meant))) throw new InputError(`unknown setting "${key}": did you mean ${meant}?`);
    if (!range) throw new InputError(`unknown setting "${key}": pod settings are ${configKeys().join(', ')}; yours: ${Object.keys(USER_SETTINGS).join(', ')}`);
    const whole = podRange !== null;
    if (!Number.isFinite(num) || (whole && !Number.isInteger(num)) || num < range[0] || num > range[1]) {
      throw new InputError(`${key} must be ${whole ? 'a whole number' : 'a number'} from ${range[0]} to ${range[1]}, not "${raw}"`);
    }
    if (podRange !== null) (out.pod as { [k: string]: number })[key] = num;
    else out.user[key] = num;
  }
  return out;
}

/**
 * The largest settings file `config set --file` reads (bytes), checked before it reads any. Every setting there is
 * (the pod's six and weight_kg), pretty-printed, is under 200 bytes; this is some 300 times that, room for any
 * spacing an editor adds, and still read in an instant. A bigger file is something else named by mistake (an export,
 * a recording), read whole to be refused after.
 */
export const MAX_SETTINGS_FILE_BYTES = 64 * 1024;

/** A settings JSON file as key=value pairs (then checked like typed ones); one line naming the problem otherwise. */
function settingsFile(file: string): string[] {
  let text: string;
  const st = statIfThere(file);
  if (!st) throw new InputError(`cannot read ${file}: no such file`);
  // (read, a folder was "cannot read F: EISDIR: illegal operation on a directory, read")
  if (st.isDirectory()) throw new InputError(`${file} is a folder, not a settings file: give the file of settings, one JSON object like {"coach_steps": 20}`);
  refuseBeforeRead(file, st, {
    reads: 'config set reads settings saved in a file (or give them as key=value)',
    maxBytes: MAX_SETTINGS_FILE_BYTES,
    tooBig: (max) => `more than any settings file holds (${max}; every setting there is takes under 200 bytes): give the file of settings, one JSON object like {"coach_steps": 20}`,
  });
  try {
    // (a byte-order mark, as some Windows editors save, is not JSON's: dropped, not reported as an invisible token)
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not valid JSON: ${jsonSyntaxError(e as Error)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new InputError(`${file} must hold one JSON object of settings, like {"coach_steps": 20}`);
  const pairs = Object.entries(data as Record<string, unknown>).map(([k, v]) => {
    if (typeof v !== 'number') throw new InputError(`${file}: ${k} must be a number, not ${JSON.stringify(v)}`);
    return `${k}=${v}`;
  });
  // (a key twice: JSON.parse keeps the last value and drops the first without a word, where the same key typed
  // twice is refused. Every value is a number now, so each string in the text is a key)
  const keys = (text.match(/"(?:[^"\\]|\\.)*"/g) ?? []).map((q) => JSON.parse(q) as string);
  const twice = keys.find((k, n) => keys.indexOf(k) !== n);
  if (twice !== undefined) throw new InputError(`${file} gives ${twice} twice (JSON would keep the last): give it once`);
  return pairs;
}

/**
 * JSON.parse's complaint on one line for a person: without the copy of the file it quotes ("Unexpected token 'x',
 * "..." is not valid JSON"), which for a binary file put its bytes on the terminal, line breaks and escape
 * sequences too; a control character it names is written as \u001b.
 */
function jsonSyntaxError(e: Error): string {
  return e.message.replace(/, ".*" is not valid JSON$/s, '').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The coach on with the buzzes off, when this change made it so: the pod's prompt is a buzz (firmware/src/pod.ts),
 * so it asks nothing, yet marks each minute of a walk as asked, and `summary` read "coach intervals 0 of 9
 * completed" of prompts the wearer never felt. Null when the two agree, or this change touched neither.
 */
function silentCoachNote(next: PodConfig, changed: Partial<PodConfig>): string | null {
  if (!('coach_steps' in changed) && !('buzz_on' in changed)) return null;
  if (next.buzz_on === 1 || next.coach_steps === 0) return null;
  return "note: buzz_on is 0, so the pod cannot ask for the coach's steps (the prompt is a buzz), though each minute of a walk still counts as asked: `retrostep config set buzz_on=1` turns the buzzes on, coach_steps=0 the coach off";
}

/**
 * An odd coach_steps: the pod sees one foot and counts its strides, two steps each (firmware/src/coach.ts asks for
 * ceil(N / 2)), so coach_steps=21 has it wait for 22 steps. Said, not refused: the nearest it can count. Null when
 * even, or this change did not set it.
 */
function oddCoachNote(next: PodConfig, changed: Partial<PodConfig>): string | null {
  if (!('coach_steps' in changed) || next.coach_steps % 2 === 0) return null;
  const strides = coachStrides(next.coach_steps);
  return `note: the pod sees one foot and counts its strides, two steps each, so coach_steps=${next.coach_steps} asks for ${strides} stride${strides === 1 ? '' : 's'}: ${strides * 2} steps`;
}

/**
 * Keep the settings the pod answered, for the plan (a pod already at the plan's step is not offered it again). The pod
 * is set whatever happens here: a database another program held said "locked", exit 3, and nothing of the change the
 * pod had made; a note now, exit 0, and the next sync keeps them.
 */
function keepPodConfig(db: Db, file: string, podId: string, config: PodConfig): void {
  try {
    savePodConfig(db, podId, config, Math.floor(Date.now() / 1000));
  } catch (e) {
    const err = translateDbError(e, file);
    if (!(err instanceof DatabaseError)) throw e;
    console.error(`note: the pod is set, but ${file} did not keep its settings for \`retrostep plan\` (${err.message}); the next sync keeps them`);
  }
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description("show or change the pod's settings and yours");
  config
    .command('get')
    // (the command's own description says "show": a person types `config show`)
    .alias('show')
    .description('show every setting (reads the pod over the link; --local for your settings only)')
    .option('--local', 'do not contact the pod')
    .option('--json', 'machine-readable output')
    .action(async (o: { local?: boolean; json?: boolean }, cmd: Command) => {
      if (o.local) refuseLinkOptions(cmd, (pod) => `\`config get --local\` shows your settings, from the database, not those on ${pod}`);
      await withDb(cmd, async (db) => {
        const user = Object.fromEntries(Object.keys(USER_SETTINGS).map((k) => [k, Number(getSetting(db, k) ?? USER_SETTINGS[k].default)]));
        const pod = o.local ? null : await withPod(cmd, (client, link) => {
          // (a mistyped --state: the new pod's default settings are not the pod the user meant)
          noteNewSimPod(cmd, link);
          return client.request('config_get', {}, 'config');
        });
        if (o.json) return console.log(JSON.stringify({ schema_version: 1, pod, user }));
        const rows: [string, number, string][] = [
          ...(pod ? configKeys().map((k): [string, number, string] => [k, pod[k], `pod: ${POD_SETTINGS_WHAT[k]}`]) : []),
          ...Object.entries(user).map(([k, v]): [string, number, string] => [k, v, `you: ${USER_SETTINGS[k].what}`]),
        ];
        // (values padded to the widest: "1   (", "130   (" left what each does in a ragged column)
        const width = Math.max(...rows.map(([, v]) => String(v).length));
        for (const [k, v, what] of rows) console.log(`${k.padEnd(16)} ${String(v).padEnd(width)}   (${what})`);
      }, { reads: true });
    });
  config
    .command('set')
    .description('change settings: retrostep config set buzz_on=0 coach_steps=20 weight_kg=72 (or --file settings.json)')
    .argument('[key=value...]')
    .option('--file <json>', 'settings from a JSON object, e.g. {"coach_steps": 20, "weight_kg": 72}')
    .action(async (args: string[], o: { file?: string }, cmd: Command) => {
      const pairs = [...(o.file ? settingsFile(o.file) : []), ...args];
      const s = parseSettings(pairs); // all checked before anything changes
      if (Object.keys(s.pod).length === 0) refuseLinkOptions(cmd, (pod) => `${Object.keys(s.user).join(', ')} ${Object.keys(s.user).length === 1 ? 'is' : 'are'} yours, kept in the database, not on ${pod}`);
      await withDb(cmd, async (db, file) => {
        if (Object.keys(s.pod).length > 0) {
          await withPod(cmd, async (client, _link, info) => {
            const current = await client.request('config_get', {}, 'config');
            const next = await client.request('config_set', { ...current, ...s.pod }, 'config');
            for (const k of Object.keys(s.pod) as (keyof PodConfig)[]) console.log(`${k} = ${next[k]} (pod: ${POD_SETTINGS_WHAT[k]})`);
            for (const note of [oddCoachNote(next, s.pod), silentCoachNote(next, s.pod)]) if (note) console.log(note);
            keepPodConfig(db, file, info.pod_id, next);
          });
        }
        for (const [k, v] of Object.entries(s.user)) {
          setSetting(db, k, String(v));
          console.log(`${k} = ${v} (you)`);
        }
        // (your settings, the database is to keep: one that cannot is refused before the pod is set, not after. The pod's
        // alone: the pod is set, and keepPodConfig notes a database that did not keep them)
      }, Object.keys(s.user).length > 0 ? { writes: true } : { notes: true });
    });
}
