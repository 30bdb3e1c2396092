/**
 * The `retrostep web` page's HTML: what a person sees before the script runs
 * (and instead of it, when the browser cannot do Web Bluetooth). The
 * behaviour is host/web/page/main.ts, served as /app.js.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>retrostep: sync your pod</title>
<link rel="icon" href="data:,">
<style>
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #000; font: 20px/1.5 Verdana, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; }
h1 { font-size: 2rem; margin: 0.5rem 0; }
h2 { font-size: 1.5rem; margin: 1.5rem 0 0.5rem; border-bottom: 3px solid #000; }
button { font: inherit; font-weight: bold; padding: 0.6rem 1.2rem; margin: 0.25rem 0.5rem 0.25rem 0; border: 3px solid #000; border-radius: 0.5rem; background: #0b4f9c; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #000; }
select { font: inherit; padding: 0.3rem; border: 3px solid #000; border-radius: 0.5rem; background: #fff; color: #000; }
select:focus-visible { outline: 4px solid #a33c00; outline-offset: 2px; }
button:disabled { background: #e6e6e6; color: #555; border-color: #767676; cursor: not-allowed; }
button:focus-visible { outline: 4px solid #a33c00; outline-offset: 2px; }
.warning { border: 4px solid #a33c00; padding: 0.75rem 1rem; margin: 1rem 0; }
#status { font-size: 1.1rem; min-height: 3em; margin: 0.75rem 0; }
progress { width: 100%; height: 2rem; accent-color: #0b4f9c; }
.counts { display: flex; gap: 1.5rem; flex-wrap: wrap; font-size: 1.2rem; }
.counts strong { font-size: 1.6rem; }
#live-list { padding-left: 1.5rem; }
#live-list li.wrong { font-weight: bold; color: #a33c00; }
#live-list li.buzz { font-style: italic; }
.notice { border-left: 6px solid #a33c00; padding-left: 0.75rem; }
iframe { width: 100%; min-height: 20rem; border: 2px solid #000; }
.small { font-size: 0.9em; }
/* (a long command breaks anywhere rather than run out of its box: chrome://flags/#enable-web-bluetooth in a 320 px window) */
code { overflow-wrap: anywhere; }
</style>
</head>
<body data-state="loading">
<main>
<h1>Sync your retrostep pod</h1>
<div id="no-bluetooth" class="warning" hidden role="alert">
<p><strong>This browser has no Web Bluetooth.</strong> Firefox and Safari cannot talk to Bluetooth devices.
Open this page in <strong>Chrome</strong> or <strong>Edge</strong> (Windows, macOS, Linux, ChromeOS or Android), or sync from the command line with <code>retrostep sync</code>.</p>
</div>
<div id="bluetooth-disabled" class="warning" hidden role="alert">
<p><strong>Web Bluetooth is switched off in this browser.</strong> On Linux, Chrome keeps it behind a setting:
open <code>chrome://flags/#enable-web-bluetooth</code>, set it to <strong>Enabled</strong> and restart Chrome.
Elsewhere, an administrator's policy may have turned it off. Or sync from the command line with <code>retrostep sync</code>.</p>
</div>
<div id="bluetooth-off" class="warning" hidden role="alert">
<p><strong>Bluetooth is off</strong> (or this computer has no Bluetooth adapter). Turn Bluetooth on in your system settings, then press "Connect and sync".</p>
</div>
<noscript><p class="warning">This page needs JavaScript to talk to your pod. Or use <code>retrostep sync</code>.</p></noscript>
<p>
<button id="connect" type="button" disabled>Connect and sync</button>
<button id="sync" type="button" class="secondary" disabled>Sync</button>
<button id="disconnect" type="button" class="secondary" disabled>Disconnect</button>
</p>
<p id="status" role="status" aria-live="polite">Loading...</p>
<label for="progress">Sync progress</label>
<progress id="progress" max="1" value="0"></progress>
<p id="progress-text" class="small"></p>
<p>Pod: <span id="pod">none yet</span></p>
<div id="notices"></div>

<h2>Live strides and buzzes</h2>
<section id="live" data-on="false" aria-live="off">
<p class="counts"><span>Forward <strong id="live-forward">0</strong></span> <span>Backward <strong id="live-backward">0</strong></span> <span>Wrong gait <strong id="live-wrong">0</strong></span></p>
<ol id="live-list" reversed></ol>
</section>

<h2>Test the buzzer</h2>
<p class="small">Each button plays one of the pod's patterns.</p>
<div id="buzz"></div>
<p id="buzz-status" role="status" aria-live="polite"></p>

<h2>Your report</h2>
<p><label for="period">Show</label> <select id="period">
<option value="">the last 7 days</option>
<option value="day">today</option>
<option value="week-before">the 7 days before</option>
<option value="month">this month</option>
<option value="month-before">last month</option>
</select></p>
<p class="small"><a id="report-link" href="/report" target="_blank">Open the report on its own page</a> (to print it or keep it).</p>
<iframe id="report" title="Your retrostep report"></iframe>
<p class="small">Walk backward only on a clear path, a track or a treadmill holding the rails; control before speed.</p>
</main>
<script src="/app.js"></script>
</body>
</html>
`;
