/** JSON export: versioned, with the period, its totals (as `summary` computes them), whose walking they sum (as `summary --json` says it) and every minute. */
import type { TotalsOf } from '../report/period-summary.js';
import type { Period } from '../report/period.js';
import type { Summary } from '../report/summary.js';
import type { ExportRecord } from './records.js';

/** Bump when a field changes meaning; readers check it. */
const EXPORT_JSON_SCHEMA_VERSION = 1;

export function toJson(period: Period, summary: Summary, whose: TotalsOf, records: ExportRecord[]): string {
  return JSON.stringify({ schema_version: EXPORT_JSON_SCHEMA_VERSION, generator: 'retrostep', period, totals: summary, ...whose, records: records.map((r) => ({ time_utc: new Date(r.start_s * 1000).toISOString(), ...r })) }, null, 2) + '\n';
}
