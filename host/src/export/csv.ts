/** CSV export: a header row, then one row per stored minute (spreadsheets read it as is). */
import { type ExportRecord, RECORD_COLUMNS } from './records.js';

export function toCsv(records: ExportRecord[]): string {
  const header = ['time_utc', ...RECORD_COLUMNS].join(',');
  const rows = records.map((r) => [new Date(r.start_s * 1000).toISOString(), ...RECORD_COLUMNS.map((c) => String(r[c]))].join(','));
  return [header, ...rows].join('\n') + '\n';
}
