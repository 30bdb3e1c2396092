/** `retrostep summary`: totals for a day, a week or a range, a chart, or JSON for scripts. */
import type { Command } from 'commander';
import pc from 'picocolors';
import { buckets } from '../report/buckets.js';
import { strideChart } from '../report/chart.js';
import { resolvePeriod } from '../report/period.js';
import { formatSummary, summarise, totals, userWeight_kg } from '../report/summary.js';
import { withDb } from './db-option.js';

/** Version of the --json shape: bump when a field changes meaning. */
export const SUMMARY_JSON_VERSION = 1;

interface SummaryOptions {
  day?: string | boolean;
  week?: string | boolean;
  from?: string;
  to?: string;
  pod?: string;
  json?: boolean;
  chart?: boolean;
}

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('what you walked: strides, estimated steps, retro minutes, cadence, wrong-gait rate, intervals, energy (default: the last 7 days)')
    .option('--day [date]', 'one day (default today), e.g. 2026-11-23')
    .option('--week [date]', 'the 7 days ending on this date (default today)')
    .option('--from <date>', 'from this day')
    .option('--to <date>', 'up to and including this day')
    .option('--pod <id>', 'one pod only')
    .option('--json', 'machine-readable output')
    .option('--no-chart', 'no terminal chart')
    .action(async (o: SummaryOptions, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const period = resolvePeriod(o);
        const s = summarise(totals(db, { from_s: period.from_s, to_s: period.to_s, pod_id: o.pod }), userWeight_kg(db));
        const b = buckets(db, period, o.pod);
        if (o.json) {
          console.log(JSON.stringify({ schema_version: SUMMARY_JSON_VERSION, period, summary: s, buckets: b.map((x) => ({ label: x.label, from_s: x.from_s, to_s: x.to_s, ...x.totals })) }, null, 2));
          return;
        }
        console.log(formatSummary(s, `Summary, ${period.label}`));
        if (s.minutes === 0) console.log('  (no walking stored for this period: run `retrostep sync`, or `retrostep demo` to try it)');
        else if (o.chart !== false) {
          const chart = strideChart(b, pc.isColorSupported);
          if (chart) console.log('\n' + chart);
        }
      });
    });
}
