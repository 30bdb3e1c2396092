/**
 * Usage errors as a user meets them: commander's own message, on one line in
 * the CLI's style (`retrostep: ...`, then the help of the command that refused
 * it), exit 2 as the README says for bad input; --help and --version exit 0.
 * The program's options work after the command too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram, normaliseArgv } from '../host/src/cli.js';
import { ctrlCOnceShown, runCli, runCliUnprivileged } from './helpers/cli.js';
import { startSim } from './helpers/sim-process.js';
import { backToSchema } from './helpers/older-schema.js';
import { insertRecords, openDb, setSetting, upsertPod } from '../host/src/store/db.js';
import { RECORD_CLOCK_VALID } from '../shared/protocol/records.js';
import { FIRMWARE_VERSION } from '../shared/protocol/firmware-version.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-usage-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const db = path.join(dir, 'x.db');

/** Each `retrostep --db DB ARGS` refused as bad input: exit 2, its one line on stderr as given, nothing on stdout. */
function expectRefused(db: string, cases: [string[], string][]): void {
  for (const [args, want] of cases) {
    const r = runCli(['--db', db, ...args]);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr, args.join(' ')).toBe(want);
    expect(r.stdout, args.join(' ')).toBe('');
  }
}

describe('usage errors', () => {
  it('exit 2 with commander\'s message on one line, `retrostep: ` first and the refusing command\'s help last, no stack', () => {
    const cases: [string[], string][] = [
      [['replay', 'f.csv', '--first-walk', 'sideways'], "option '--first-walk <way>' argument 'sideways' is invalid. Allowed choices are forward, backward. (run `retrostep replay --help` for usage)"],
      [['replay'], "missing required argument 'file' (run `retrostep replay --help` for usage)"],
      [['export'], "required option '--format <csv|json|fit>' not specified (run `retrostep export --help` for usage)"],
      [['nosuch'], "unknown command 'nosuch' (run `retrostep --help` for usage)"],
      [['snyc'], "unknown command 'snyc': did you mean sync? (run `retrostep --help` for usage)"],
      // `help` of a command there is not: named, as the command itself is (it printed the whole help, exit 2)
      [['help', 'nope'], "unknown command 'nope' (run `retrostep --help` for usage)"],
      [['help', 'snyc'], "unknown command 'snyc': did you mean sync? (run `retrostep --help` for usage)"],
      [['--db', db, 'help', 'nope'], "unknown command 'nope' (run `retrostep --help` for usage)"],
      [['config', 'help', 'nope'], "unknown command 'nope' (run `retrostep config --help` for usage)"],
      [['help', 'config', 'nope'], "unknown command 'nope' (run `retrostep config --help` for usage)"],
      // a command there is not, with --help: named, as without it (the whole help, exit 0, as if it were one)
      [['snyc', '--help'], "unknown command 'snyc': did you mean sync? (run `retrostep --help` for usage)"],
      [['--db', db, 'nosuch', '-h'], "unknown command 'nosuch' (run `retrostep --help` for usage)"],
      [['--db', db, 'summary', '--bogus'], "unknown option '--bogus' (run `retrostep summary --help` for usage)"],
      [['summary', '--jsno'], "unknown option '--jsno': did you mean --json? (run `retrostep summary --help` for usage)"],
      [['--bogus', 'summary'], "unknown option '--bogus' (run `retrostep --help` for usage)"],
      [['record', '--out'], "option '--out <file>' argument missing (run `retrostep record --help` for usage)"],
      // one of the program's options after the command: its help is the program's (the command's does not show it)
      [['sync', '--port'], "option '--port <path>' argument missing (run `retrostep --help` for usage)"],
      [['web', '--port'], "option '--port <n>' argument missing (run `retrostep web --help` for usage)"],
      [['config', 'nosuch'], "unknown command 'nosuch' (run `retrostep config --help` for usage)"],
      [['config', 'set', '--bogus'], "unknown option '--bogus' (run `retrostep config set --help` for usage)"],
    ];
    for (const [args, want] of cases) {
      const r = runCli(args, { RETROSTEP_DB: db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: ${want}\n`);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it('summary, report and export take the same periods, each said the same in their --help (export said "one day", not which)', () => {
    const program = buildProgram();
    const periods = (name: string) =>
      program.commands.find((c) => c.name() === name)!.options.filter((o) => ['--day', '--week', '--month', '--from', '--to'].includes(o.long!)).map((o) => `${o.flags}: ${o.description}`);
    const summary = periods('summary');
    expect(summary).toHaveLength(5);
    expect(summary[0]).toBe('--day [date]: one day (default today), e.g. 2026-11-23');
    expect(periods('report')).toEqual(summary);
    expect(periods('export')).toEqual(summary);
  });

  it('--help and --version still exit 0', () => {
    for (const args of [['--help'], ['--version'], ['web', '--help'], ['help', 'sync'], ['help'], ['help', 'help'], ['config', 'help', 'set'], ['config', 'help', 'help'], ['config', 'set', '--help']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).not.toBe('');
    }
    // `help config get` is config get's help (it was config's)
    expect(runCli(['help', 'config', 'get']).stdout).toMatch(/^Usage: retrostep config get\|show /);
    // --version: the package's, and the pod firmware it carries (what a sync's firmware note names)
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    expect(runCli(['--version']).stdout).toBe(`${pkg.version} (pod firmware ${FIRMWARE_VERSION})\n`);
  });

  it('the program\'s options after the command work as before it', () => {
    const other = path.join(dir, 'after.db');
    // (summary reads the --db after it: one not there is refused by its name, and not made)
    const missing = runCli(['summary', '--db', other, '--json']);
    expect(missing.stderr).toContain(`retrostep: no database at ${other}: `);
    expect(fs.existsSync(other)).toBe(false);
    // (config set writes: it makes the database the --db after it names, which summary then reads)
    expect(runCli(['config', 'set', 'weight_kg=72', '--db', other]).code).toBe(0);
    expect(fs.existsSync(other)).toBe(true);
    const r = runCli(['summary', '--db', other, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(runCli(['config', 'get', '--local', '--db', other, '--json']).stdout).toContain('"weight_kg":72');
  });

  it('--db, --port or --state given twice, before the command, after it or one of each: refused in the same one line wherever each was typed, exit 2, nothing made (the last was taken without a word: a sync into b.db after the user read a.db; given twice on one side, the line was commander\'s "option \'--db <file>\' argument \'b.db\' is invalid. ..." with a usage hint)', () => {
    const a = path.join(dir, 'twice-a.db');
    const b = path.join(dir, 'twice-b.db');
    const [p1, p2] = [path.join(dir, 'p1.flash'), path.join(dir, 'p2.flash')];
    const line = (key: string, first: string, then: string) => `retrostep: --${key} was given twice (${first}, then ${then}): give it once\n`;
    const cases: [string[], string][] = [
      [['--db', a, '--db', b, 'config', 'set', 'weight_kg=71'], line('db', a, b)],
      [['config', 'set', 'weight_kg=71', '--db', a, '--db', b], line('db', a, b)],
      [['--db', a, 'config', 'set', 'weight_kg=71', '--db', b], line('db', a, b)],
      [['--db', a, '--port', '/dev/ttyNOPE0', '--port', '/dev/ttyNOPE1', 'sync'], line('port', '/dev/ttyNOPE0', '/dev/ttyNOPE1')],
      [['--db', a, 'sync', '--port', '/dev/ttyNOPE0', '--port', '/dev/ttyNOPE1'], line('port', '/dev/ttyNOPE0', '/dev/ttyNOPE1')],
      [['--db', a, '--port', '/dev/ttyNOPE0', 'sync', '--port', '/dev/ttyNOPE1'], line('port', '/dev/ttyNOPE0', '/dev/ttyNOPE1')],
      [['--state', p1, '--state', p2, 'sim'], line('state', p1, p2)],
      [['sim', '--state', p1, '--state', p2], line('state', p1, p2)],
      [['--state', p1, 'sim', '--state', p2], line('state', p1, p2)],
    ];
    for (const [args, want] of cases) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(want);
    }
    expect(fs.existsSync(a) || fs.existsSync(b) || fs.existsSync(p1) || fs.existsSync(p2)).toBe(false);
    // (web's own --port, the HTTP port, is not the program's: both may be given, as before)
    expect(runCli(['--port', '/dev/ttyNOPE0', 'web', '--port', 'x']).stderr).not.toMatch(/given twice/);
  });
});

describe('a command\'s name right after a program option (QA: `--ble sync` printed the whole help)', () => {
  const normalised = (...args: string[]) => normaliseArgv(buildProgram(), ['node', 'retrostep', ...args]).slice(2);

  it('after --ble it is the command, and --ble has no name (the first pod found); a name is still a name', () => {
    expect(normalised('--ble', 'sync')).toEqual(['--ble=', 'sync']);
    expect(normalised('--db', 'x.db', '--ble', 'buzz', 'prompt')).toEqual(['--db', 'x.db', '--ble=', 'buzz', 'prompt']);
    expect(normalised('--ble', 'retrostep-1a2b', 'sync')).toEqual(['--ble', 'retrostep-1a2b', 'sync']);
    expect(normalised('--ble', '--db', 'sync.db', 'sync')).toEqual(['--ble', '--db', 'sync.db', 'sync']);
    // a command's name followed by another is a value: a database file named "sync"
    expect(normalised('--db', 'sync', 'summary')).toEqual(['--db', 'sync', 'summary']);
    expect(() => normalised('--db', 'help', 'summary')).toThrow(/--db needs a database file before the command/);
    // the command's own words are its own (`summary --db sync` names a database "sync")
    expect(normalised('summary', '--db', 'sync')).toEqual(['summary', '--db', 'sync']);
    // --ble given (not a name): the link it chose meets --sim, no help and no radio
    for (const args of [['--ble', 'sync', '--sim'], ['--ble', 'buzz', 'prompt', '--sim']]) {
      const r = runCli(['--db', db, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe('retrostep: choose one link: --ble, --port PATH or --sim\n');
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it('an empty --port (a script\'s unset variable) is bad input, exit 2, for the pod commands and flash alike, not a failed link', () => {
    for (const command of ['sync', 'flash']) {
      const r = runCli(['--db', db, '--port', '', command]);
      expect(r.code, command).toBe(2);
      expect(r.stderr, command).toBe('retrostep: --port is empty: name a serial port (list them with `retrostep scan --serial`)\n');
    }
  });

  it('after the command, --ble before one of its argument choices has no name: `buzz --ble prompt` plays "prompt" on the first pod', () => {
    expect(normalised('buzz', '--ble', 'prompt')).toEqual(['buzz', '--ble=', 'prompt']);
    expect(normalised('--db', 'x.db', 'buzz', '--ble', 'goal', '--debug')).toEqual(['--db', 'x.db', 'buzz', '--ble=', 'goal', '--debug']);
    // a pod's name is still a name, and a pod named like a pattern is --ble=<name>
    expect(normalised('buzz', '--ble', 'retrostep-1a2b', 'prompt')).toEqual(['buzz', '--ble', 'retrostep-1a2b', 'prompt']);
    expect(normalised('buzz', '--ble=prompt', 'goal')).toEqual(['buzz', '--ble=prompt', 'goal']);
    // the argument already given: the word after --ble is a pod's name
    expect(normalised('buzz', 'prompt', '--ble', 'done')).toEqual(['buzz', 'prompt', '--ble', 'done']);
    // a command with no argument choices is left as it is
    expect(normalised('sync', '--ble', 'prompt')).toEqual(['sync', '--ble', 'prompt']);
  });

  it('after an option that needs a value (--port, --db, --state) it is a missing value: one line, exit 2', () => {
    const cases: [string[], string][] = [
      [['--port', 'sync'], 'retrostep: --port needs a port name before the command: retrostep --port /dev/ttyACM0 sync (`retrostep scan --serial` lists the ports)'],
      [['--db', 'summary'], 'retrostep: --db needs a database file before the command: retrostep --db week.db summary'],
      [['--state', 'sim'], 'retrostep: --state needs a virtual pod state file before the command: retrostep --state pod.flash sim'],
    ];
    for (const [args, want] of cases) {
      const r = runCli(args, { RETROSTEP_DB: db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`${want}\n`);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });
});

describe('--db with no file', () => {
  it('"" (an unset variable in a script) or ":memory:": one line, exit 3, before the pod is reached (a sync would free its records into a database gone at exit)', () => {
    for (const file of ['', ':memory:']) {
      const state = path.join(dir, `nodb-${file.length}.flash`);
      const r = runCli(['--db', file, '--sim', '--state', state, 'sync']);
      expect(r.code, file).toBe(3);
      expect(r.stderr, file).toMatch(/^retrostep: --db .* names no file: records synced there would be gone when retrostep exits; give a file, e.g. --db week.db\n$/);
      expect(r.stdout, file).toBe('');
      expect(fs.existsSync(state), file).toBe(false);
    }
  });
});

describe('the data folder cannot be made', () => {
  // (env-paths reads XDG_DATA_HOME on Linux only)
  it.runIf(process.platform === 'linux')('a file in its way: one line naming it and the option that picks another place, not "unexpected error: ENOTDIR"', () => {
    const inTheWay = path.join(dir, 'not-a-folder');
    fs.writeFileSync(inTheWay, '');
    const env = { XDG_DATA_HOME: inTheWay, RETROSTEP_DB: '' };
    const cases: [string[], number, string][] = [
      [['summary'], 3, '--db'],
      [['--sim', '--db', db, 'sync'], 2, '--state'],
      [['sim'], 2, '--state'],
    ];
    for (const [args, code, option] of cases) {
      const r = runCli(args, env);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: cannot make the data folder ${path.join(inTheWay, 'retrostep')} (a file is in the way): pick another place with ${option}\n`);
    }
  });

  // (Node's recursive mkdir never returns there: retrostep hung until killed)
  it.runIf(process.platform === 'linux' && fs.existsSync('/proc/self'))('a place the system allows no folder in (XDG_DATA_HOME=/proc): one line, not a hang', () => {
    const r = runCli(['summary'], { XDG_DATA_HOME: '/proc', RETROSTEP_DB: '' });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('retrostep: cannot make the data folder /proc/retrostep (the system allows no folder there): pick another place with --db\n');
  });
});

describe('the data folder', () => {
  it.runIf(process.platform === 'linux')('a relative XDG_DATA_HOME is left out, as the XDG spec says: the data stays in ~/.local/share, not under wherever retrostep ran', () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'));
    const relative = `rel-xdg-${process.pid}`;
    const r = runCli(['summary', '--no-chart'], { HOME: home, XDG_DATA_HOME: relative, RETROSTEP_DB: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(home, '.local', 'share', 'retrostep', 'retrostep.db'))).toBe(true);
    expect(fs.existsSync(relative)).toBe(false);
  });
});

