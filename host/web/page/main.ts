/**
 * The `retrostep web` page: connect to a pod with Web Bluetooth, run the
 * CLI's own sync (host/src/sync-records.ts over host/src/pod-client.ts and
 * shared/protocol, bundled for the browser) into the local server, resume
 * after a dropped link, then show the report, live strides and buzzes, and
 * buzz buttons.
 */
import { RETROSTEP_SERVICE_UUID } from '../../../shared/protocol/uuids.js';
import { BUZZ_PATTERNS } from '../../src/buzz-patterns.js';
import { type BuzzSettings, buzzHasLine, type LiveBuzz, toBuzz } from '../../src/live-buzz.js';
import { liveCadenceText, toStride } from '../../src/live-stride.js';
import { PodClient } from '../../src/pod-client.js';
import { newMinutesText, type SyncProgress, type SyncResult, syncRecords } from '../../src/sync-records.js';
import { DB_FAILURE_STATUS } from '../../src/web/db-failure-status.js';
import { ServerRefusal, serverStore } from './server-store.js';
import { WebBluetoothTransport } from './web-bluetooth-transport.js';
import { reportQuery } from './report-period.js';

/** Reconnections tried after the link drops mid-sync before asking the person: a pod at the edge of range often comes back. */
const MAX_RESUMES = 5;
/** Wait before reconnecting (ms): the pod needs a moment to advertise again after a lost link. */
const RESUME_WAIT_MS = 1000;
/** Room (px) the report's frame has below the report: its own borders (4 px) and a little air, as before. */
const REPORT_FRAME_SLACK_PX = 20;
/** Live strides and buzzes kept on screen: the latest ones, enough to see a pattern. */
const LIVE_ROWS = 12;

type State = 'idle' | 'connecting' | 'syncing' | 'synced' | 'error' | 'unsupported';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  connect: $<HTMLButtonElement>('connect'),
  sync: $<HTMLButtonElement>('sync'),
  disconnect: $<HTMLButtonElement>('disconnect'),
  status: $('status'),
  progress: $<HTMLProgressElement>('progress'),
  progressText: $('progress-text'),
  pod: $('pod'),
  notices: $('notices'),
  live: $('live'),
  liveList: $('live-list'),
  liveForward: $('live-forward'),
  liveBackward: $('live-backward'),
  liveWrong: $('live-wrong'),
  buzz: $('buzz'),
  buzzStatus: $('buzz-status'),
  report: $<HTMLIFrameElement>('report'),
  period: $<HTMLSelectElement>('period'),
  reportLink: $<HTMLAnchorElement>('report-link'),
  noBluetooth: $('no-bluetooth'),
  bluetoothDisabled: $('bluetooth-disabled'),
  bluetoothOff: $('bluetooth-off'),
};

interface Connection {
  transport: WebBluetoothTransport;
  client: PodClient;
}

let device: BluetoothDevice | null = null;
let conn: Connection | null = null;
const live = { forward: 0, backward: 0, wrong: 0 };
/** The pod's settings the buzzes' lines quote, read as live starts (null before). */
let liveSettings: BuzzSettings | null = null;

/**
 * The button a state change took the focus from by disabling it (the one pressed, while its sync runs): a disabled
 * button drops the focus to the page's body, and a keyboard or screen-reader user lost their place on the page.
 */
let focusTakenFrom: HTMLButtonElement | null = null;

