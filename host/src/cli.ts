/**
 * The `retrostep` command line. Commands are thin: parse options, call the
 * function that does the work, print. Expected failures (UserError) print one
 * line and exit non-zero; --debug shows the stack.
 */
import { Command, CommanderError, Option } from 'commander';
import { BAD_INPUT_EXIT_CODE, givenTwice, InputError, UserError } from './errors.js';
import { VERSION } from './version.js';
import { FIRMWARE_VERSION } from '../../shared/protocol/firmware-version.js';
import { registerDemo } from './commands/demo.js';
import { registerPlan } from './commands/plan.js';
import { registerSim } from './commands/sim.js';
import { registerSync } from './commands/sync.js';
import { registerExport } from './commands/export.js';
import { registerReplay } from './commands/replay.js';
import { registerRecord } from './commands/record.js';
import { registerFlash } from './commands/flash.js';
import { registerScan } from './commands/scan.js';
import { registerBuzz } from './commands/buzz.js';
import { registerConfig } from './commands/config.js';
import { registerLive } from './commands/live.js';
import { registerCalibrate } from './commands/calibrate.js';
import { registerSummary } from './commands/summary.js';
import { registerReport } from './commands/report.js';
import { registerWeb } from './commands/web.js';
import { programOptionValues } from './commands/link-option.js';

export interface GlobalOptions {
  db?: string;
  debug?: boolean;
  json?: boolean;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('retrostep')
    // (with the pod firmware it carries: the version a sync's note compares a pod's with, and `flash` puts on it)
    .version(`${VERSION} (pod firmware ${FIRMWARE_VERSION})`)
    .description('retrostep: a footpod for backward walking. Sync, summarise and try it with no hardware (`retrostep demo`).')
    // (--db, --port and --state given twice, an alias's and a typed one: commander kept the last without a word, and
    // a sync went into another database, or to another port, than the one the user read first; refused, as a
    // period flag given twice is)
    .option('--db <file>', 'SQLite database file (default: your data folder, or $RETROSTEP_DB)', givenOnce('db'))
    .option('--debug', 'show stack traces for errors')
    .option('--ble [name]', 'reach the pod over Bluetooth LE (the first retrostep pod, or this name or address); the default')
    .option('--port <path>', 'reach the pod over a serial port (or the pseudo-terminal `retrostep sim` prints)', givenOnce('port'))
    .option('--sim', 'reach an in-process virtual pod (no hardware; its records persist in --state)')
    .option('--state <file>', 'virtual pod state file for `sim` and --sim (default: your data folder)', givenOnce('state'))
    // the program's options end at the command, so that a command may have its own option of the same name
    // (web's --port, the HTTP port, is not the program's --port, the serial port); inheritProgramOptions below
    // keeps them working after the command too
    .enablePositionalOptions()
    .exitOverride();
  registerDemo(program);
  registerSummary(program);
  registerReport(program);
  registerWeb(program);
  registerPlan(program);
  registerSim(program);
  registerSync(program);
  registerExport(program);
  registerReplay(program);
  registerRecord(program);
  registerFlash(program);
  registerScan(program);
  registerBuzz(program);
  registerConfig(program);
  registerLive(program);
  registerCalibrate(program);
  inheritProgramOptions(program);
  program.hook('preAction', (_, action) => refuseGivenTwice(action));
  oneLineUsageErrors(program);
  return program;
}

/**
 * commander's own usage errors (an unknown option or command, a missing value, a value not among the choices)
 * as the CLI's other errors are: one line, `retrostep: ...`, and where to read more: the help of the command
 * that refused it (`retrostep summary --help`), or the program's for one of the program's options (a command's
 * help does not show those: `retrostep sync --port` with no path).
 */
