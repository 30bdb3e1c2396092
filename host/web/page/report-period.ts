/**
 * The report's period as the page's "Show" list picks it: the query `/report` reads, the same periods as
 * `retrostep report` (--day, --week DATE, --month [YYYY-MM]), each ending on this browser's local day.
 */
import { localDate } from '../../src/report/period.js';

export type ReportChoice = '' | 'day' | 'week-before' | 'month' | 'month-before';

/** The query string (with its "?", or '' for the default: the last 7 days). */
export function reportQuery(choice: string, now = new Date()): string {
  switch (choice as ReportChoice) {
    case 'day':
      return '?day';
    case 'week-before':
      // the 7 days that end 7 days ago: --week takes the period's last day
      return `?week=${localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 7))}`;
    case 'month':
      return '?month';
    case 'month-before':
      return `?month=${localDate(new Date(now.getFullYear(), now.getMonth() - 1, 1)).slice(0, 7)}`;
    default:
      return '';
  }
}
