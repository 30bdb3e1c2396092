/**
 * The report's period as the page's "Show" list picks it: the query `/report` reads, the same periods as
 * `retrostep report` (--day, --week, --month). The periods before (the 7 days before the last 7, last month) are
 * asked for by name and dated by the server (earlierPeriod), in the time zone it draws the report's days in: dated
 * here, in the browser's, they did not meet the last 7 days when the two zones were a day apart.
 */
type ReportChoice = '' | 'day' | 'week-before' | 'month' | 'month-before';

/** The query string (with its "?", or '' for the default: the last 7 days). */
export function reportQuery(choice: string): string {
  switch (choice as ReportChoice) {
    case 'day':
      return '?day';
    case 'week-before':
      return '?before=week';
    case 'month':
      return '?month';
    case 'month-before':
      return '?before=month';
    default:
      return '';
  }
}