function oneLineUsageErrors(cmd: Command): void {
  const words: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) words.unshift(c.name());
  const programOptions = cmd.options.filter((o) => o.hidden).map((o) => `'${o.flags}'`);
  cmd.configureOutput({
    outputError: (str, write) => {
      // (commander's "error: " prefix goes; its "(Did you mean sync?)" on a line of its own joins the line)
      const message = str.trim().replace(/^error: /, '').replace(/\s*\n\(Did you mean (.*)\?\)$/, ': did you mean $1?');
      const help = programOptions.some((f) => message.includes(f)) ? 'retrostep --help' : `${words.join(' ')} --help`;
      write(`retrostep: ${message} (run \`${help}\` for usage)\n`);
    },
  });
  for (const sub of cmd.commands) oneLineUsageErrors(sub);
}

/**
 * The program's options (--db, --debug, --ble, --port, --sim, --state) after the command as before it
 * (`retrostep sync --db x.db`): each command takes them too, hidden from its help, unless it has its own
 * option of that name (web's --port). optsWithGlobals() merges them as before.
 */
function inheritProgramOptions(program: Command): void {
  const globals = program.options.filter((o) => o.attributeName() !== 'version');
  const each = (parent: Command) => {
    for (const cmd of parent.commands) {
      for (const g of globals) {
        if (cmd.options.some((o) => o.long === g.long)) continue;
        const o = new Option(g.flags, g.description).hideHelp();
        // (with its check: --db given twice after the command too)
        if (g.parseArg) o.argParser(g.parseArg);
        cmd.addOption(o);
      }
      each(cmd);
    }
  };
  each(program);
}

/** The program's options that name one thing (a file, a port), refused when given both before and after the command. */
const ONCE_OPTIONS = ['db', 'port', 'state'];

/**
 * One of ONCE_OPTIONS given twice on one side of the command (`--db a.db --db b.db summary`, `summary --db a.db
 * --db b.db`): refused as it is on both sides of it (refuseGivenTwice), in the same words. (commander's own refusal
 * of a parser's InvalidArgumentError put "option '--db <file>' argument 'b.db' is invalid." and a usage hint
 * around them: the same slip read two ways by where it was typed.)
 */
function givenOnce(key: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) throw givenTwice(`--${key}`, [previous, value]);
    return value;
  };
}

/**
 * One of ONCE_OPTIONS before the command and again after it (`retrostep --db a.db sync --db b.db`): each level's
 * own check sees it once, and optsWithGlobals() took the command's without a word.
 */
function refuseGivenTwice(action: Command): void {
  for (const key of ONCE_OPTIONS) {
    // (web's own --port, the HTTP port, is not the program's: only a hidden copy of the program's is counted)
    const given = programOptionValues(action, key).filter((v): v is string => typeof v === 'string');
    if (given.length > 1) throw givenTwice(`--${key}`, given);
  }
}

/** What each program option that needs a value wants (a name for it, an example, a hint), for the line that says it is missing. */
const VALUE_WANTED: { [long: string]: [string, string, string?] } = {
  '--port': ['a port name', '/dev/ttyACM0', '`retrostep scan --serial` lists the ports'],
  '--db': ['a database file', 'week.db'],
  '--state': ['a virtual pod state file', 'pod.flash'],
};

/**
 * The program's options before the command, read as a person means them. commander gives an option with an
 * optional value the next word, whatever it is: `retrostep --ble sync` took "sync" for the pod's name and was
 * left without a command (the whole help, exit 2). A command's name right after --ble is the command, and --ble
 * has no name (the first pod found; a pod named like a command would be `--ble=sync`). Right after an option
 * that needs a value (--port, --db, --state) a command's name is a missing value (one line, exit 2), unless
 * another command's name follows it (`--db sync summary`: a file named "sync"). After the
 * command, an option with an optional value followed by one of the command's argument choices (`buzz --ble
 * prompt`) has no value: the word is the argument (a pod named like a pattern: `--ble=prompt`).
 */
