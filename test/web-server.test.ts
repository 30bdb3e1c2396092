/**
 * The `retrostep web` server's gate: loopback only, its own Host and Origin
 * only, no CORS, and records only in the protocol's validated form. A refused
 * request stores nothing. (The page itself is tested in web-browser.test.ts.)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { type Db, LOCKED_BY, openDb } from '../host/src/store/db.js';
import { DB_FAILURE_STATUS } from '../host/src/web/db-failure-status.js';
import { startWebServer, type WebServer } from '../host/src/web/server.js';
import { reportQuery } from '../host/web/page/report-period.js';
import { earlierPeriod, localDate } from '../host/src/report/period.js';
import { BIN, runCli } from './helpers/cli.js';
import { RECORD_FOLDED } from '../shared/protocol/records.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-web-server-'));
let db: Db;
let server: WebServer;
let own: string;
const POD = 'd37a4219c65e';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: unlike fetch, it can send any Host and Origin, as a hostile page or a rebinding DNS name would make a browser do. */
function request(method: string, urlPath: string, o: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path: urlPath, headers: { host: `127.0.0.1:${server.port}`, ...o.headers } }, (res) => {
      let body = '';
      res.on('data', (b) => (body += b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const post = (urlPath: string, body: unknown, headers: Record<string, string> = {}) =>
  request('POST', urlPath, { headers: { 'content-type': 'application/json', origin: own, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

function record(seq: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { seq, start_s: 1_795_000_000 + 60 * seq, flags: 1, forward: 40, backward: 10, heel: 40, flat: 0, toe: 10, wrong: 1, buzzes: 1, cadence_spm: 100, active_s: 60, ...over };
}

const count = () => (db.prepare('SELECT COUNT(*) n FROM records').get() as { n: number }).n;
const pods = () => (db.prepare('SELECT COUNT(*) n FROM pods').get() as { n: number }).n;

beforeAll(async () => {
  db = openDb(path.join(dir, 'web.db'));
  server = await startWebServer({ db, bundle: '/* the page script */' });
  own = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('retrostep web server', () => {
  it('listens on loopback only, on the port it prints', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves its page and script with a CSP and no CORS header', async () => {
    const page = await request('GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/app.js"></script>');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const js = await request('GET', '/app.js', { headers: { origin: own } });
    expect(js.body).toBe('/* the page script */');
    // localhost is the same server
    expect((await request('GET', '/', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
    // what a browser says of the page's own requests, and of an address typed or clicked
    expect((await request('GET', '/report', { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await request('GET', '/', { headers: { 'sec-fetch-site': 'none' } })).status).toBe(200);
  });

  it('refuses other origins, other Host names (DNS rebinding), POSTs without an Origin and other sites\' plain GETs, storing nothing', async () => {
    const pod = { pod_id: POD, name: 'retrostep-c65e', fw_version: '1' };
    const evil = await post('/api/pods', pod, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect((await post('/api/pods', pod, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await request('POST', '/api/pods', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(pod) })).status).toBe(403);
    expect((await request('GET', '/', { headers: { host: `rebound.example:${server.port}` } })).status).toBe(403);
    expect((await request('GET', `/api/pods/${POD}/last-seq`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    // a plain GET from another site's <img> or <script> carries no Origin, but the browser says whose it is
    expect((await request('GET', '/report', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await request('GET', `/api/pods/${POD}/last-seq`, { headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    // a CORS preflight from elsewhere gets no permission
    const preflight = await request('OPTIONS', '/api/records', { headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(pods()).toBe(0);
  });

  it('takes a pod and its records in the protocol form: new ones added, repeats not doubled', async () => {
    expect((await post('/api/pods', { pod_id: POD, name: 'retrostep-c65e', fw_version: '1' })).status).toBe(200);
    const first = await post('/api/records', { pod_id: POD, records: [record(0), record(1)] });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ added: 2 });
    expect(JSON.parse((await post('/api/records', { pod_id: POD, records: [record(1), record(2)] })).body)).toEqual({ added: 1 });
    expect(JSON.parse((await request('GET', `/api/pods/${POD}/last-seq`)).body)).toEqual({ last_seq: 2 });
    expect(count()).toBe(3);
    // (what the pod had freed when this database last heard from it: 0 before any status)
    expect(JSON.parse((await request('GET', `/api/pods/${POD}/first-seq-heard`)).body)).toEqual({ first_seq: 0 });
    const status = { battery_pct: 15, flags: 64, first_seq: 2, next_seq: 3, stored: 1, capacity: 1900, ram_pending: 0, mode: 0 };
    expect((await post('/api/status', { pod_id: POD, status })).status).toBe(200);
    expect(JSON.parse((db.prepare('SELECT status_json FROM pods').get() as { status_json: string }).status_json)).toEqual(status);
    expect(JSON.parse((await request('GET', `/api/pods/${POD}/first-seq-heard`)).body)).toEqual({ first_seq: 2 });
  });

  it("keeps the pod's settings as the page's sync read them (the plan reads its coach), refusing one out of its layout or of a pod not posted", async () => {
    const config = { buzz_on: 1, wrong_rule: 1, coach_steps: 20, daily_goal_min: 10, fwd_stride_cm: 130, bwd_stride_cm: 70 };
    expect((await post('/api/config', { pod_id: POD, config })).status).toBe(200);
    expect(JSON.parse((db.prepare('SELECT config_json FROM pods WHERE pod_id = ?').get(POD) as { config_json: string }).config_json)).toEqual(config);
    expect((await post('/api/config', { pod_id: POD, config: { ...config, coach_steps: 300 } })).status).toBe(400);
    expect((await post('/api/config', { pod_id: '0000000000ff', config })).status).not.toBe(200);
  });

  it('takes a record a full pod folded later minutes into (RECORD_FOLDED: over 60 active seconds), stored as folded', async () => {
    const r = await post('/api/records', { pod_id: POD, records: [record(3, { flags: 1 | RECORD_FOLDED, forward: 255, active_s: 255 })] });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ added: 1 });
    expect(db.prepare('SELECT folded, active_s FROM records WHERE seq = 3').get()).toEqual({ folded: 1, active_s: 255 });
    db.prepare('DELETE FROM records WHERE seq = 3').run();
  });

  it('gives back stored records in the protocol form, for the sync to compare with the pod\'s before it frees them', async () => {
    const got = await request('GET', `/api/pods/${POD}/records?from=1&to=5`);
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toEqual({ records: [record(1), record(2)] });
    for (const q of ['from=2&to=1', 'from=-1&to=2', 'from=0&to=999', 'from=a&to=2', 'to=2']) expect((await request('GET', `/api/pods/${POD}/records?${q}`)).status, q).toBe(400);
  });

  it("a pod that numbers its minutes from 0 again (its Storage wiped): its records stay, and its new numbering is stored after them, in the pod's own numbers", async () => {
    const WIPED = 'aabbccddeeff';
    expect((await post(`/api/pods/${WIPED}/new-history`, {})).status).toBe(400); // not POSTed yet
    await post('/api/pods', { pod_id: WIPED, name: 'retrostep-eeff', fw_version: '1' });
    await post('/api/records', { pod_id: WIPED, records: [record(0), record(1)] });
    const started = await post(`/api/pods/${WIPED}/new-history`, {});
    expect(JSON.parse(started.body)).toEqual({ kept: 2 });
    expect(JSON.parse((await request('GET', `/api/pods/${WIPED}/last-seq`)).body)).toEqual({ last_seq: -1 });
    const again = record(0, { forward: 7 });
    expect(JSON.parse((await post('/api/records', { pod_id: WIPED, records: [again] })).body)).toEqual({ added: 1 });
    expect(JSON.parse((await request('GET', `/api/pods/${WIPED}/last-seq`)).body)).toEqual({ last_seq: 0 });
    expect(JSON.parse((await request('GET', `/api/pods/${WIPED}/records?from=0&to=5`)).body)).toEqual({ records: [again] });
    expect(db.prepare('SELECT seq, forward FROM records WHERE pod_id = ? ORDER BY seq').all(WIPED)).toEqual([0, 1, 2].map((seq) => ({ seq, forward: seq === 2 ? 7 : record(seq).forward })));
    db.prepare('DELETE FROM records WHERE pod_id = ?').run(WIPED);
    db.prepare('DELETE FROM pods WHERE pod_id = ?').run(WIPED);
  });

  it('a bad pod id in the path, bad %-escapes too, is a 400 naming it, not a 500', async () => {
    for (const id of ['nothex', '%E0%A4%A', '%', POD.toUpperCase()]) {
      for (const route of [`/api/pods/${id}/last-seq`, `/api/pods/${id}/records?from=0&to=1`]) {
        const r = await request('GET', route);
        expect(r.status, route).toBe(400);
        expect(JSON.parse(r.body), route).toEqual({ error: 'a pod id is 12 hex digits' });
      }
    }
  });

  // each with the error it gets: the field at fault named (the words after it are zod's), or the server's own sentence
  it.each([
    ['not JSON', '{"pod_id": "d37a4219c65e", "records": [', /^the body is not JSON$/],
    ['a count over 255 (u8)', { pod_id: POD, records: [record(10, { backward: 256 })] }, /^records\.0\.backward: /],
    ['more than 60 active seconds in a minute', { pod_id: POD, records: [record(10, { active_s: 61 })] }, /^records\.0\.active_s: active_s over 60 in a record not folded/],
    ['a negative seq', { pod_id: POD, records: [record(-1)] }, /^records\.0\.seq: /],
    ['a fraction', { pod_id: POD, records: [record(10, { forward: 1.5 })] }, /^records\.0\.forward: /],
    ['a number as a string', { pod_id: POD, records: [record(10, { forward: '12' })] }, /^records\.0\.forward: /],
    ['a field the protocol does not have', { pod_id: POD, records: [record(10, { steps: 3 })] }, /^records\.0: .*"steps"/],
    ['a missing field', { pod_id: POD, records: [(({ wrong: _w, ...r }) => r)(record(10))] }, /^records\.0\.wrong: /],
    ['a bad pod id', { pod_id: 'DROP TABLE records', records: [record(10)] }, /^pod_id: a pod id is 12 lower-case hex digits$/],
    ['no records', { pod_id: POD, records: [] }, /^records: /],
    ['one good record beside a bad one', { pod_id: POD, records: [record(10), record(11, { toe: 999 })] }, /^records\.1\.toe: /],
    ['a pod never announced', { pod_id: 'aabbccddeeff', records: [record(10)] }, /^unknown pod aabbccddeeff: POST \/api\/pods first$/],
  ])('refuses %s with 400 naming why, and stores nothing', async (_what, body, why) => {
    const before = count();
    const r = await post('/api/records', body);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toMatch(why);
    expect(count()).toBe(before);
  });

  it('refuses a status out of its layout, a non-JSON content type and an oversized body', async () => {
    const bad = { battery_pct: 15, flags: 70000, first_seq: 0, next_seq: 3, stored: 3, capacity: 1900, ram_pending: 0, mode: 0 };
    expect((await post('/api/status', { pod_id: POD, status: bad })).status).toBe(400);
    // what a cross-site form could send without a preflight
    expect((await post('/api/records', JSON.stringify({ pod_id: POD, records: [record(20)] }), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('/api/records', { pod_id: POD, records: Array.from({ length: 3000 }, (_, i) => record(100 + i)) })).status).toBe(413);
    expect(count()).toBe(3);
  });

  it("a write its database refuses (locked by another program) is a 503 with the CLI's line, the file named, and stores nothing: it was a 500, \"retrostep web: database is locked\"", async () => {
    const file = path.join(dir, 'web.db');
    const before = pods();
    // (a write held open as the sqlite3 shell's `BEGIN IMMEDIATE;` or a browser's unsaved edit holds it; the server
    // waits its busy timeout, then gives up)
    const other = new Database(file, { timeout: 0 });
    other.exec('BEGIN IMMEDIATE');
    try {
      const r = await post('/api/pods', { pod_id: 'aabbccddeeff', name: 'retrostep-eeff', fw_version: '1' });
      expect(r.status).toBe(DB_FAILURE_STATUS);
      expect(JSON.parse(r.body)).toEqual({ error: `database ${file} is ${LOCKED_BY}: wait for it to finish and try again` });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(pods()).toBe(before);
  }, 30_000);

  it('serves the report for a period, and a bad period is a 400', async () => {
    const report = await request('GET', '/report?from=2026-11-01&to=2026-11-07');
    expect(report.status).toBe(200);
    expect(report.body).toContain('2026-11-01 to 2026-11-07');
    expect((await request('GET', '/report?week=yesterday')).status).toBe(400);
    // a long period, as the page's own link takes one (/report?from=...), over the records posted above: its days summed as `retrostep report` sums them, not a row and two bars a day (20,000 days, a page of 27 MB)
    const all = await request('GET', '/report?from=1970-01-01');
    expect(all.status).toBe(200);
    expect(all.body.length).toBeLessThan(200_000);
    expect(all.body).toMatch(/<p data-unit="(day|week|month|year)">/);
    expect((await request('GET', '/nothing-here')).status).toBe(404);
    // one pod's report: a pod this database holds, or said unknown (not a report of zeros)
    expect((await request('GET', `/report?pod=${POD}&from=2026-11-01&to=2026-11-07`)).status).toBe(200);
    expect((await request('GET', '/report?pod=&from=2026-11-01&to=2026-11-07')).status).toBe(200);
    // ...named by its address, as `sim` and `scan` print it (as `retrostep report --pod` takes it)
    const address = POD.toUpperCase().match(/../g)!.join(':');
    const byAddress = await request('GET', `/report?pod=${encodeURIComponent(address)}&from=2026-11-01&to=2026-11-07`);
    expect(byAddress.status, byAddress.body.slice(0, 200)).toBe(200);
    expect(byAddress.body).toBe((await request('GET', `/report?pod=${POD}&from=2026-11-01&to=2026-11-07`)).body);
    const unknown = await request('GET', '/report?pod=ffffffffffff');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('no pod ffffffffffff in this database');
    // ...or by its name as the report shows it (as --pod takes it: it was a 404); a name two pods share is a 400 with their ids
    const byName = await request('GET', '/report?pod=retrostep-c65e&from=2026-11-01&to=2026-11-07');
    expect(byName.status, byName.body.slice(0, 200)).toBe(200);
    expect(byName.body).toBe((await request('GET', `/report?pod=${POD}&from=2026-11-01&to=2026-11-07`)).body);
    expect((await post('/api/pods', { pod_id: 'aaaaaaaac65e', name: 'retrostep-c65e', fw_version: '1' })).status).toBe(200);
    // two pods walking the same minutes: the note links each pod's report of the same period (a page cannot run
    // the `retrostep report --pod ID` a written report names), the page's cache-buster left out
    expect((await post('/api/records', { pod_id: 'aaaaaaaac65e', records: [record(0), record(1)] })).status).toBe(200);
    // (the records' minutes, 1_795_000_000 s on, are on 2026-11-18)
    const together = await request('GET', '/report?from=2026-11-15&to=2026-11-21&t=123');
    expect(together.body).toContain('data-mixed="together"');
    expect(together.body).not.toContain('retrostep report --pod');
    const links = [...together.body.matchAll(/<a href="([^"]+)" target="_blank">([^<]+)<\/a>/g)].map((m) => [m[1].replace(/&amp;/g, '&'), m[2]]);
    expect(links).toEqual([`/report?from=2026-11-15&to=2026-11-21&pod=aaaaaaaac65e`, `/report?from=2026-11-15&to=2026-11-21&pod=${POD}`].map((href) => [href, 'retrostep-c65e']));
    const followed = await request('GET', links[1][0]);
    expect(followed.status).toBe(200);
    expect(followed.body).not.toContain('data-mixed');
    const shared = await request('GET', '/report?pod=retrostep-c65e');
    expect(shared.status).toBe(400);
    expect(shared.body).toContain(`2 pods are named retrostep-c65e: give one's id (aaaaaaaac65e, ${POD})`);
  });
});

/** A port nobody listens on now (the OS picks it; closed again before use). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `retrostep ...args` until it prints its address, then `whileServing` it (the page's requests), then `signal`
 * (Ctrl-C), or until it exits: its address, output and exit code. `db`: its --db.
 */
function runWeb(args: string[], o: { db?: string; whileServing?: (url: string) => Promise<void>; signal?: NodeJS.Signals } = {}): Promise<{ url: string | null; out: string; code: number | null }> {
  const child = spawn(process.execPath, [BIN, '--db', o.db ?? path.join(dir, 'cli.db'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let url: string | null = null;
  const onData = (b: Buffer) => {
    out += b;
    const m = /open (http:\/\/\S+)/.exec(out);
    if (m && url === null) {
      url = m[1];
      void (o.whileServing?.(url) ?? Promise.resolve()).finally(() => child.kill(o.signal ?? 'SIGINT'));
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => child.once('close', (code) => resolve({ url, out, code })));
}

describe('retrostep web (the command)', () => {
  it('--port picks the port it serves on; the serial --port given before the command is refused, as for every command that reaches no pod', async () => {
    const port = await freePort();
    const r = await runWeb(['web', '--port', String(port)]);
    expect(r.url).toBe(`http://127.0.0.1:${port}/`);
    expect(r.code).toBe(0);
    // (it was passed over without a word, as by summary; refused since, commands/link-option.ts refuseLinkOptions)
    const refused = 'retrostep: --port: `web` serves a page that syncs a pod over Web Bluetooth, in the browser, not the pod on /dev/ttyACM0 (`retrostep --port /dev/ttyACM0 sync` copies its minutes into the database); leave --port out\n';
    for (const args of [['--port', '/dev/ttyACM0', 'web', '--port', String(await freePort())], ['--port', '/dev/ttyACM0', 'web']]) {
      const both = runCli(['--db', path.join(dir, 'cli.db'), ...args]);
      expect(both.code, args.join(' ')).toBe(2);
      expect(both.stderr, args.join(' ')).toBe(refused);
      expect(both.stdout, args.join(' ')).toBe('');
    }
  });

  // breaks it: web's stop line left out (it ended with exit 0 and no word, where sim, live and record say what they did);
  // each POST /api/pods counted as a sync (a sync resumed after a dropped link posts its pod again: "2 syncs")
  it('stopped by Ctrl-C or SIGTERM, it says what its page stored: the pods synced and the minute records new to the database, a sync resumed not counted again; exit 0', async () => {
    const db = path.join(dir, 'stop-line.db');
    /** A sync as the page makes one: its pod posted first, then its records (the second, as a sync resumed after its link dropped, finds the first two stored). */
    const sync = async (url: string, seqs: number[]) => {
      const origin = url.replace(/\/$/, '');
      const send = (p: string, body: unknown) => fetch(`${origin}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
      expect((await send('/api/pods', { pod_id: POD, name: 'retrostep-c65e', fw_version: '1' })).status).toBe(200);
      expect((await send('/api/records', { pod_id: POD, records: seqs.map((seq) => record(seq)) })).status).toBe(200);
    };
    const synced = await runWeb(['web'], { db, whileServing: async (url) => (await sync(url, [0, 1]), await sync(url, [0, 1, 2])) });
    expect(synced.code, synced.out).toBe(0);
    expect(synced.out.trimEnd().split('\n').at(-1)).toBe(`web stopped (Ctrl-C): retrostep-c65e synced through its page, 3 new minute records stored in ${db}`);
    const idle = await runWeb(['web'], { db, signal: 'SIGTERM' });
    expect(idle.code, idle.out).toBe(0);
    expect(idle.out.trimEnd().split('\n').at(-1)).toBe(`web stopped (SIGTERM): no pod was synced through its page, nothing stored in ${db}`);
  });

  it("a number given as the program's --port, before the command, was meant as web's: one line, exit 2, saying where it goes", () => {
    const r = runCli(['--db', path.join(dir, 'cli.db'), '--port', '8080', 'web']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('retrostep: --port 8080 before "web" names a serial port, which web does not use: put web\'s port after it (retrostep web --port 8080)');
    expect(r.stdout).toBe('');
  });

  it('a bad port or one in use: one line, exit 2, nothing served', async () => {
    for (const bad of ['abc', '70000', '-1', '0', '80.5']) {
      const r = runCli(['--db', path.join(dir, 'cli.db'), 'web', '--port', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr.trim().split('\n'), bad).toHaveLength(1);
      expect(r.stderr, bad).toMatch(/--port must be a port number/);
      expect(r.stdout, bad).toBe('');
    }
    // the port the server of this file listens on
    const r = runCli(['--db', path.join(dir, 'cli.db'), 'web', '--port', String(server.port)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`port ${server.port} is in use`));
  });
});

describe('retrostep web while another program holds its database', () => {
  // (the server in a process of its own, as a user runs it: one in this process would stop the test's own requests
  // along with its own while it waited, and the test could not tell)
  const file = path.join(dir, 'held.db');
  let web: ReturnType<typeof spawn>;
  let port = 0;
  beforeAll(async () => {
    web = spawn(process.execPath, [BIN, '--db', file, 'web'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    port = await new Promise<number>((resolve, reject) => {
      web.stdout!.on('data', (b: Buffer) => {
        out += b;
        const m = /open http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      web.once('exit', (code) => reject(new Error(`retrostep web exited ${code}: ${out}`)));
    });
  });
  afterAll(async () => {
    const exited = new Promise((resolve) => web.once('exit', resolve));
    web.kill('SIGINT');
    await exited;
  });

  /** A request to that server, and when its answer came (ms since t0). */
  function ask(method: string, urlPath: string, t0: number, body?: unknown): Promise<Answer & { at_ms: number }> {
    const own = `http://127.0.0.1:${port}`;
    const headers = body === undefined ? { host: `127.0.0.1:${port}` } : { host: `127.0.0.1:${port}`, 'content-type': 'application/json', origin: own };
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
        let text = '';
        res.on('data', (b) => (text += b));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, at_ms: Date.now() - t0 }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }
  /** Well under the 5 s a write waits for the lock (BUSY_TIMEOUT_MS): a page that answers in this did not wait on it. */
  const ANSWERED_MS = 2000;
  const pod = (id: string) => ({ pod_id: id, name: `retrostep-${id.slice(-4)}`, fw_version: '1' });

  it('the page, the report and a pod\'s last seq answer at once while a write waits for the lock, and the write then gives up with the CLI\'s line (503): the server answered nothing for the 5 s its write waited inside SQLite', async () => {
    const other = new Database(file, { timeout: 0 });
    // (a write held open, as the sqlite3 shell's `BEGIN IMMEDIATE;` holds it)
    other.exec('BEGIN IMMEDIATE');
    try {
      const t0 = Date.now();
      const write = ask('POST', '/api/pods', t0, pod('aabbccddeeff'));
      // (sent once the write is in: the server has read its body and is waiting)
      await new Promise((r) => setTimeout(r, 200));
      const sent_ms = Date.now() - t0;
      const reads = await Promise.all([ask('GET', '/', t0), ask('GET', '/report', t0), ask('GET', '/api/pods/aabbccddeeff/last-seq', t0)]);
      const written = await write;
      for (const [i, r] of reads.entries()) {
        expect(r.status, `read ${i}`).toBe(200);
        expect(r.at_ms - sent_ms, `read ${i}`).toBeLessThan(ANSWERED_MS);
        expect(r.at_ms, `read ${i}`).toBeLessThan(written.at_ms);
      }
      expect(written.status).toBe(DB_FAILURE_STATUS);
      expect(JSON.parse(written.body)).toEqual({ error: `database ${file} is ${LOCKED_BY}: wait for it to finish and try again` });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  }, 30_000);

  it('a write that found the database locked for a moment is stored once the lock is let go, as the CLI waits for it, not refused', async () => {
    const other = new Database(file, { timeout: 0 });
    other.exec('BEGIN IMMEDIATE');
    const t0 = Date.now();
    const write = ask('POST', '/api/pods', t0, pod('bbbbbbbbbbbb'));
    await new Promise((r) => setTimeout(r, 500));
    other.exec('ROLLBACK');
    other.close();
    const written = await write;
    expect(written.status, written.body).toBe(200);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT pod_id FROM pods WHERE pod_id = ?').get('bbbbbbbbbbbb')).toEqual({ pod_id: 'bbbbbbbbbbbb' });
    check.close();
  }, 30_000);
});

describe("the page's report periods", () => {
  it('each choice is a query /report reads: the periods before the last 7 days and this month by name, dated by the server', () => {
    expect(['', 'day', 'week-before', 'month', 'month-before'].map(reportQuery)).toEqual(['', '?day', '?before=week', '?month', '?before=month']);
  });

  it("?before=week and ?before=month are the periods `retrostep report --week DATE` and `--month YYYY-MM` give for the 7 days before the last 7 and last month, in the server's time zone; anything else before them is a 400", async () => {
    const label = (body: string) => /<p class="period">([^<]*)<\/p>/.exec(body)?.[1];
    const now = new Date();
    const weekBefore = localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 7));
    const lastMonth = localDate(new Date(now.getFullYear(), now.getMonth() - 1, 1)).slice(0, 7);
    const week = await request('GET', '/report?before=week');
    expect(week.status).toBe(200);
    expect(label(week.body)).toBe(label((await request('GET', `/report?week=${weekBefore}`)).body));
    expect(label(week.body)).toMatch(new RegExp(`^week \\d{4}-\\d\\d-\\d\\d to ${weekBefore}$`));
    expect(label((await request('GET', '/report?before=month')).body)).toBe(`month ${lastMonth}`);
    expect(earlierPeriod('week', new Date(2026, 0, 5, 9, 30))).toEqual({ week: '2025-12-29' });
    expect(earlierPeriod('month', new Date(2026, 2, 31))).toEqual({ month: '2026-02' });
    for (const q of ['before=year', 'before=', 'before=week&day', 'before=month&from=2026-11-01']) expect((await request('GET', `/report?${q}`)).status, q).toBe(400);
  });
});