describe('a folder closed to the user on the way to a file', () => {
  // (mode 000: an ordinary user may not look inside it; runCliUnprivileged drops root's power to)
  const closed = path.join(dir, 'closed');
  const open = path.join(dir, 'open.db');
  const reachable = () => {
    fs.mkdirSync(closed, { recursive: true });
    fs.chmodSync(closed, 0o000);
    openDb(open).close();
  };
  afterAll(() => fs.existsSync(closed) && fs.chmodSync(closed, 0o700));

  it('--db, --out or --state inside it: one line saying which folder is closed, not "unexpected error: EACCES ... (this is a bug)"', () => {
    reachable();
    const why = `permission denied (you may not enter folder ${closed})`;
    const cases: [string[], number, string][] = [
      [['--db', path.join(closed, 'x.db'), 'summary'], 3, `cannot open database ${path.join(closed, 'x.db')}: ${why}: pick another --db`],
      [['--db', open, 'report', '--out', path.join(closed, 'r.html')], 2, `cannot reach ${path.join(closed, 'r.html')}: ${why}`],
      [['--db', open, '--sim', '--state', path.join(closed, 'p.flash'), 'sync'], 2, `cannot reach ${path.join(closed, 'p.flash')}: ${why}`],
    ];
    for (const [args, code, line] of cases) {
      const r = runCliUnprivileged(args, { RETROSTEP_DB: '' });
      expect(r.stderr, args.join(' ')).toBe(`retrostep: ${line}\n`);
      expect(r.code, args.join(' ')).toBe(code);
    }
  });

  it.runIf(process.platform === 'linux')('the data folder inside it, and --db elsewhere: the commands work (each compared --db and --out with the data folder\'s pod state, and stopped at "unexpected error: EACCES")', () => {
    reachable();
    const env = { XDG_DATA_HOME: closed, RETROSTEP_DB: '' };
    for (const args of [['summary', '--no-chart'], ['plan'], ['export', '--format', 'csv'], ['report', '--out', path.join(dir, 'closed-data.html')]]) {
      const r = runCliUnprivileged(['--db', open, ...args], env);
      expect(r.stderr, args.join(' ')).not.toMatch(/EACCES|unexpected/);
      expect(r.code, args.join(' ')).toBe(0);
    }
  });
});

