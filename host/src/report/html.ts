/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched), readable offline and printable on A4. Large type and
 * high contrast for readers over 65; every chart has a caption and its
 * figures as a table.
 */
import { planAdvice, stageProgressText } from './plan.js';
import { type Chart, renderSvg, reportCharts } from './charts.js';
import type { BucketUnit } from './buckets.js';
import type { ReportData } from './report-data.js';
import { cadenceText, incompleteNote, judgesForward, type Summary, wrongText } from './summary.js';
import { localMinute } from './period.js';
import { shown } from './shown.js';
import { syncedAfterWords } from './synced-after.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);


/** The period's figures as `summary` prints them (same rounding), each cell tagged with its `summary --json` key. */
function summaryRows(s: Summary): { key: string; label: string; value: string }[] {
  const rows = [
    { key: 'forward', label: 'Forward strides', value: String(s.forward) },
    { key: 'backward', label: 'Backward strides', value: String(s.backward) },
    { key: 'steps_est', label: 'Steps (estimated: 2 x strides, the pod sees one foot)', value: String(s.steps_est) },
    { key: 'retro_min', label: 'Minutes of backward walking', value: shown(s.retro_min, 1) },
    { key: 'active_min', label: 'Active minutes', value: shown(s.active_s / 60, 1) },
    { key: 'cadence_spm', label: 'Cadence', value: cadenceText(s) },
    { key: 'first_contact', label: 'First contact', value: `heel ${s.heel}, flat ${s.flat}, toe ${s.toe}` },
    { key: 'wrong', label: judgesForward(s) ? "Wrong-gait strides (backward and forward, as the pod's wrong_rule judged them)" : 'Wrong-gait strides (backward, heel first)', value: wrongText(s) },
    { key: 'buzzes', label: 'Buzzes', value: String(s.buzzes) },
    { key: 'kcal', label: 'Energy', value: `${shown(s.kcal, 0)} kcal (${s.weight_kg} kg)` },
  ];
  if (s.coach_prompted > 0) rows.push({ key: 'coach', label: 'Coach intervals completed', value: `${s.coach_done} of ${s.coach_prompted}` });
  return rows;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #000; font: 20px/1.5 Verdana, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 2rem; margin: 0.5rem 0 0; }
h2 { font-size: 1.5rem; margin: 2rem 0 0.5rem; border-bottom: 3px solid #000; }
.period { font-size: 1.2rem; margin: 0.25rem 0 1rem; }
.made { color: #333; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #767676; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.date { white-space: nowrap; }
figure { margin: 1.5rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
/* (a box that scrolls sideways is a tab stop, so a keyboard can scroll it: .chart, .table-box) */
.chart, .table-box { overflow-x: auto; }
.chart:focus-visible, .table-box:focus-visible, summary:focus-visible { outline: 4px solid #a33c00; outline-offset: 2px; }
figcaption { margin: 0.25rem 0; }
details { margin-top: 0.25rem; }
summary { cursor: pointer; text-decoration: underline; }
.plan li { margin: 0.25rem 0; }
.plan .done::marker { content: "\\2713  "; }
.now { font-weight: bold; }
.notice { border-left: 6px solid #a33c00; padding-left: 0.75rem; margin: 0.5rem 0; }
.empty { border: 3px solid #000; padding: 0.75rem; }
a { color: #0b4f9c; }
@page { size: A4 portrait; margin: 14mm; }
@media print {
  body { font-size: 12pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.2rem; }
  details { display: none; }
  figure svg { min-width: 0 !important; }
  a { color: #000; text-decoration: none; }
}
`;

/**
 * The smallest scale a chart is drawn at. Fitted to a phone's width (390 px) a chart of 740-840 px was drawn at
 * less than half its size, its 16 px labels at 7 px; it keeps this much of its size instead and scrolls sideways
 * in its box (the caption and the table below it fit the screen).
 */
const MIN_CHART_SCALE = 0.75;

/**
 * A box that scrolls sideways where its content is wider than the screen, named for a screen reader and a tab stop,
 * so that a keyboard can scroll it (the report has no script to make it one only when it scrolls). Without it a
 * chart's table, opened on a 320 px screen, was 573 px wide and the whole page scrolled sideways.
 */
const scrollBox = (className: string, name: string, inner: string) => `<div class="${className}" tabindex="0" role="region" aria-label="${escapeHtml(name)}">${inner}</div>`;

/** A chart's SVG in its scrolling box, no narrower than MIN_CHART_SCALE of its drawn width. */
function chartBox(svg: string, title: string): string {
  const width = Number(/^<svg [^>]*?\bwidth="([\d.]+)"/.exec(svg)?.[1]);
  const min = Number.isFinite(width) && width > 0 ? svg.replace(/^<svg /, `<svg style="min-width: ${Math.round(width * MIN_CHART_SCALE)}px" `) : svg;
  return scrollBox('chart', `chart: ${title}`, min);
}

/**
 * Text whose dates (2026-11-23) break at its spaces, not inside a date at a hyphen: "2021-02-" ended a caption's line,
 * and a table's row "2026-" on a 320 px screen (its box scrolls instead).
 */
const keepDates = (v: string | number) => escapeHtml(v).replace(/\d{4}-\d{2}-\d{2}/g, '<span class="date">$&</span>');

function figureHtml(c: Chart, svg: string): string {
  const head = c.table.head.map((h, i) => `<th scope="col"${i ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('');
  const rows = c.table.rows.map((r) => `<tr>${r.map((v, i) => (i ? `<td class="n">${escapeHtml(v)}</td>` : `<th scope="row">${keepDates(v)}</th>`)).join('')}</tr>`).join('\n');
  return `<figure id="chart-${c.id}" data-chart="${c.id}" aria-labelledby="cap-${c.id}">
${chartBox(svg, c.title)}
<figcaption id="cap-${c.id}"><strong>${escapeHtml(c.title)}.</strong> ${keepDates(c.caption)}</figcaption>
<details><summary>The figures of this chart as a table</summary>
${scrollBox('table-box', `table: ${c.title}`, `<table data-table="${c.id}"><caption class="made">${escapeHtml(c.title)}</caption><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>`)}</details>
</figure>`;
}

function planHtml(d: ReportData): string {
  const items = d.plan.stages
    .map((s, i) => {
      const state = s.done ? 'done' : i === d.plan.current ? 'now' : 'later';
      const word = s.done ? 'done' : i === d.plan.current ? 'you are here' : 'later';
      return `<li class="${state}" data-stage="${s.stage}">${escapeHtml(s.title)}: ${escapeHtml(stageProgressText(d.plan, i))} <span class="made">(${word})</span></li>`;
    })
    .join('\n');
  // (a command in backquotes, as the terminal shows it, is code on the page)
  const advice = planAdvice(d.plan).map((l) => `<p>${escapeHtml(l).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`).join('\n');
  return `<section class="plan" aria-labelledby="h-plan"><h2 id="h-plan">Training plan</h2>
<ol>${items}</ol>
${advice}
</section>`;
}

function podsHtml(d: ReportData): string {
  if (d.pods.length === 0) return `<section aria-labelledby="h-pods"><h2 id="h-pods">Your pod</h2><p>No pod has been synced into this database yet.</p></section>`;
  const pods = d.pods
    .map((p) => {
      const facts = [
        p.last_sync_s ? `last synced ${localMinute(p.last_sync_s)}` : 'not synced yet',
        p.battery_pct === null ? null : `battery ${p.battery_pct}%`,
        p.flash_full === null ? null : p.flash_full ? 'flash full' : 'flash has room',
      ].filter((x) => x !== null);
      const notices = p.notices.length ? p.notices.map((n) => `<p class="notice" data-notice>${escapeHtml(n)}</p>`).join('\n') : '<p>Nothing to do: the pod reported no problems at its last sync.</p>';
      return `<div data-pod="${escapeHtml(p.pod_id)}"><h3>${escapeHtml(p.name)}</h3><p>${escapeHtml(facts.join(' · '))}</p>\n${notices}</div>`;
    })
    .join('\n');
  return `<section aria-labelledby="h-pods"><h2 id="h-pods">Your pod</h2>\n${pods}\n</section>`;
}

const HEADINGS: Record<BucketUnit, string> = { hour: 'Hour by hour', day: 'Day by day', week: 'Week by week', month: 'Month by month', year: 'Year by year' };

/** What a long period's rows are (days summed, and from when), or '' for a period shown day by day from its start. */
function rowsNote(d: ReportData): string {
  const what = d.unit === 'week' ? 'a week: 7 days, the last ending on the period\'s last day and the first maybe fewer' : `a calendar ${d.unit}, the first and last maybe part of one`;
  const said = [
    d.unit === 'day' ? '' : `A long period: each bar and table row below sums the days of ${escapeHtml(what)}. The figures above are the whole period's.`,
    d.rows_from ? `They start at your first walk in this period, on <span class="date">${escapeHtml(d.rows_from)}</span>.` : '',
  ].filter(Boolean);
  return said.length ? `<p data-unit="${d.unit}">${said.join(' ')}</p>\n` : '';
}

/**
 * What the figures of every pod summed include, as `summary` says it: the demo's made-up walk, two pods walking the
 * same minutes. A written report names the command that shows one pod; the one `retrostep web` serves links each
 * pod's own (onePodHref), as a page in a browser cannot run a command.
 */
function mixedPodsHtml(d: ReportData, onePodHref?: (pod_id: string) => string): string {
  const one = onePodHref
    ? `one pod alone: ${d.pods.map((p) => `<a href="${escapeHtml(onePodHref(p.pod_id))}" target="_blank">${escapeHtml(p.name)}</a>`).join(', ')}`
    : '<code>retrostep report --pod ID</code> shows one pod';
  const notes = [
    d.demo_pod ? `<p class="notice" data-mixed="demo">These figures include the demo's made-up walk (pod ${escapeHtml(d.demo_pod)}, from <code>retrostep demo</code>): ${one}.</p>` : '',
    d.pods_together ? `<p class="notice" data-mixed="together">Pods ${escapeHtml(d.pods_together.pods.join(' and '))} walked the same ${d.pods_together.minutes} minute${d.pods_together.minutes === 1 ? '' : 's'}: worn on both feet, those steps are counted twice here; ${one}.</p>` : '',
  ].filter(Boolean);
  return notes.map((n) => `${n}
`).join('');
}

export interface ReportHtmlOptions {
  /** where one pod's report of the same period is (the web server's /report?pod=ID); none for a written file */
  onePodHref?: (pod_id: string) => string;
}

/** What the page says of a period with no walking: none walked it when every pod was synced after it, else how to sync. */
function emptyPeriodText(d: ReportData): string {
  const none = syncedAfterWords(d.pods.map((p) => p.last_sync_s), d.period.to_s);
  if (none) return `No walking in this period: ${none}.`;
  return 'No walking is stored for this period. Sync your pod (<code>retrostep sync</code>, or the Sync button of <code>retrostep web</code>), or try <code>retrostep demo</code>.';
}

/** The whole report page. */
export async function renderReportHtml(d: ReportData, options: ReportHtmlOptions = {}): Promise<string> {
  const charts = reportCharts(d.rows, d.aims, d.aim_as_of, d.unit);
  const svgs = await Promise.all(charts.map((c) => renderSvg(c.spec)));
  const figures = d.summary.minutes === 0
    ? `<p class="empty">${emptyPeriodText(d)}</p>`
    : charts.map((c, i) => figureHtml(c, svgs[i])).join('\n');
  const incomplete = incompleteNote(d.summary);
  const rows = summaryRows(d.summary).map((r) => `<tr><th scope="row">${escapeHtml(r.label)}</th><td class="n" data-figure="${r.key}">${escapeHtml(r.value)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>retrostep: ${escapeHtml(d.period.label)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Your backward walking</h1>
<p class="period">${escapeHtml(d.period.label)}</p>
<p class="made">Made by retrostep on ${escapeHtml(localMinute(d.generated_s))} from the pod's minute records.</p>
</header>
<section aria-labelledby="h-numbers"><h2 id="h-numbers">In numbers</h2>
<table class="figures" data-summary><tbody>
${rows}
</tbody></table>
${incomplete ? `<p class="notice" data-incomplete>${escapeHtml(incomplete)}</p>` : ''}
${mixedPodsHtml(d, options.onePodHref)}</section>
<section aria-labelledby="h-charts"><h2 id="h-charts">${HEADINGS[d.unit]}</h2>
${d.summary.minutes === 0 ? '' : rowsNote(d)}${figures}
</section>
${planHtml(d)}
${podsHtml(d)}
</main>
</body>
</html>
`;
}