function setState(state: State, text: string): void {
  document.body.dataset.state = state;
  ui.status.textContent = text;
  const connected = !!conn?.transport.isOpen;
  const busy = state === 'connecting' || state === 'syncing';
  const focused = document.activeElement;
  ui.connect.disabled = busy || state === 'unsupported';
  ui.sync.disabled = busy || !device;
  ui.disconnect.disabled = !connected;
  for (const b of ui.buzz.querySelectorAll('button')) b.disabled = !connected || busy;
  if (focused instanceof HTMLButtonElement && focused.disabled) focusTakenFrom = focused;
  // (given back once the button can be pressed again, unless the person has put the focus somewhere since)
  else if (focusTakenFrom && !focusTakenFrom.disabled) {
    if (document.activeElement === document.body || document.activeElement === null) focusTakenFrom.focus();
    focusTakenFrom = null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function showProgress(done: number, total: number): void {
  ui.progress.max = Math.max(1, total);
  ui.progress.value = done;
  ui.progressText.textContent = total === 0 ? 'Nothing new on the pod.' : `${done} of ${total} minutes copied`;
}

function onStride(s: ReturnType<typeof toStride>): void {
  if (s.direction === 'forward') live.forward++;
  if (s.direction === 'backward') live.backward++;
  if (s.wrong) live.wrong++;
  ui.liveForward.textContent = String(live.forward);
  ui.liveBackward.textContent = String(live.backward);
  ui.liveWrong.textContent = String(live.wrong);
  liveRow(s.wrong ? 'wrong' : s.direction, `${s.direction}, ${s.first} first, ${liveCadenceText(s)}${s.wrong ? ' - WRONG: heel first going backward' : ''}`);
}

function onBuzz(b: LiveBuzz): void {
  if (buzzHasLine(b)) liveRow('buzz', `buzz, ${b.pattern}: ${b.meaning}`);
}

/** The newest line of the live list, at its top. */
function liveRow(className: string, text: string): void {
  const li = document.createElement('li');
  li.className = className;
  li.textContent = `${new Date().toLocaleTimeString()}: ${text}`;
  ui.liveList.prepend(li);
  while (ui.liveList.children.length > LIVE_ROWS) ui.liveList.lastElementChild!.remove();
}

/** Open a fresh link and client to the chosen pod (one per connection: the pod starts a session at hello). */
async function connect(d: BluetoothDevice): Promise<Connection> {
  const transport = new WebBluetoothTransport(d);
  await transport.open();
  const client = new PodClient(transport);
  client.onUnsolicited((m) => {
    if (m.name === 'contact') onStride(toStride(m.payload));
    if (m.name === 'buzzed' && liveSettings) onBuzz(toBuzz(m.payload.pattern, liveSettings));
  });
  transport.on('close', (e) => {
    if (conn?.transport !== transport) return;
    ui.live.dataset.on = 'false';
    if (document.body.dataset.state !== 'syncing') setState('idle', e ? 'The link to the pod dropped. Press "Sync" to reconnect.' : 'Disconnected.');
  });
  conn = { transport, client };
  return conn;
}

/**
 * The CLI's sync, resumed after a dropped link: each run starts again from
 * what the server has stored, so nothing is lost or doubled (sync-records.ts).
 */
async function syncWithResume(d: BluetoothDevice, early: string[]): Promise<{ result: SyncResult; added: number; resumes: number }> {
  let overall: number | null = null;
  let base = 0;
  let added = 0;
  for (let resumes = 0; ; resumes++) {
    try {
      const c = conn?.transport.isOpen ? conn : await connect(d);
      const result = await syncRecords(c.client, serverStore(), {
        onProgress: (p: SyncProgress) => {
          if (p.done === 0) {
            if (overall === null) overall = p.total;
            base = overall - p.total;
          }
          showProgress(base + p.done, overall ?? p.total);
        },
        // (kept across resumes: the run after a dropped link finds the status already saved, and does not say them)
        onNotice: (n: string) => {
          if (!early.includes(n)) early.push(n);
          showNotices(early);
        },
      });
      added += result.added;
      return { result, added, resumes };
    } catch (e) {
      const lost = !conn?.transport.isOpen;
      if (!lost || resumes >= MAX_RESUMES) throw e;
      document.body.dataset.resumes = String(resumes + 1);
      setState('syncing', `The link to the pod dropped: reconnecting to carry on (try ${resumes + 1} of ${MAX_RESUMES}). Nothing copied so far is lost.`);
      await sleep(RESUME_WAIT_MS);
    }
  }
}

/** The sync's notes, one paragraph each. */
function showNotices(notices: string[]): void {
  ui.notices.replaceChildren(
    ...notices.map((n) => {
      const p = document.createElement('p');
      p.className = 'notice';
      p.textContent = n;
      return p;
    }),
  );
}

async function syncNow(): Promise<void> {
  if (!device) return;
  // notes known before any minute is copied, shown at once: they stay shown if the sync stops later
  const early: string[] = [];
  showNotices(early);
  setState('syncing', 'Syncing: copying the minute records from the pod...');
  showProgress(0, 0);
  try {
    const { result, added, resumes } = await syncWithResume(device, early);
    ui.pod.textContent = `${device.name ?? result.pod_id} (pod ${result.pod_id})`;
    showNotices([...early, ...result.notices.filter((n) => !early.includes(n))]);
    showProgress(result.next_seq - result.first_seq, result.next_seq - result.first_seq);
    const note = `${newMinutesText(added)} stored${result.clock_set ? '; the pod clock was set' : ''}${resumes ? `; the link dropped ${resumes} time${resumes === 1 ? '' : 's'} and the sync carried on` : ''}.`;
    setState('synced', `Synced. ${note} Your report is below; strides and buzzes show here live while the pod is connected.`);
    showReport();
    await startLive();
  } catch (e) {
    // (a database this computer could not write is not put right by moving closer to the pod)
    if (e instanceof ServerRefusal && e.status === DB_FAILURE_STATUS) setState('error', `The sync stopped on this computer: ${e.why}. Nothing copied so far is lost, and the pod keeps the rest: press "Sync" again once that is put right.`);
    else setState('error', `The sync stopped: ${(e as Error).message}. Move closer to the pod and press "Sync" again; nothing copied so far is lost.`);
  }
}

async function startLive(): Promise<void> {
  if (!conn?.transport.isOpen) return;
  liveSettings = await conn.client.request('config_get', {}, 'config');
  await conn.client.request('live_subscribe', { on: 1 }, 'ok');
  ui.live.dataset.on = 'true';
}

/**
 * What the chooser's NotFoundError means (Blink's bluetooth_error.cc
 * messages): no adapter, Web Bluetooth turned off by a flag or a policy, or
 * the person closed the chooser, which is also what they do when it says
 * Bluetooth is off.
 */
function chooserFailure(e: unknown): void {
  const err = e as DOMException;
  if (err.name === 'NotFoundError' && /adapter not available|Low Energy not available/i.test(err.message)) {
    ui.bluetoothOff.hidden = false;
    setState('error', 'Bluetooth is off or this computer has no Bluetooth adapter: turn Bluetooth on, then press the button again.');
  } else if (err.name === 'NotFoundError' && /globally disabled|has disabled Web Bluetooth|not supported on this platform/i.test(err.message)) {
    ui.bluetoothDisabled.hidden = false;
    setState('unsupported', `This browser has Web Bluetooth turned off (${err.message}): see the note above, or use the command line: retrostep sync.`);
  } else if (err.name === 'NotFoundError') {
    setState('idle', 'No pod was chosen. If the browser\'s list said Bluetooth is off, turn it on; wake the pod (press its button), then press the button again.');
  } else setState('error', `The browser could not look for pods: ${err.message}`);
}

async function chooseAndSync(): Promise<void> {
  setState('connecting', 'Choose your pod (retrostep-XXXX) in the browser\'s list; if the list says Bluetooth is off, turn it on there. The first time, the browser asks for the 6-digit passkey on the pod\'s label.');
  try {
    device = await navigator.bluetooth.requestDevice({ filters: [{ services: [RETROSTEP_SERVICE_UUID] }] });
  } catch (e) {
    chooserFailure(e);
    return;
  }
  await syncNow();
}

async function buzz(pattern: string): Promise<void> {
  if (!conn?.transport.isOpen) return;
  try {
    await conn.client.request('buzz', { pattern: BUZZ_PATTERNS[pattern] }, 'ok');
    ui.buzzStatus.textContent = `The pod played "${pattern}".`;
  } catch (e) {
    ui.buzzStatus.textContent = `The pod did not buzz: ${(e as Error).message}`;
  }
}

/** The report for the period picked, read again (after a sync: what it stored), and the link to it on its own page. */
function showReport(): void {
  const query = reportQuery(ui.period.value);
  ui.reportLink.href = `/report${query}`;
  // (a fresh address each time: the frame shows what the database holds now, not what the browser kept)
  ui.report.src = `/report${query}${query ? '&' : '?'}t=${Date.now()}`;
}

/** Watches the report shown in the frame for a change of its height (one report at a time). */
let reportResized: ResizeObserver | null = null;

/**
 * Size the frame to the report so that the page scrolls as one (same origin), and again whenever the report's height
 * changes: sized once, as it loaded, a report narrowed to a 320 px window or zoomed to 200% grew to 1.7 times the
 * frame and scrolled inside it, a scroll within a scroll. (offsetHeight, the report's own height: scrollHeight is
 * at least the frame's, so a frame grown for a narrow window never shrank back.)
 */
function fitReportFrame(): void {
  reportResized?.disconnect();
  const doc = ui.report.contentDocument;
  if (!doc?.body) return;
  const fit = () => {
    ui.report.style.height = `${doc.documentElement.offsetHeight + REPORT_FRAME_SLACK_PX}px`;
  };
  fit();
  reportResized = new ResizeObserver(fit);
  reportResized.observe(doc.documentElement);
}

async function start(): Promise<void> {
  for (const name of Object.keys(BUZZ_PATTERNS)) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.pattern = name;
    b.textContent = name;
    b.addEventListener('click', () => void buzz(name));
    ui.buzz.append(b);
  }
  ui.report.addEventListener('load', fitReportFrame);
  // what is already stored (also without Web Bluetooth: `retrostep sync` fills it), until a sync brings more
  ui.period.addEventListener('change', showReport);
  showReport();
  if (!navigator.bluetooth) {
    // Chrome and Edge without it: Linux before the flag is set, or a policy; any other browser has none at all
    const chromium = /(Chrome|Chromium|Edg)\//.test(navigator.userAgent);
    (chromium ? ui.bluetoothDisabled : ui.noBluetooth).hidden = false;
    setState('unsupported', chromium ? 'This browser has Web Bluetooth turned off: see the note above, or use the command line: retrostep sync.' : 'This browser cannot talk to Bluetooth devices: open this page in Chrome or Edge (Windows, macOS, Linux, ChromeOS, Android), or use the command line: retrostep sync.');
    return;
  }
  ui.connect.addEventListener('click', () => void chooseAndSync());
  ui.sync.addEventListener('click', () => void syncNow());
  ui.disconnect.addEventListener('click', () => {
    if (conn?.transport.isOpen) void conn.transport.close();
  });
  // getAvailability is false when there is no adapter (Chrome says true for one switched off: its chooser says so then)
  const available = typeof navigator.bluetooth.getAvailability === 'function' ? await navigator.bluetooth.getAvailability().catch(() => true) : true;
  if (!available) {
    ui.bluetoothOff.hidden = false;
    // (the note above says what to do; the status line only names it, not the same sentence twice)
    setState('idle', 'Bluetooth is off: see the note above.');
    return;
  }
  setState('idle', 'Ready. Wake your pod (press its button), then press "Connect and sync".');
}

void start();
