/**
 * Migration 0022 (the daily movements) on a ledger built before it, against one GROUP BY of the same lines:
 * the bulk ledger of BENCH_LINES journal lines (default 1,000,000; bench/support/bulk-ledger.mjs) is taken back
 * to the schema before 0022 (its table dropped, its migration and the later ones forgotten), then opened by
 * ledgerline, which runs 0022 and the later ones (a table or a column each); the baseline is the 0022 query's
 * GROUP BY of the same lines written to a table in the same process. Each round opens a fresh copy (BENCH_ROUNDS, default 3); the median counted. Then the
 * movements are checked against the lines' sums, written here apart from the migration: both ways of EXCEPT.
 *
 * 2026-11-25, load 18-25 (2 cores shared), 1,000,000 lines, 3 rounds: 0022 took 14.8 s (median) against 10.3 s
 * for the GROUP BY alone (1.44×: the rest is writing the table and its primary key); 0 movements apart.
 *
 *   npm run build && node bench/run.mjs daily-movements-migration
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { LedgerStore } from '../dist/src/store/index.js';
import { writeBulkLedger } from './support/bulk-ledger.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';
import { FORGET_AFTER_0022, SQLITE_TRIGGER_BEFORE_0026 } from './support/forget-after-0022.mjs';

const LINES = sized('BENCH_LINES', 1_000_000, 2000);
const ROUNDS = sized('BENCH_ROUNDS', 3, 1);
const MIGRATION = '0022-daily-movements';

const signed = (amount, unit) =>
  `SUM(CASE WHEN ${amount} > 0 THEN ${amount} ELSE 0 END) AS debit_${unit}, SUM(CASE WHEN ${amount} < 0 THEN -${amount} ELSE 0 END) AS credit_${unit}`;
/** Each day's debits and credits per source, account and currency, exact and in cents, from the lines and the rounding lines. */
const LINE_SUMS = `SELECT date, source_id, account, currency, SUM(debit_micros), SUM(credit_micros), SUM(debit_cents), SUM(credit_cents) FROM (
    SELECT e.date, e.source_id, l.account, l.currency, ${signed('l.amount_micros', 'micros')}, ${signed('COALESCE(l.cents, 0)', 'cents')}
      FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT e.date, e.source_id, r.account, r.currency, 0, 0, ${signed('r.cents', 'cents')}
      FROM rendered_lines r JOIN journal_entries e ON e.id = r.entry_id GROUP BY 1, 2, 3, 4
  ) GROUP BY 1, 2, 3, 4`;
const MOVEMENTS =
  'SELECT date, source_id, account, currency, debit_micros, credit_micros, debit_cents, credit_cents FROM daily_movements';

/** The ledger at `path` as a ledgerline before 0022 left it: no daily_movements table, 0022 and the later ones not applied. */
function beforeMigration(path) {
  const db = new Database(path);
  for (const statement of [...SQLITE_TRIGGER_BEFORE_0026, ...FORGET_AFTER_0022]) db.exec(statement);
  db.exec('DROP TABLE daily_movements');
  db.prepare('DELETE FROM kysely_migration WHERE name = ?').run(MIGRATION);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Rows of the daily movements that are not the lines' sums, and sums of the lines no movement holds. */
function movementsApartFromLines(path) {
  const db = new Database(path, { readonly: true });
  try {
    const count = (sql) => db.prepare(`SELECT COUNT(*) AS n FROM (${sql})`).get().n;
    return count(`${MOVEMENTS} EXCEPT ${LINE_SUMS}`) + count(`${LINE_SUMS} EXCEPT ${MOVEMENTS}`);
  } finally {
    db.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

export async function run({ lines = LINES, rounds = ROUNDS } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-movements-migration-'));
  try {
    await writeBulkLedger(dir, lines);
    const before = join(dir, 'before-0022.sqlite');
    copyFileSync(join(dir, 'ledger.sqlite'), before);
    beforeMigration(before);
    const migrated = [];
    const groupBy = [];
    let apart = 0;
    for (let round = 0; round < rounds; round += 1) {
      const path = join(dir, `round-${round}.sqlite`);
      copyFileSync(before, path);
      let started = performance.now();
      const store = await LedgerStore.open(path);
      await store.close();
      migrated.push(performance.now() - started);
      apart += movementsApartFromLines(path);
      const db = new Database(path);
      started = performance.now();
      db.exec(`CREATE TEMP TABLE line_sums AS ${LINE_SUMS}`);
      groupBy.push(performance.now() - started);
      db.close();
      rmSync(path);
    }
    return {
      name: 'daily-movements-migration',
      metrics: {
        lines,
        rounds,
        migration_0022_ms: Math.round(median(migrated)),
        group_by_ms: Math.round(median(groupBy)),
        'migration ÷ one GROUP BY of the lines': Number((median(migrated) / Math.max(median(groupBy), 1)).toFixed(2)),
        'movements apart from the lines (must be 0)': apart,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runWhenMain(import.meta.url, run);
