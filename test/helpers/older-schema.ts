/**
 * A database as an older retrostep left it, made from today's schema less what came after: the columns each schema
 * version added (host/src/store/db.ts MIGRATIONS), dropped, and its user_version set back. For the tests that open
 * one (the migration keeps its records) and that read one the user cannot write.
 */
import type { Db } from '../../host/src/store/db.js';

/** [table, column] added by each version, as its migration adds them. */
const COLUMNS_ADDED_BY: Record<number, [string, string][]> = {
  5: [
    ['pods', 'config_json'],
    ['pods', 'config_s'],
  ],
  6: [['records', 'wrong_judges_forward']],
};

/** Turn `db` (today's schema) back into schema `version`: every column a later version added, dropped. */
export function backToSchema(db: Db, version: number): void {
  const later = Object.keys(COLUMNS_ADDED_BY).map(Number).filter((v) => v > version);
  const drops = later.flatMap((v) => COLUMNS_ADDED_BY[v]).map(([table, column]) => `ALTER TABLE ${table} DROP COLUMN ${column};`);
  db.exec(`${drops.join(' ')} PRAGMA user_version = ${version};`);
}