export function normaliseArgv(program: Command, argv: string[]): string[] {
  const commands = new Set(['help', ...program.commands.flatMap((c) => [c.name(), ...c.aliases()])]);
  const out = argv.slice(0, 2);
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--' || !arg.startsWith('-')) {
      const help = helpWords(program, argv.slice(i));
      if (help) {
        out.push(...help);
        break;
      }
      const command = program.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
      // (a command there is not, with --help: commander showed the whole help, exit 0, and `retrostep snyc --help`
      // looked like sync's; without --help it is named, with its "did you mean")
      out.push(...(command || arg === '--' ? commandWords(command, argv.slice(i)) : argv.slice(i).filter((w) => w !== '--help' && w !== '-h')));
      break;
    }
    const option = program.options.find((o) => o.long === arg || o.short === arg);
    const next = argv[i + 1];
    // (a command's name followed by another is the value: `--db sync summary` is a database file named "sync")
    if (option && next !== undefined && commands.has(next) && !(option.required && next !== 'help' && commands.has(argv[i + 2]))) {
      if (option.required) {
        const [what, example, hint] = VALUE_WANTED[arg] ?? ['a value', 'VALUE'];
        throw new InputError(`${arg} needs ${what} before the command: retrostep ${arg} ${example} ${next}${hint ? ` (${hint})` : ''}`);
      }
      // (an empty name: linkOptions reads it as no name)
      if (option.optional) {
        out.push(`${arg}=`);
        continue;
      }
    }
    out.push(arg);
    // (the option's value, as commander takes it: a required one whatever it is, an optional one if not an option)
    if (option && next !== undefined && (option.required || (option.optional && !next.startsWith('-')))) out.push(argv[++i]);
  }
  return out;
}

/**
 * `help X` at `parent` (the program, or a command with commands of its own: `config help X`), X no command of it:
 * commander printed the parent's whole help, exit 2, without naming X. Without `help`, X is refused as `retrostep X`
 * is: "unknown command 'X'", with its "did you mean" when one is near. `help help` (commander's help command has no
 * help of its own: the same whole help, exit 2) is the parent's help. Null when commander's own help will do.
 */
function helpWords(parent: Command, words: string[]): string[] | null {
  const [word, about] = words;
  if (word !== 'help' || about === undefined || about.startsWith('-')) return null;
  if (about === 'help') return ['--help'];
  const command = parent.commands.find((c) => c.name() === about || c.aliases().includes(about));
  if (!command) return words.slice(1);
  // `help config get` and `help config nope`: config's own help of its command (commander showed config's whole
  // help, exit 0, naming neither)
  return command.commands.length > 0 && words.length > 2 ? commandWords(command, [about, 'help', ...words.slice(2)]) : null;
}

/** The command's words (its name first): an optional-value option right before one of its argument choices gets no value. */
function commandWords(command: Command | undefined, words: string[]): string[] {
  const help = command && command.commands.length > 0 ? helpWords(command, words.slice(1)) : null;
  if (help) return [words[0], ...help];
  const choices = new Set(command?.registeredArguments.flatMap((a) => a.argChoices ?? []));
  if (!command || choices.size === 0) return words;
  return words.map((w, i) => {
    const option = command.options.find((o) => o.long === w || o.short === w);
    // (only while the argument is still to come: `buzz prompt --ble done` names a pod "done")
    return option?.optional && choices.has(words[i + 1]) && !words.slice(1, i).some((x) => x === '--' || choices.has(x)) ? `${option.long}=` : w;
  });
}

/** Runs the CLI; returns the exit code (never throws for expected failures). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(normaliseArgv(program, argv));
    return 0;
  } catch (e) {
    const debug = argv.includes('--debug');
    if (e instanceof CommanderError) {
      // commander printed its own message: --help and --version exit 0; a usage error (unknown command or
      // option, a missing argument, a value not among the choices) is bad input
      return e.exitCode === 0 ? 0 : BAD_INPUT_EXIT_CODE;
    }
    if (e instanceof UserError) {
      console.error(`retrostep: ${e.message}`);
      if (debug) console.error(e.stack);
      return e.exitCode;
    }
    const err = e as Error;
    console.error(`retrostep: unexpected error: ${err?.message ?? String(e)} (this is a bug; run with --debug for details)`);
    if (debug) console.error(err?.stack);
    return 1;
  }
}
