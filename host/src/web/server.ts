/**
 * The `retrostep web` server: serves the sync page and its script, and
 * stores what the page syncs through the CLI's own store code
 * (store/sync-store.ts) into the same SQLite database.
 *
 * Who may talk to it: it listens on 127.0.0.1 only, and answers only
 * requests addressed to itself (Host 127.0.0.1:PORT or localhost:PORT, which
 * stops DNS rebinding) from its own page (Origin, when a browser sends one;
 * always required on a POST; Sec-Fetch-Site, which browsers send on every
 * request, same-origin or typed). It sends no CORS headers, so other sites can
 * neither read its answers nor post JSON to it. Bodies are JSON in the
 * protocol's own forms (api-schema.ts); anything else gets a 4xx and
 * nothing is stored.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { z } from 'zod';
import { DatabaseError, InputError, UserError } from '../errors.js';
import { packageRoot } from '../firmware-bundle.js';
import { EARLIER_PERIODS, type EarlierPeriod, earlierPeriod, type PeriodOptions, resolvePeriod } from '../report/period.js';
import { renderReportHtml } from '../report/html.js';
import { reportData } from '../report/report-data.js';
import { podIdArg } from '../pod-address.js';
import { type Db, podExists, podsNamed, translateDbError } from '../store/db.js';
import type { PayloadOf } from '../../../shared/protocol/messages.js';
import type { PodStatus } from '../sync-records.js';
import { sqliteSyncStore } from '../store/sync-store.js';
import { ConfigBodySchema, PodBodySchema, PodIdSchema, RecordRangeSchema, RecordsBodySchema, StatusBodySchema } from './api-schema.js';
import { DB_FAILURE_STATUS } from './db-failure-status.js';
import { PAGE_HTML } from './page-html.js';
import { waitOffTheEventLoop, whenUnlocked } from './when-unlocked.js';

/**
 * /report's period, as `retrostep report`'s options: ?day, ?week=DATE, ?month, ?from=&to=, or ?before=week and
 * ?before=month (the page's "the 7 days before" and "last month"), the periods before the last 7 days and this
 * month, dated here (earlierPeriod) in the time zone the report's days are drawn in, not in the browser's. Two
 * periods at once are refused, as the CLI refuses them.
 */
function periodAsked(params: URLSearchParams): PeriodOptions {
  const q = (k: string) => params.get(k) ?? undefined;
  // (a flag given bare, ?day or ?month, is the option given with no value)
  const flag = (k: string) => (params.has(k) ? q(k) || true : undefined);
  const asked: PeriodOptions = { day: flag('day'), week: flag('week'), month: flag('month'), from: q('from'), to: q('to') };
  const before = params.get('before');
  if (before === null) return asked;
  if (!(EARLIER_PERIODS as readonly string[]).includes(before)) throw new InputError(`before=${before} is not one of ${EARLIER_PERIODS.join(', ')}`);
  const others = Object.entries(asked).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (others.length) throw new InputError(`choose one period: before and ${others.join(' and ')} were both given`);
  return earlierPeriod(before as EarlierPeriod);
}

const WEB_BUNDLE_RELATIVE_PATH = path.join('dist', 'web', 'app.js');
/** Loopback only: the page and the pod's records never leave this computer. */
const WEB_HOST = '127.0.0.1';
/** Request bodies above this are refused unread: a full POST of records is about 40 KB. */
const MAX_BODY_BYTES = 256 * 1024;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  // the page's script and styles come from here; it talks to nothing else (Web Bluetooth is not a fetch)
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
};

export interface WebServerOptions {
  db: Db;
  /** 0 (default): a free port */
  port?: number;
  /** the page's script (default: dist/web/app.js, built by `npm run build`) */
  bundle?: string;
}

/** What the page stored through this server since it started, for `web`'s stop line. */
export interface WebServed {
  /** the pods synced, by the names they were posted with (a sync posts its pod first: sync-records.ts), each once */
  pods: string[];
  /** minute records stored that the database did not hold */
  records: number;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  served(): WebServed;
  close(): Promise<void>;
}

