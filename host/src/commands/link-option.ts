/** The global link options (--ble, --port, --sim): open a PodClient for a command and always close the link. */
import type { Command } from 'commander';
import { defaultSimState, LINK_EXIT_CODE, type LinkOptions, linkError, openPodLink, type PodLink, refuseUnusedState } from '../link.js';
import type { PayloadOf } from '../../../shared/protocol/messages.js';
import { InputError, PodError, UserError } from '../errors.js';
import { otherProtocol, PodClient, REQUEST_RETRIES, REQUEST_TIMEOUT_MS } from '../pod-client.js';
import { calibrateWith } from '../pod-notices.js';
import { shellWord } from '../shell-word.js';
import { holdersText, portHolders } from '../transports/port-holders.js';

export function linkOptions(cmd: Command): LinkOptions {
  const o = cmd.optsWithGlobals() as { port?: string; ble?: string | boolean; sim?: boolean; state?: string };
  // (--ble with an empty name, as `retrostep --ble sync` reaches commander: the first pod found, as --ble alone)
  return { port: o.port, ble: o.ble === '' ? true : o.ble, sim: o.sim, simState: o.state, command: commandWords(cmd) };
}

/** The command by its words, without the program's name: `buzz`, `config set` (an alias typed, `config show`, by the name it stands for). */
function commandWords(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/**
 * The values the program's option `key` was given, before the command (the root's) and after it (the hidden copy
 * each command takes, cli.ts inheritProgramOptions), outermost first. A command's own option of that name is not
 * the program's (web's --port, the page's) and is left out.
 */
export function programOptionValues(cmd: Command, key: string): unknown[] {
  const given: unknown[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) {
    const own = c.options.find((o) => o.attributeName() === key);
    if (c.parent && !own?.hidden) continue;
    const v = (c.opts() as Record<string, unknown>)[key];
    if (v !== undefined) given.unshift(v);
  }
  return given;
}

/** The pod --sim names, as refuseLinkOptions names it to `does`. */
export const THE_VIRTUAL_POD = 'the virtual pod';

/**
 * A link option given to a command that reaches no pod, or not as it is run (`scan --serial`, `config get --local`):
 * refused, saying what the command does instead, `does(pod)`, the pod named as the option named it ("the virtual
 * pod", "the pod on /dev/ttyACM0", "a pod retrostep finds over Bluetooth"); for one that works on the database (`database`), with the
 * sync over that link that brings the pod's minutes there. Each was passed over without a word: `summary --sim`, and
 * `--port /dev/ttyACM0 summary`, read the database as `summary` does, not the pod they named. `keepState`: the command
 * reads --state itself (`sim`; report and export, where it names a file their --out must not write over). (A --db
 * that is the pod's state needs no --state to be refused: it is no SQLite file.)
 */
export function refuseLinkOptions(cmd: Command, does: (pod: string) => string, o: { database?: boolean; keepState?: boolean } = {}): void {
  const l = linkOptions(cmd);
  // (before the command or after it: `summary --port /dev/ttyACM0` read the database as the root's alone was looked at)
  const port = programOptionValues(cmd, 'port').at(-1) as string | undefined;
  const ble = programOptionValues(cmd, 'ble').at(-1) as string | boolean | undefined;
  const withSync = (text: string, link: string) => (o.database ? `${text} (\`retrostep ${link}sync\` copies its minutes into the database)` : text);
  if (!o.keepState) refuseUnusedState(l, withSync(does(THE_VIRTUAL_POD), `${stateArg(l)}--sim `));
  if (l.sim) throw new InputError(`--sim: ${withSync(does(THE_VIRTUAL_POD), `${stateArg(l)}--sim `)}; leave --sim out`);
  if (port !== undefined) throw new InputError(`--port: ${withSync(does(`the pod on ${port}`), `--port ${shellWord(port)} `)}; leave --port out`);
  if (ble !== undefined) {
    const typed = typeof ble === 'string' && ble !== '' ? `--ble ${shellWord(ble)} ` : '--ble ';
    throw new InputError(`--ble: ${withSync(does('a pod retrostep finds over Bluetooth'), typed)}; leave --ble out`);
  }
}

/** The virtual pod's state file `sim` and --sim use: --state, else the default (RETROSTEP_SIM_STATE, or the data folder's). */
export function simStateFile(cmd: Command): string {
  return linkOptions(cmd).simState ?? defaultSimState();
}

/**
 * What a sync over this command's link tells a wearer whose pod has not learnt how it sits: `retrostep calibrate`
 * with the same link (alone, it looks for a pod over Bluetooth); the --sim pod stands still, so calibrate cannot
 * teach it (commands/calibrate.ts refuses it), and only `sim --walk` walks it.
 */
export function calibrateAdvice(cmd: Command): string {
  const o = linkOptions(cmd);
  if (o.sim) return `the --sim pod stands still, so it learns only by walking: \`retrostep ${stateArg(o)}sim --walk\` walks it`;
  const link = o.port !== undefined ? `--port ${shellWord(o.port)} ` : typeof o.ble === 'string' ? `--ble ${shellWord(o.ble)} ` : '';
  return calibrateWith(`retrostep ${link}calibrate`);
}

/** `--state FILE ` as typed for the virtual pod, for a command to run next; empty for the default state. */
export function stateArg(o: LinkOptions): string {
  return o.simState === undefined ? '' : `--state ${shellWord(o.simState)} `;
}

/**
 * A note for a command that shows what the pod walks (live, record) over --sim: the in-process pod stands still, so
 * `--sim live` waited with nothing to show, and `--sim record` recorded standing, without a word. `sim --walk`
 * serves a pod that walks, reached over its port (as calibrate's refusal of --sim says). Null for another link.
 */
export function standingSimNote(cmd: Command, command: string, what: string): string | null {
  const o = linkOptions(cmd);
  if (!o.sim) return null;
  return `note: the --sim pod stands still, so ${what}: for a pod that walks, run \`retrostep ${stateArg(o)}sim --walk\`, then \`retrostep --port PATH ${command}\` with the path it prints`;
}

/**
 * The first hello. A serial port on which nothing at all came back in all its tries is likelier another device,
 * or a pod that is off, than a pod that refused: said so with where to find the ports (it read "the pod did not
 * answer hello", exit 4, on a wrong --port). One that sent bytes but not one frame is another device too, or a
 * Puck.js whose console answers because our program is not on it: said so, with the flash that puts it on.
 */
async function hello(client: PodClient, link: PodLink, o: LinkOptions) {
  try {
    return await client.request('hello', {}, 'info');
  } catch (e) {
    if (o.port !== undefined && client.messagesIn === 0 && e instanceof PodError && /did not answer/.test(e.message)) {
      const tries = REQUEST_RETRIES + 1;
      const waited_s = (tries * REQUEST_TIMEOUT_MS) / 1000;
      // (a program that took no lock, screen or cat, reads the pod's answers alongside us: said first, as it is
      // what to fix whichever way the rest looked; "is the pod on this port?" sent a user to check the wrong thing)
      const holders = portHolders(o.port);
      if (holders.length) throw new UserError(`${client.bytesIn === 0 ? 'nothing' : 'no retrostep pod'} answered on ${link.description} in ${waited_s} s (${tries} tries), and another program has it open too (${holdersText(holders)}), which may be taking the pod's answers: close it and try again`, LINK_EXIT_CODE);
      if (client.bytesIn === 0) throw new UserError(`nothing answered on ${link.description} in ${waited_s} s (${tries} tries): is the pod on this port, and its cell in? \`retrostep scan --serial\` lists the ports`, LINK_EXIT_CODE);
      throw new UserError(`${link.description} answered (${client.bytesIn} bytes in ${waited_s} s), but never as a retrostep pod: another device, or a Puck.js without the retrostep program (\`retrostep --port ${shellWord(o.port)} flash\` puts it on)?`, LINK_EXIT_CODE);
    }
    throw e;
  }
}

/**
 * A new virtual pod made where --state named no file, said on stderr (null: none made, or by the state retrostep keeps
 * unasked, which no one typed). For sync and config get, whose lines read what the pod holds: `--sim --state
 * typo.flash sync` made one without a word and said "0 new minute records" of it, and `config get` showed its default
 * settings as that pod's. Not refused: syncing a new pod is how tests and a first try make its state; and not said by
 * the commands that set or stream a pod (config set, buzz, live), which make one as asked.
 */
export function noteNewSimPod(cmd: Command, link: PodLink): void {
  const state = linkOptions(cmd).simState;
  if (!link.newPod || state === undefined) return;
  console.error(`note: there was no virtual pod in ${state}, so this is a new one, which has walked nothing (saved there now): check the name, or \`retrostep --state ${shellWord(state)} sim --walk-days 7\` makes one that has walked`);
}

export async function withPod<T>(cmd: Command, fn: (client: PodClient, link: PodLink, info: PayloadOf<'info'>) => Promise<T>): Promise<T> {
  const o = linkOptions(cmd);
  const link = await openPodLink(o);
  try {
    const client = new PodClient(link.transport);
    // hello first: checks the protocol, and starts a session (the pod refuses seqs that are not newer than the last)
    const info = await hello(client, link, o);
    const other = otherProtocol(info.protocol);
    if (other) throw other;
    return await fn(client, link, info);
  } catch (e) {
    throw linkError(e);
  } finally {
    await link.close();
  }
}