describe('a path that cannot be looked at for another reason', () => {
  it('symbolic links in a circle, or a name too long for the system, given to --db, --out or --state: one line saying so, not "unexpected error: ELOOP ... (this is a bug)"', () => {
    const loop = path.join(dir, 'loop-a.db');
    fs.symlinkSync(path.join(dir, 'loop-b.db'), loop);
    fs.symlinkSync(loop, path.join(dir, 'loop-b.db'));
    const circle = 'its symbolic links lead round in a circle';
    // (a part of a path longer than NAME_MAX, 255 bytes here)
    const long = path.join(dir, `${'a'.repeat(300)}.flash`);
    const db = path.join(dir, 'links.db');
    const cases: [string[], number, string][] = [
      [['--db', loop, 'summary'], 3, `cannot open database ${loop}: ${circle}: pick another --db`],
      [['--db', db, 'report', '--out', loop], 2, `cannot reach ${loop}: ${circle}`],
      [['--db', db, '--sim', '--state', long, 'sync'], 2, `cannot reach ${long}: its name is too long for this system`],
    ];
    openDb(db).close();
    for (const [args, code, line] of cases) {
      const r = runCli(args);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: ${line}\n`);
      expect(r.code, args.join(' ')).toBe(code);
    }
  });
});

describe('a database read-only to the user', () => {
  it("a sync says which file is read-only and how to make it writable: the database, or SQLite's -wal and -shm that a read of it left read-only (it said \"cannot open database FILE: attempt to write a readonly database (check the path and its permissions)\" of a database whose permissions were right again)", () => {
    const ro = path.join(dir, 'read-only.db');
    const state = path.join(dir, 'read-only.flash');
    const sync = () => runCliUnprivileged(['--db', ro, '--sim', '--state', state, 'sync']);
    // (the virtual pod made first, into a database of its own: its first sync says on stderr that it is new)
    expect(runCli(['--db', path.join(dir, 'writable.db'), '--sim', '--state', state, 'sync']).code).toBe(0);
    openDb(ro).close();
    fs.chmodSync(ro, 0o444);
    const first = sync();
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toMatch(new RegExp(`^retrostep: cannot write database ${ro.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: it is read-only to you( \\(and SQLite's .+ beside it\\))?: make (it|them) writable \\(chmod u\\+w \\S*read-only\\.db\\b.*\\) or pick another --db\n$`));
    // a read of the read-only database by the sqlite3 shell, or a retrostep before the twenty-eighth session's, leaves
    // SQLite's files beside it read-only too (SQLite makes them with its mode; retrostep now reads a copy of it, and
    // refuses it for a sync before opening it): left here as such a read leaves them
    for (const f of [`${ro}-wal`, `${ro}-shm`]) {
      fs.writeFileSync(f, '');
      fs.chmodSync(f, 0o444);
    }
    fs.chmodSync(ro, 0o644);
    const second = sync();
    expect(second.code, second.stderr).toBe(3);
    expect(second.stderr).toMatch(/^retrostep: cannot write database \S+: SQLite's read-only\.db-(wal|shm)( and read-only\.db-shm)? beside it (is|are) read-only to you \(left so by a read while the database was read-only\?\): make (it|them) writable \(chmod u\+w [^)]+\) and try again\n$/);
    // the files it names, made writable, were all that was wrong
    for (const f of /chmod u\+w ([^)]+)\)/.exec(second.stderr)![1].split(' ')) fs.chmodSync(f, 0o644);
    const third = sync();
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);
  });

  // breaks it: readOnlyAmong looking at `${file}-wal` and `${file}-shm` (beside the link's name, where SQLite makes none)
  it("named by a link: the -wal and -shm said are those beside the file linked to, where SQLite makes them, in full; not read-only ones beside the link's name, which SQLite never opens", () => {
    const folder = fs.mkdtempSync(path.join(dir, 'linked-'));
    fs.mkdirSync(path.join(folder, 'kept'));
    const real = path.join(folder, 'kept', 'data.db');
    const link = path.join(folder, 'week.db');
    openDb(real).close();
    fs.symlinkSync(real, link);
    for (const f of [`${real}-wal`, `${real}-shm`, `${link}-wal`, `${link}-shm`]) {
      fs.writeFileSync(f, '');
      fs.chmodSync(f, 0o444);
    }
    const state = path.join(dir, 'linked.flash');
    const sync = () => runCliUnprivileged(['--db', link, '--sim', '--state', state, 'sync']);
    const r = sync();
    expect(r.stderr).toBe(`retrostep: cannot write database ${link}: SQLite's ${real}-wal and ${real}-shm beside the file it links to are read-only to you (left so by a read while the database was read-only?): make them writable (chmod u+w ${real}-wal ${real}-shm) and try again\n`);
    expect(r.code).toBe(3);
    for (const f of [`${real}-wal`, `${real}-shm`]) fs.chmodSync(f, 0o644);
    const again = sync();
    expect(again.code, again.stderr).toBe(0);
  });

  // breaks it: pickAnotherDb always 'pick another --db'
  it('named by RETROSTEP_DB, not --db: its refusal says to change RETROSTEP_DB too (it sent the user to an option they never gave)', () => {
    const folder = fs.mkdtempSync(path.join(dir, 'by-env-'));
    const ro = path.join(folder, 'kept.db');
    openDb(ro).close();
    fs.chmodSync(ro, 0o444);
    const byEnv = runCliUnprivileged(['config', 'set', 'weight_kg=72'], { RETROSTEP_DB: ro });
    expect(byEnv.stderr).toBe(`retrostep: cannot write database ${ro}: it is read-only to you: make it writable (chmod u+w ${ro}) or pick another --db, or change RETROSTEP_DB (it names this file)\n`);
    expect(byEnv.code).toBe(3);
    // (--db naming another file, RETROSTEP_DB set: only --db is said)
    const other = path.join(folder, 'other.db');
    fs.copyFileSync(ro, other);
    fs.chmodSync(other, 0o444);
    const byOption = runCliUnprivileged(['--db', other, 'config', 'set', 'weight_kg=72'], { RETROSTEP_DB: ro });
    expect(byOption.stderr).toBe(`retrostep: cannot write database ${other}: it is read-only to you: make it writable (chmod u+w ${other}) or pick another --db\n`);
    expect(byOption.code).toBe(3);
  });
});

describe('a database read-only to the user, given to a command that writes it', () => {
  // breaks it: db-option.ts checkedDbFile without refuseReadOnlyDb (SQLite made the -wal and -shm beside it, read-only
  // as it is, before the first write failed; web served its page; sync reached the pod, the virtual one made)
  it('sync, web, demo and config set of your settings refuse it before opening it: one line, exit 3, nothing made beside it, no pod reached', () => {
    const folder = fs.mkdtempSync(path.join(dir, 'writes-'));
    const ro = path.join(folder, 'kept.db');
    openDb(ro).close();
    fs.chmodSync(ro, 0o444);
    const state = path.join(dir, 'writes-never.flash');
    const said = `retrostep: cannot write database ${ro}: it is read-only to you: make it writable (chmod u+w ${ro}) or pick another --db\n`;
    for (const args of [['--sim', '--state', state, 'sync'], ['web'], ['demo'], ['config', 'set', 'weight_kg=72']]) {
      const r = runCliUnprivileged(['--db', ro, ...args]);
      expect(r.stderr, args.join(' ')).toBe(said);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(fs.readdirSync(folder), args.join(' ')).toEqual(['kept.db']);
    }
    expect(fs.existsSync(state)).toBe(false);
  });
});

describe('an older schema\'s database read-only to the user', () => {
  /** A schema-4 database (before pod settings were kept) of one pod's 3 minutes an hour ago, read-only to the user. */
  function oldReadOnly(folder: string): string {
    const file = path.join(folder, 'backup.db');
    const made = openDb(file);
    upsertPod(made, { pod_id: 'aabbccddeeff', name: 'retrostep-ddee' }, 1);
    const start_s = Math.floor(Date.now() / 60_000) * 60 - 3600;
    const minute = (seq: number) => ({ seq, start_s: start_s + seq * 60, flags: RECORD_CLOCK_VALID, forward: 30, backward: 20, heel: 30, flat: 0, toe: 20, wrong: 0, buzzes: 0, cadence_spm: 100, active_s: 60 });
    insertRecords(made, 'aabbccddeeff', [0, 1, 2].map((seq) => ({ rec: minute(seq), start_s: minute(seq).start_s, estimated: false })), start_s);
    backToSchema(made, 4);
    made.close();
    fs.chmodSync(file, 0o444);
    return file;
  }

  it('a backup kept read-only, or in a read-only folder (as on a read-only drive): every read command reads it, nothing written to it or beside it; sync and config set of your settings say in one line that it cannot be written, before the pod is reached; config set of pod settings sets the pod and notes the database did not keep them (the read commands said "cannot write database ...": opening migrated it in place)', () => {
    for (const where of ['file', 'folder'] as const) {
      const folder = fs.mkdtempSync(path.join(dir, `old-${where}-`));
      const old = oldReadOnly(folder);
      if (where === 'folder') fs.chmodSync(folder, 0o555);
      const bytes = fs.readFileSync(old);
      try {
        // (runCliUnprivileged: root without its power to write anything, so the modes stop it as they stop a user)
        const summary = runCliUnprivileged(['--db', old, 'summary', '--week', '--json']);
        expect(summary.stderr, where).toBe('');
        expect(JSON.parse(summary.stdout).summary, where).toMatchObject({ minutes: 3, forward: 90, backward: 60 });
        const csv = runCliUnprivileged(['--db', old, 'export', '--format', 'csv', '--out', '-']);
        expect(csv.stdout.trim().split('\n'), where).toHaveLength(1 + 3);
        for (const args of [['plan'], ['report', '--out', '-'], ['config', 'get', '--local']]) {
          const r = runCliUnprivileged(['--db', old, ...args]);
          expect(r.stderr, `${where}: ${args.join(' ')}`).toBe('');
          expect(r.code, `${where}: ${args.join(' ')}`).toBe(0);
        }
        expect(fs.readFileSync(old).equals(bytes), where).toBe(true);
        expect(fs.readdirSync(folder), where).toEqual(['backup.db']);
        const cannot = where === 'file' ? /^retrostep: cannot write database \S+backup\.db: it is read-only to you\b.*\n$/ : /^retrostep: cannot use database \S+backup\.db: its folder is read-only\b.*\n$/;
        const set = runCliUnprivileged(['--db', old, 'config', 'set', 'weight_kg=72']);
        expect(set.stderr, where).toMatch(cannot);
        expect(set.code, where).toBe(3);
        const state = path.join(dir, `old-${where}.flash`);
        // (before the pod is reached: in a read-only folder a sync read the pod's records, then SQLite refused them)
        const sync = runCliUnprivileged(['--db', old, '--sim', '--state', state, 'sync']);
        expect(sync.stderr, where).toMatch(cannot);
        expect(sync.stdout, where).toBe('');
        expect(sync.code, where).toBe(3);
        // the pod's settings alone: the pod is set, and one note says the database did not keep them
        const podSet = runCliUnprivileged(['--db', old, '--sim', '--state', state, 'config', 'set', 'buzz_on=0']);
        expect(podSet.code, podSet.stderr).toBe(0);
        expect(podSet.stdout, where).toMatch(/^buzz_on = 0 \(pod\b/);
        expect(podSet.stderr, where).toMatch(/^note: the pod is set, but \S+backup\.db did not keep its settings for `retrostep plan` \(.*\); the next sync keeps them\n$/);
        // yours with the pod's: refused before the pod is set (it was set, then yours refused)
        const mixed = runCliUnprivileged(['--db', old, '--sim', '--state', state, 'config', 'set', 'buzz_on=1', 'weight_kg=72']);
        expect(mixed.stderr, where).toMatch(cannot);
        expect(mixed.code, where).toBe(3);
        const pod = runCliUnprivileged(['--db', old, '--sim', '--state', state, 'config', 'get', '--json']);
        expect(pod.code, pod.stderr).toBe(0);
        expect(JSON.parse(pod.stdout).pod.buzz_on, where).toBe(0);
        // (nothing beside it: opened in place, SQLite left its -wal and -shm there read-only)
        expect(fs.readdirSync(folder), where).toEqual(['backup.db']);
        expect(fs.readFileSync(old).equals(bytes), where).toBe(true);
      } finally {
        fs.chmodSync(folder, 0o755);
      }
    }
  });

  it('a writable database named by a link in a read-only folder: sync writes it (SQLite makes its -wal beside the file linked to; it was refused as in a read-only folder)', () => {
    const linked = fs.mkdtempSync(path.join(dir, 'linked-from-read-only-'));
    fs.mkdirSync(path.join(linked, 'ro'));
    fs.mkdirSync(path.join(linked, 'rw'));
    const real = path.join(linked, 'rw', 'week.db');
    openDb(real).close();
    fs.chmodSync(real, 0o666);
    fs.chmodSync(path.join(linked, 'rw'), 0o777);
    const link = path.join(linked, 'ro', 'week.db');
    fs.symlinkSync(real, link);
    fs.chmodSync(path.join(linked, 'ro'), 0o555);
    try {
      const r = runCliUnprivileged(['--db', link, '--sim', '--state', path.join(dir, 'linked-from-read-only.flash'), 'sync']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/^retrostep:/m);
      const db = openDb(real);
      expect(db.prepare('SELECT COUNT(*) AS n FROM pods').get()).toEqual({ n: 1 });
      db.close();
    } finally {
      fs.chmodSync(path.join(linked, 'ro'), 0o755);
    }
  });

  it('a database of this version, writable, in a read-only folder, or one to be made there: sync says so in one line before the pod is reached', () => {
    const folder = fs.mkdtempSync(path.join(dir, 'current-in-read-only-'));
    const file = path.join(folder, 'week.db');
    openDb(file).close();
    fs.chmodSync(folder, 0o555);
    try {
      const cannot = /^retrostep: cannot use database \S+week\.db: its folder is read-only\b.*\n$/;
      const r = runCliUnprivileged(['--db', file, '--sim', '--state', path.join(dir, 'current-in-read-only.flash'), 'sync']);
      expect(r.stderr).toMatch(cannot);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(3);
      // (one to be made there: SQLite could not, and said so once the pod was reached)
      const none = runCliUnprivileged(['--db', path.join(folder, 'new.db'), '--sim', '--state', path.join(dir, 'current-in-read-only.flash'), 'sync']);
      expect(none.stderr).toMatch(/^retrostep: cannot make database \S+new\.db: its folder is read-only to you: pick another --db\n$/);
      expect(none.code).toBe(3);
      expect(fs.existsSync(path.join(dir, 'current-in-read-only.flash'))).toBe(false);
      expect(fs.readdirSync(folder)).toEqual(['week.db']);
    } finally {
      fs.chmodSync(folder, 0o755);
    }
  });

  // breaks it: readOnlyFolder saying "its folder" of a database named by a link
  it("named by a link (to a link, relative) into a read-only folder: said as the folder of the file linked to, where SQLite writes its journal (\"its folder\" sent the user to the link's, which they can write)", () => {
    const folder = fs.mkdtempSync(path.join(dir, 'link-to-read-only-'));
    fs.mkdirSync(path.join(folder, 'kept'));
    fs.mkdirSync(path.join(folder, 'hop'));
    const real = path.join(fs.realpathSync(folder), 'kept', 'data.db');
    openDb(real).close();
    fs.symlinkSync('../kept/data.db', path.join(folder, 'hop', 'mid.db'));
    const link = path.join(folder, 'week.db');
    fs.symlinkSync('hop/mid.db', link);
    fs.chmodSync(path.join(folder, 'kept'), 0o555);
    try {
      const r = runCliUnprivileged(['--db', link, 'config', 'set', 'weight_kg=72']);
      expect(r.stderr).toBe(`retrostep: cannot use database ${link}: it links to ${real}, whose folder is read-only, and SQLite writes its journal beside that file (data.db-wal, -shm): copy it to a folder you can write to\n`);
      expect(r.code).toBe(3);
    } finally {
      fs.chmodSync(path.join(folder, 'kept'), 0o755);
    }
  });
});

/**
 * A database at `file` as another program holds it open: one pod's two minutes of an hour ago checkpointed into the
 * file, then no checkpoint, so a third minute and weight_kg=72 committed after live in its -wal only for as long as the
 * connection returned stays open.
 */
function openWithCommitInWal(file: string): ReturnType<typeof openDb> {
  const start_s = Math.floor(Date.now() / 60_000) * 60 - 3600;
  const minute = (seq: number) => ({ rec: { seq, start_s: start_s + seq * 60, flags: RECORD_CLOCK_VALID, forward: 30, backward: 20, heel: 30, flat: 0, toe: 20, wrong: 0, buzzes: 0, cadence_spm: 100, active_s: 60 }, start_s: start_s + seq * 60, estimated: false });
  const writer = openDb(file);
  upsertPod(writer, { pod_id: 'aabbccddeeff', name: 'retrostep-ddee' }, start_s);
  insertRecords(writer, 'aabbccddeeff', [minute(0), minute(1)], start_s);
  writer.pragma('wal_checkpoint(TRUNCATE)');
  writer.pragma('wal_autocheckpoint = 0');
  insertRecords(writer, 'aabbccddeeff', [minute(2)], start_s);
  setSetting(writer, 'weight_kg', '72');
  expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
  return writer;
}

/**
 * summary and config get, run as a user who may not write `folder`'s files (or, `folderToo`, the folder), read the
 * -wal's commit of openWithCommitInWal (three minutes, the weight), and leave every file in `folder` as it was.
 */
function expectWalCommitRead(file: string, folder: string, o: { folderToo: boolean; label: string }): void {
  for (const f of fs.readdirSync(folder)) fs.chmodSync(path.join(folder, f), 0o444);
  if (o.folderToo) fs.chmodSync(folder, 0o555);
  const before = fs.readdirSync(folder).map((f) => [f, fs.readFileSync(path.join(folder, f))] as const);
  try {
    const summary = runCliUnprivileged(['--db', file, 'summary', '--week', '--json']);
    expect(summary.stderr, o.label).toBe('');
    expect(JSON.parse(summary.stdout).summary, o.label).toMatchObject({ minutes: 3, forward: 90, backward: 60 });
    const config = runCliUnprivileged(['--db', file, 'config', 'get', '--local', '--json']);
    expect(config.stderr, o.label).toBe('');
    expect(JSON.parse(config.stdout).user.weight_kg, o.label).toBe(72);
    expect(fs.readdirSync(folder), o.label).toEqual(before.map(([f]) => f));
    for (const [f, bytes] of before) expect(fs.readFileSync(path.join(folder, f)).equals(bytes), `${o.label}: ${f}`).toBe(true);
  } finally {
    fs.chmodSync(folder, 0o755);
  }
}

describe('a database read-only to the user that another program has open, its last commit only in its -wal', () => {
  // breaks it: read-only-copy.ts databaseBytes reading the file alone, the -wal passed over (the third minute and the
  // weight, committed only there, are not read)
  it("summary and config get read the -wal's commit (through SQLite's read-only open), and nothing is written to the database, its -wal or beside them", () => {
    const folder = fs.mkdtempSync(path.join(dir, 'open-'));
    const file = path.join(folder, 'walking.db');
    // (the writer, another program, kept open; all of it read-only to the reader: the file, its -wal and -shm, and
    // the folder. The -shm is left as it was too: a read-only reader takes its place in the shared index without writing it)
    const writer = openWithCommitInWal(file);
    try {
      expectWalCommitRead(file, folder, { folderToo: true, label: 'open' });
    } finally {
      writer.close();
    }
  });
});

describe('a damaged database read-only to the user', () => {
  // breaks it: read-only-copy.ts openReadOnlyCopy handing bytes shorter than a header to SQLite in memory as they are,
  // WAL's format bytes left ("cannot open database F: unable to open database file (check the path and its
  // permissions)" of a file it had read)
  it('cut off in its header or after it: said as of the same file writable, damaged, exit 3, one line', () => {
    const whole = path.join(dir, 'whole.db');
    const made = openDb(whole);
    upsertPod(made, { pod_id: 'aabbccddeeff', name: 'retrostep-ddee' }, 1);
    made.close();
    const bytes = fs.readFileSync(whole);
    for (const cut of [50, bytes.length / 2]) {
      const said = (mode: number) => {
        const file = path.join(dir, `cut-${cut}-${mode.toString(8)}.db`);
        fs.writeFileSync(file, bytes.subarray(0, cut));
        fs.chmodSync(file, mode);
        const r = runCliUnprivileged(['--db', file, 'summary']);
        return { code: r.code, stderr: r.stderr.replace(file, 'F') };
      };
      const writable = said(0o644);
      expect(writable.stderr, String(cut)).toMatch(/^retrostep: database F is damaged or not a retrostep database: .*\n$/);
      expect(said(0o444), String(cut)).toEqual(writable);
    }
  });
});

describe('a database read-only to the user with a -wal left beside it and no -shm (copied with it, or left by a program that ended)', () => {
  // breaks it: read-only-copy.ts databaseBytes reading such a -wal through SQLite in place (serializedReadOnly(file)): in
  // a read-only folder "unexpected error: Out of memory (this is a bug ...)", exit 1; in a writable one a -shm left beside
  // the database, read-only, which a later sync is refused by
  it('summary and config get read its commits, in a read-only folder or a writable one, and nothing is made beside them', () => {
    for (const folderToo of [false, true]) {
      const folder = fs.mkdtempSync(path.join(dir, 'left-wal-'));
      const file = path.join(folder, 'copied.db');
      // (the -wal copied as it stands while its writer is open, then the writer closed: a -wal with no program nor -shm)
      const writer = openWithCommitInWal(path.join(fs.mkdtempSync(path.join(dir, 'writer-')), 'walking.db'));
      try {
        fs.copyFileSync(writer.name, file);
        fs.copyFileSync(`${writer.name}-wal`, `${file}-wal`);
      } finally {
        writer.close();
      }
      expectWalCommitRead(file, folder, { folderToo, label: folderToo ? 'read-only folder' : 'writable folder' });
    }
  });
});

describe('retrostep sim --state', () => {
  it('a folder that does not exist, or a file that is no pod state: one line, exit 2 (bad input), nothing made', () => {
    const junk = path.join(dir, 'junk.flash');
    fs.writeFileSync(junk, 'not a pod');
    const cases: [string, RegExp][] = [
      [path.join(dir, 'nope', 'pod.flash'), /^retrostep: cannot keep the virtual pod's state in .*pod\.flash: folder .*nope does not exist\n$/],
      // (named by --state: not "delete it", as a slip names a recording, an export or a report)
      [junk, /^retrostep: .*junk\.flash is not a virtual pod state file \(9 bytes, expected \d+\): pick another --state\n$/],
      [dir, /^retrostep: .* is a folder, not a virtual pod state file: pick a file with --state, e.g. --state pod.flash\n$/],
    ];
    for (const [state, want] of cases) {
      const r = runCli(['--state', state, 'sim']);
      expect(r.code, state).toBe(2);
      expect(r.stderr, state).toMatch(want);
    }
    expect(fs.existsSync(path.join(dir, 'nope'))).toBe(false);
    expect(fs.readFileSync(junk, 'utf8')).toBe('not a pod');
  });

  it('a file --state names that is no pod state (a recording, meant for replay) is not to be deleted; the data folder\'s own, of the wrong size, is', () => {
    const recording = path.join(dir, 'walk.csv');
    fs.writeFileSync(recording, '# retrostep recording v1\nt_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps,label\n0,0,0,1,0,0,0,\n');
    for (const args of [['--state', recording, 'sim'], ['--db', db, '--state', recording, '--sim', 'sync']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/walk\.csv is not a virtual pod state file \(\d+ bytes, expected \d+\): pick another --state\n$/);
    }
    const data = fs.mkdtempSync(path.join(dir, 'data-'));
    fs.mkdirSync(path.join(data, 'retrostep'));
    fs.writeFileSync(path.join(data, 'retrostep', 'sim-pod.flash'), 'an older retrostep');
    const own = runCli(['--db', db, '--sim', 'sync'], { XDG_DATA_HOME: data });
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/sim-pod\.flash is not a virtual pod state file \(18 bytes, expected \d+\): delete it or pick another --state\n$/);
  });

  it('--walk-days on a pod that has walked before is refused, its state unchanged: it walked the same days again, and a sync stored their minutes twice', async () => {
    const state = path.join(dir, 'walked.flash');
    const first = await startSim(['--state', state], ['--walk-days', '1']);
    await first.stop();
    const bytes = fs.readFileSync(state);
    const again = runCli(['--state', state, 'sim', '--walk-days', '1']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^retrostep: the virtual pod in .*walked\.flash has walked before \(\d+ minutes\): --walk-days would walk its days again, and a sync would store those minutes twice; leave --walk-days out to serve it as it is, or give a new --state for a pod that walks them\n$/);
    expect(fs.readFileSync(state).equals(bytes)).toBe(true);
    expect(fs.existsSync(`${state}.lock`)).toBe(false);
  }, 120_000);

  it('sim stopped by Ctrl-C while --walk-days walks: one line saying how far it got and that none of it is kept, exit 130, the state\'s lock let go (it ended without a word, the lock left)', async () => {
    const state = path.join(dir, 'walk-stopped.flash');
    const { code, stderr } = await ctrlCOnceShown(['--state', state, 'sim', '--walk-days', '30'], '- walked ', 'the first day walked');
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(new RegExp(`^retrostep: sim stopped \\(Ctrl-C\\) after walking ([1-9]|[12]\\d) of 30 days: none of them are kept \\(a pod that has walked cannot walk the rest\\), and no state file was made at ${state.replace(/[.]/g, '\\.')}; run \`retrostep --state ${state.replace(/[.]/g, '\\.')} sim --walk-days 30\` again\n$`));
    expect(fs.existsSync(`${state}.lock`)).toBe(false);
    expect(fs.existsSync(state)).toBe(false);
  }, 120_000);

  it('--state with --port or --ble, whose pod is not read from it, is refused, as is --state without --sim (it was passed over without a word, and the pod looked for over Bluetooth)', () => {
    const state = path.join(dir, 'named.flash');
    const cases: [string[], string][] = [
      [['--port', '/dev/pts/999', 'sync'], "retrostep: --state is the virtual pod's, for `sim` and --sim: the pod reached with --port /dev/pts/999 is not read from it; leave --state out\n"],
      [['--ble', 'retrostep-1234', 'buzz'], "retrostep: --state is the virtual pod's, for `sim` and --sim: the pod reached with --ble retrostep-1234 is not read from it; leave --state out\n"],
      [['config', 'get'], "retrostep: --state is the virtual pod's, for `sim` and --sim: give --sim too (without it, the pod is looked for over Bluetooth)\n"],
      [['flash'], "retrostep: --state is the virtual pod's, for `sim` and --sim: give --sim too (without it, the pod is looked for over Bluetooth)\n"],
    ];
    openDb(db).close();
    for (const [args, want] of cases) {
      const r = runCli(['--db', db, '--state', state, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(want);
    }
    expect(fs.existsSync(state)).toBe(false);
  });

  it('--state (or --sim) with a command that does not reach the virtual pod (web, scan --serial, summary, plan, demo, replay, config of your settings only) is refused with what the command does instead, exit 2, before any work (it was passed over without a word)', () => {
    const state = path.join(dir, 'unread.flash');
    const is = "retrostep: --state is the virtual pod's, for `sim` and --sim:";
    const sync = `(\`retrostep --state ${state} --sim sync\` copies its minutes into the database); leave --state out\n`;
    const cases: [string[], string][] = [
      [['web'], `${is} \`web\` serves a page that syncs a pod over Web Bluetooth, in the browser, not the virtual pod ${sync}`],
      [['scan', '--serial'], `${is} \`scan --serial\` lists this computer's serial ports, not the virtual pod; leave --state out\n`],
      [['scan'], `${is} give --sim too (without it, the pod is looked for over Bluetooth)\n`],
      [['summary'], `${is} \`summary\` reads the database, not the virtual pod ${sync}`],
      [['plan'], `${is} \`plan\` reads the database, not the virtual pod ${sync}`],
      [['demo'], `${is} \`demo\` walks a virtual pod of its own, not this one; leave --state out\n`],
      [['replay', 'walk.csv'], `${is} \`replay\` reads a recording, not the virtual pod; leave --state out\n`],
      [['config', 'get', '--local'], `${is} \`config get --local\` shows your settings, from the database, not those on the virtual pod; leave --state out\n`],
      [['--sim', 'config', 'set', 'weight_kg=70'], `${is} weight_kg is yours, kept in the database, not on the virtual pod; leave --state out\n`],
    ];
    openDb(db).close();
    const before = fs.readFileSync(db);
    for (const [args, want] of cases) {
      const r = runCli(['--db', db, '--state', state, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(want);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.existsSync(state)).toBe(false);
    // --sim alone as well (`summary --sim` read the database as summary does, not the virtual pod it named)
    const simCases: [string[], string][] = [
      [['--sim', 'summary'], "retrostep: --sim: `summary` reads the database, not the virtual pod (`retrostep --sim sync` copies its minutes into the database); leave --sim out\n"],
      [['--sim', 'scan', '--serial'], "retrostep: --sim: `scan --serial` lists this computer's serial ports, not the virtual pod; leave --sim out\n"],
      [['--sim', 'config', 'set', 'weight_kg=70'], 'retrostep: --sim: weight_kg is yours, kept in the database, not on the virtual pod; leave --sim out\n'],
    ];
    expectRefused(db, simCases);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  it('--sim, --port or --ble with a command that reaches no pod (report, export, sim too, which keep --state) is refused, naming the pod it would have meant, exit 2, before any work: `--port /dev/ttyACM0 summary` read the database as if it were that pod\'s', () => {
    openDb(db).close();
    const before = fs.readFileSync(db);
    const out = path.join(dir, 'not-written.html');
    const cases: [string[], string][] = [
      [['--port', '/dev/ttyACM0', 'summary'], 'retrostep: --port: `summary` reads the database, not the pod on /dev/ttyACM0 (`retrostep --port /dev/ttyACM0 sync` copies its minutes into the database); leave --port out\n'],
      [['--ble', 'summary'], 'retrostep: --ble: `summary` reads the database, not a pod retrostep finds over Bluetooth (`retrostep --ble sync` copies its minutes into the database); leave --ble out\n'],
      [['--ble', 'my pod', 'plan'], "retrostep: --ble: `plan` reads the database, not a pod retrostep finds over Bluetooth (`retrostep --ble 'my pod' sync` copies its minutes into the database); leave --ble out\n"],
      [['--sim', 'report', '--out', out], 'retrostep: --sim: `report` reads the database, not the virtual pod (`retrostep --sim sync` copies its minutes into the database); leave --sim out\n'],
      [['--port', '/dev/ttyACM0', 'export', '--format', 'csv'], 'retrostep: --port: `export` reads the database, not the pod on /dev/ttyACM0 (`retrostep --port /dev/ttyACM0 sync` copies its minutes into the database); leave --port out\n'],
      [['--port', '/dev/ttyACM0', 'replay', 'walk.csv'], 'retrostep: --port: `replay` reads a recording, not the pod on /dev/ttyACM0; leave --port out\n'],
      [['--ble', 'config', 'set', 'weight_kg=70'], 'retrostep: --ble: weight_kg is yours, kept in the database, not on a pod retrostep finds over Bluetooth; leave --ble out\n'],
      [['--sim', 'sim'], 'retrostep: --sim: `sim` runs the virtual pod itself, on a pseudo-terminal the other commands reach with --port; leave --sim out\n'],
      [['--port', '/dev/pts/3', 'sim'], 'retrostep: --port: `sim` runs the virtual pod on a new pseudo-terminal, not the pod on /dev/pts/3; leave --port out\n'],
    ];
    expectRefused(db, cases);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
    // `web`'s own --port is the page's, not a pod's: taken (its check of the number answers)
    const web = runCli(['--db', db, 'web', '--port', '99999']);
    expect(web.stderr).toMatch(/--port must be a port number/);
  });

  it('--port and --ble after the command are refused as before it (the program\'s options work in either place): `summary --port /dev/ttyACM0` read the database without a word', () => {
    openDb(db).close();
    const before = fs.readFileSync(db);
    const out = path.join(dir, 'not-written-after.html');
    const cases: [string[], string][] = [
      [['summary', '--port', '/dev/ttyACM0'], 'retrostep: --port: `summary` reads the database, not the pod on /dev/ttyACM0 (`retrostep --port /dev/ttyACM0 sync` copies its minutes into the database); leave --port out\n'],
      [['summary', '--ble'], 'retrostep: --ble: `summary` reads the database, not a pod retrostep finds over Bluetooth (`retrostep --ble sync` copies its minutes into the database); leave --ble out\n'],
      [['plan', '--ble', 'my pod'], "retrostep: --ble: `plan` reads the database, not a pod retrostep finds over Bluetooth (`retrostep --ble 'my pod' sync` copies its minutes into the database); leave --ble out\n"],
      [['report', '--out', out, '--port', '/dev/ttyACM0'], 'retrostep: --port: `report` reads the database, not the pod on /dev/ttyACM0 (`retrostep --port /dev/ttyACM0 sync` copies its minutes into the database); leave --port out\n'],
      [['config', 'get', '--local', '--port', '/dev/ttyACM0'], 'retrostep: --port: `config get --local` shows your settings, from the database, not those on the pod on /dev/ttyACM0; leave --port out\n'],
      [['config', 'set', 'weight_kg=70', '--ble'], 'retrostep: --ble: weight_kg is yours, kept in the database, not on a pod retrostep finds over Bluetooth; leave --ble out\n'],
      [['web', '--port', '8080', '--ble'], 'retrostep: --ble: `web` serves a page that syncs a pod over Web Bluetooth, in the browser, not a pod retrostep finds over Bluetooth (`retrostep --ble sync` copies its minutes into the database); leave --ble out\n'],
      [['sim', '--port', '/dev/pts/3'], 'retrostep: --port: `sim` runs the virtual pod on a new pseudo-terminal, not the pod on /dev/pts/3; leave --port out\n'],
      [['scan', '--serial', '--port', '/dev/ttyACM0'], "retrostep: --port: `scan --serial` lists this computer's serial ports, not the pod on /dev/ttyACM0; leave --port out\n"],
    ];
    expectRefused(db, cases);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('scan with --port (before or after it) is refused, exit 2, before any Bluetooth is asked: `--port /dev/ttyACM0 scan` was told "no usable Bluetooth LE adapter ... or connect the pod over USB serial instead", of the pod on USB serial it named', () => {
    const refusal = (port: string, typed: string) => `retrostep: --port: \`scan\` listens for pods over Bluetooth, not on ${port}: \`retrostep --port ${typed} sync\` reaches the pod there, and \`retrostep scan --serial\` lists the serial ports; leave --port out\n`;
    expectRefused(db, [
      [['--port', '/dev/ttyACM0', 'scan'], refusal('/dev/ttyACM0', '/dev/ttyACM0')],
      [['scan', '--json', '--port', '/dev/my pod'], refusal('/dev/my pod', "'/dev/my pod'")],
    ]);
  });

  it('a database for the state (--state week.db, meant for --db): said to be a database, for sim and --sim alike, exit 2, the file unchanged (it was told "delete it")', () => {
    const week = path.join(dir, 'state-is-a.db');
    openDb(week).close();
    const bytes = fs.readFileSync(week);
    for (const args of [['--state', week, 'sim'], ['--db', db, '--state', week, '--sim', 'sync']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: ${week} is a database (--db names those), not a virtual pod state file: pick another --state\n`);
    }
    expect(fs.readFileSync(week).equals(bytes)).toBe(true);
  });

  it('sim --walk-days that is not a whole number of days: one line, exit 2, before any pod is made ("" was read as 0, a script\'s unset variable, and 0x10 as 16)', () => {
    for (const given of ['', ' ', '0x10', '1e1', '2.5', '-1', '61']) {
      const state = path.join(dir, 'walk-days.flash');
      const r = runCli(['--state', state, 'sim', '--walk-days', given]);
      expect(r.code, given).toBe(2);
      expect(r.stderr, given).toBe(`retrostep: --walk-days must be a whole number from 0 to 60, not "${given}"\n`);
      expect(fs.existsSync(state), given).toBe(false);
    }
  });

  it('a folder for --sim\'s state too: one line, exit 2, not "unexpected error: EISDIR"', () => {
    const r = runCli(['--db', db, '--state', dir, '--sim', 'sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`retrostep: ${dir} is a folder, not a virtual pod state file: pick a file with --state, e.g. --state pod.flash\n`);
  });

  it('a device for the state (--state /dev/null), for sim and --sim alike: one line, exit 2, before its lock is taken beside it (it was taken in /dev, and the state refused with "delete it")', () => {
    for (const args of [['--state', '/dev/null', 'sim'], ['--db', db, '--state', '/dev/null', '--sim', 'sync']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe('retrostep: /dev/null is not a file (a device?), so it cannot keep a virtual pod\'s state: pick a file with --state, e.g. --state pod.flash\n');
    }
  });

  it('an empty --state (a script\'s unset variable), for sim and --sim alike: one line, exit 2, no lock or state file made here', () => {
    for (const args of [['--state', '', 'sim'], ['--db', db, '--state', '', '--sim', 'sync']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe('retrostep: --state is empty: give a file, e.g. --state pod.flash\n');
    }
    // (the CLI runs in this process's folder)
    expect(fs.existsSync('.lock')).toBe(false);
    expect(fs.existsSync('.tmp')).toBe(false);
  });
});

describe('retrostep demo --seed', () => {
  it('not a whole number: one line, exit 2, before anything runs', () => {
    for (const seed of ['abc', '-1', '1.5', '4294967296']) {
      const r = runCli(['--db', path.join(dir, 'demo.db'), 'demo', '--seed', seed]);
      expect(r.code, seed).toBe(2);
      expect(r.stderr.trim().split('\n'), seed).toHaveLength(1);
      expect(r.stderr, seed).toMatch(/--seed must be a whole number/);
      expect(r.stdout, seed).toBe('');
    }
  });
});