function readWebBundle(): string {
  const file = path.join(packageRoot(), WEB_BUNDLE_RELATIVE_PATH);
  if (!fs.existsSync(file)) throw new UserError(`the web page is not built (${file} is missing): run \`npm run build\``);
  return fs.readFileSync(file, 'utf8');
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const sendJson = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return reject(new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`));
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else parts.push(b);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

async function jsonBody<S extends z.ZodType>(req: http.IncomingMessage, schema: S): Promise<z.infer<S>> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'send JSON (Content-Type: application/json)');
  let value: unknown;
  try {
    value = JSON.parse(await readBody(req));
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, 'the body is not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).slice(0, 5).join('; '));
  return parsed.data;
}

/** The pod id in /api/pods/ID/...: a bad one is a 400, bad %-escapes in it too (decodeURIComponent threw, and that was a 500). */
function podIdInPath(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'a pod id is 12 hex digits');
  }
  const id = PodIdSchema.safeParse(decoded);
  if (!id.success) throw new HttpError(400, 'a pod id is 12 hex digits');
  return id.data;
}

/** Is this request addressed to us, from our own page? (see the header) */
function refusal(req: http.IncomingMessage, port: number): string | null {
  const own = [`${WEB_HOST}:${port}`, `localhost:${port}`];
  if (!own.includes(String(req.headers.host ?? '').toLowerCase())) return 'this server answers only requests addressed to it (Host)';
  const origin = req.headers.origin;
  if (origin !== undefined && !own.map((h) => `http://${h}`).includes(origin.toLowerCase())) return 'this server answers only its own page (Origin)';
  if (req.method === 'POST' && origin === undefined) return 'a POST must come from the page (no Origin)';
  // a browser names the requesting site even where it sends no Origin (a plain GET from another page's <img> or <script>):
  // only this page itself, or the person typing or clicking the address ('none'); another port of 127.0.0.1 is 'same-site'
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `this server answers only its own page (Sec-Fetch-Site: ${site})`;
  return null;
}

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const bundle = o.bundle ?? readWebBundle();
  waitOffTheEventLoop(o.db);
  const store = sqliteSyncStore(o.db);
  /** Every use of the database: waited for off the event loop while another program holds it (when-unlocked.ts). */
  const use = <T>(fn: () => T): Promise<T> => whenUnlocked(o.db, fn);
  /** A pod the page posts for must have been POSTed to /api/pods first (its row holds its name and status). */
  const knownPod = (id: string): string => {
    if (!podExists(o.db, id)) throw new HttpError(400, `unknown pod ${id}: POST /api/pods first`);
    return id;
  };
  let port = 0;
  const served = { pods: new Set<string>(), records: 0 };

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${WEB_HOST}`);
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /') return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
    if (route === 'GET /app.js') return send(res, 200, 'text/javascript; charset=utf-8', bundle);
    if (route === 'GET /report') {
      const q = (k: string) => url.searchParams.get(k) ?? undefined;
      let period;
      try {
        period = resolvePeriod(periodAsked(url.searchParams));
      } catch (e) {
        if (e instanceof InputError) throw new HttpError(400, e.message);
        throw e;
      }
      // (as `retrostep report --pod`: an unknown pod is said, not drawn as a report of zeros)
      // (an empty pod= is every pod, as no pod= is)
      // (its id, address or name, as --pod takes them: a name, the one the report shows, was "no pod")
      const pod = q('pod') ? podIdArg(q('pod')!) : undefined;
      const named = pod !== undefined ? await use(() => podsNamed(o.db, pod)) : [];
      if (pod !== undefined && named.length === 0) throw new HttpError(404, `no pod ${pod} in this database`);
      if (named.length > 1) throw new HttpError(400, `${named.length} pods are named ${pod}: give one's id (${named.join(', ')})`);
      // (its note on pods summed links each pod's report of the same period: the page cannot run `retrostep report --pod`)
      const onePodHref = (pod_id: string) => {
        const one = new URLSearchParams(url.searchParams);
        one.set('pod', pod_id);
        one.delete('t');
        return `/report?${one}`;
      };
      const data = await use(() => reportData(o.db, period, named[0]));
      return send(res, 200, 'text/html; charset=utf-8', await renderReportHtml(data, { onePodHref }));
    }
    const lastSeqRoute = /^\/api\/pods\/([^/]+)\/last-seq$/.exec(url.pathname);
    if (req.method === 'GET' && lastSeqRoute) return sendJson(res, 200, { last_seq: await use(() => store.lastSeq(podIdInPath(lastSeqRoute[1]))) });
    const heardRoute = /^\/api\/pods\/([^/]+)\/first-seq-heard$/.exec(url.pathname);
    if (req.method === 'GET' && heardRoute) return sendJson(res, 200, { first_seq: await use(() => store.firstSeqHeard(podIdInPath(heardRoute[1]))) });
    // (the pod numbers its minutes from 0 again: sync-records.ts; a pod not POSTed is refused, as for its records)
    const newHistoryRoute = /^\/api\/pods\/([^/]+)\/new-history$/.exec(url.pathname);
    if (req.method === 'POST' && newHistoryRoute) {
      return sendJson(res, 200, { kept: await use(() => store.newHistory(knownPod(podIdInPath(newHistoryRoute[1])))) });
    }
    const recordsRoute = /^\/api\/pods\/([^/]+)\/records$/.exec(url.pathname);
    if (req.method === 'GET' && recordsRoute) {
      const id = podIdInPath(recordsRoute[1]);
      const range = RecordRangeSchema.safeParse({ from: url.searchParams.get('from'), to: url.searchParams.get('to') });
      if (!range.success) throw new HttpError(400, range.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
      return sendJson(res, 200, { records: await use(() => store.storedRecords(id, range.data.from, range.data.to)) });
    }
    if (route === 'POST /api/pods') {
      const b = await jsonBody(req, PodBodySchema);
      await use(() => store.upsertPod(b));
      served.pods.add(b.name || b.pod_id);
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'POST /api/status') {
      const b = await jsonBody(req, StatusBodySchema);
      // the schema is the status payload's layout from the message table, so it is a PodStatus
      await use(() => store.saveStatus(knownPod(b.pod_id), b.status as PodStatus));
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'POST /api/config') {
      const b = await jsonBody(req, ConfigBodySchema);
      // (as the status: the schema is the config payload's layout from the message table)
      await use(() => store.saveConfig(knownPod(b.pod_id), b.config as PayloadOf<'config'>));
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'POST /api/records') {
      const b = await jsonBody(req, RecordsBodySchema);
      const added = await use(() => store.insertRecords(knownPod(b.pod_id), b.records));
      served.records += added;
      return sendJson(res, 200, { added });
    }
    throw new HttpError(404, `no ${route} here`);
  }

  const server = http.createServer((req, res) => {
    const refused = refusal(req, port);
    if (refused) return sendJson(res, 403, { error: refused });
    route(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof HttpError) return sendJson(res, e.status, { error: e.message });
      // (the database's failures said as the CLI says them, the file named: "database is locked" alone, a 500, was
      // all the page had to show of a database another program held)
      const db = translateDbError(e, o.db.name);
      if (db instanceof DatabaseError) sendJson(res, DB_FAILURE_STATUS, { error: db.message });
      else sendJson(res, 500, { error: `retrostep web: ${(e as Error).message}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new InputError(`port ${o.port} is in use: pick another --port, or leave it out for a free one`) : e.code === 'EACCES' ? new InputError(`port ${o.port} is not allowed here: pick one above 1023`) : e),
    );
    server.listen(o.port ?? 0, WEB_HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${WEB_HOST}:${port}/`,
    port,
    served: () => ({ pods: [...served.pods], records: served.records }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
