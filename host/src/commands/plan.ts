/** `retrostep plan`: where the user is in the training plan and what comes next. */
import type { Command } from 'commander';
import { formatPlan, planJson, planStatus } from '../report/plan.js';
import { withDb } from './db-option.js';
import { refuseLinkOptions } from './link-option.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('the training progression (10, 20, 30 backward steps a minute, then 10-15 minutes 4 days a week): where you are, what is next')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      refuseLinkOptions(cmd, (pod) => `\`plan\` reads the database, not ${pod}`, { database: true });
      await withDb(cmd, async (db) => {
        const p = planStatus(db);
        console.log(o.json ? JSON.stringify(planJson(p), null, 2) : formatPlan(p));
      }, { reads: true });
    });
}
