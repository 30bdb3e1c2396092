/** `retrostep summary`: totals for a day, a week or a range, a chart, or JSON for scripts. */
import type { Command } from 'commander';
import pc from 'picocolors';
import { strideChart } from '../report/chart.js';
import { chartBuckets, periodSummary, summaryJson, totalsOf } from '../report/period-summary.js';
import { localMinute, type Period, type PeriodOptions, resolvePeriod } from '../report/period.js';
import { formatSummary } from '../report/summary.js';
import { everyPodSyncedAfter } from '../report/synced-after.js';
import { type Db, lastSyncOf, listPods } from '../store/db.js';
import { periodOptions } from './period-options.js';
import { podIdArg } from '../pod-address.js';
import { checkPodOption, POD_OPTION_HELP, withDb } from './db-option.js';
import { refuseLinkOptions } from './link-option.js';

interface SummaryOptions extends PeriodOptions {
  pod?: string;
  json?: boolean;
  chart?: boolean;
}

export function registerSummary(program: Command): void {
  periodOptions(
    program
      .command('summary')
      .description('what you walked: strides, estimated steps, retro minutes, cadence, wrong-gait rate, intervals, energy (default: the last 7 days)'),
  )
    .option('--pod <id>', POD_OPTION_HELP, podIdArg)
    .option('--json', 'machine-readable output')
    .option('--no-chart', 'no terminal chart')
    .action(async (o: SummaryOptions, cmd: Command) => {
      refuseLinkOptions(cmd, (pod) => `\`summary\` reads the database, not ${pod}`, { database: true });
      await withDb(cmd, async (db, file) => {
        const period = resolvePeriod(o);
        o.pod = checkPodOption(db, file, o.pod);
        const figures = periodSummary(db, period, o.pod);
        const s = figures.summary;
        const whose = totalsOf(db, period, o.pod);
        const { demo_included: demo, pods_together: together } = whose;
        if (o.json) {
          // (what the text's notes say, for a script too: whose walking these totals sum)
          console.log(JSON.stringify({ ...summaryJson(figures), ...whose }, null, 2));
          return;
        }
        console.log(formatSummary(s, `Summary, ${period.label}`));
        if (demo) console.log(`  demo walk            included (pod ${demo}, from \`retrostep demo\`): --pod ID sums one pod`);
        if (together) console.log(`  pods together        ${together.pods.join(' and ')} walked the same ${together.minutes} minute${together.minutes === 1 ? '' : 's'}: worn on both feet, those steps are counted twice here; --pod ID sums one pod`);
        if (s.minutes === 0) console.log(`  ${nothingStored(db, file, o.pod, period)}`);
        else if (o.chart !== false) {
          const chart = strideChart(chartBuckets(db, figures, o.pod), pc.isColorSupported);
          if (chart) console.log('\n' + chart);
        }
      }, { reads: true });
    });
}

/**
 * The line for a period with no walking. A database with no pods at all is named (the data folder's own before a
 * first sync, or one `config set` made): its zeros read like a week not walked. With --pod, other pods may have
 * walked it. (A --db that is not there is refused before: withDb's reads.)
 */
function nothingStored(db: Db, file: string, pod: string | undefined, period: Period): string {
  const pods = listPods(db);
  if (pods.length === 0) return `(no walking stored: ${file} has no pods yet; run \`retrostep sync\`, or \`retrostep demo\` to try it)`;
  if (pod !== undefined) {
    // (a pod synced after the period ended copied all it had walked in it: it walked none; "run sync" would send
    // its wearer to look for minutes that are not there)
    const row = pods.find((p) => p.pod_id === pod);
    const synced_s = row ? lastSyncOf(row) : null;
    if (synced_s !== null && synced_s >= period.to_s) return `(no walking by pod ${pod} in this period: its last sync, ${localMinute(synced_s)}, came after it)`;
    if (synced_s !== null) return `(no walking stored for this period by pod ${pod}, last synced ${localMinute(synced_s)}: \`retrostep sync\` copies anything it walked since)`;
    return `(no walking stored for this period by pod ${pod}: run \`retrostep sync\` to copy its latest)`;
  }
  // (every pod synced after the period ended copied all it had walked in it, as with --pod: "run sync, or demo"
  // sent the wearer of a week walked since to look for last month's minutes that are not there)
  if (everyPodSyncedAfter(pods.map(lastSyncOf), period.to_s)) return "(no walking by any pod in this period: each pod's last sync came after it)";
  return '(no walking stored for this period: run `retrostep sync`, or `retrostep demo` to try it)';
}
