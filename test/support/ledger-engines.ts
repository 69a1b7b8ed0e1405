import Database from 'better-sqlite3';
import { sql, type CompiledQuery, type RawBuilder } from 'kysely';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openLedgerTables, queryTables } from './ledger-tables.js';
import { usePostgresServer } from './postgres-server.js';

const ALL_ENGINES = ['sqlite', 'postgres'] as const;
export type LedgerEngine = (typeof ALL_ENGINES)[number];

/**
 * The engines the scenario, crash and posting suites run on, once each (`describe.each(LEDGER_ENGINES)`): both,
 * unless LEDGERLINE_TEST_ENGINES names fewer (`LEDGERLINE_TEST_ENGINES=sqlite` on a machine without PostgreSQL).
 */
export const LEDGER_ENGINES: readonly LedgerEngine[] = ALL_ENGINES.filter((engine) =>
  (process.env.LEDGERLINE_TEST_ENGINES ?? ALL_ENGINES.join(',')).split(',').includes(engine),
);

/**
 * For a test file that runs on both engines: one PostgreSQL cluster for the whole file (none when only SQLite runs), and `fresh(engine)`,
 * which gives a new PostgreSQL database's URL, or undefined for SQLite (the file the configuration already names), and `copy(ledger)`,
 * which copies a PostgreSQL ledger a workspace built (undefined for SQLite).
 */
export function useLedgerEngines(): {
  fresh: (engine: LedgerEngine) => Promise<string | undefined>;
  copy: (ledger: string | undefined) => Promise<string | undefined>;
} {
  if (!LEDGER_ENGINES.includes('postgres')) return { fresh: async () => undefined, copy: async () => undefined };
  const { freshDatabase, copyDatabase } = usePostgresServer();
  return {
    fresh: async (engine) => (engine === 'postgres' ? freshDatabase() : undefined),
    // A SQLite ledger is a file in the workspace's folder, copied with it (copyWorkspace).
    copy: async (ledger) => (ledger?.startsWith('postgres') ? copyDatabase(ledger) : undefined),
  };
}

/** The books as the tests read them, on either engine; amounts and counts exact (bigint micro-units). */
export interface BooksView {
  /** Net (debits − credits) of every account that has a line, as exact decimal text; keys "account" (single-currency books). */
  balances(): Promise<Record<string, string>>;
  balanceMicros(account: string): Promise<bigint>;
  /** Entries whose lines do not sum to zero per currency, or that have fewer than two lines. */
  unbalancedEntries(): Promise<string[]>;
  count(table: string): Promise<number>;
  /** Every row of a table, ordered, with bigint amounts: for comparing two ledgers or a ledger before and after. */
  rows(table: string, orderBy: string): Promise<unknown[]>;
  /** Each day, source, account and currency whose daily movement (migration 0022) differs from its lines' sums, with both; [] when all agree. */
  movementsApartFromLines(): Promise<string[]>;
}

/** Net per account and currency, in account order (the columns are byte-ordered on both engines). */
const BALANCES_SQL =
  'SELECT account, currency, SUM(amount_micros) AS net FROM journal_lines GROUP BY account, currency ORDER BY account';
const UNBALANCED_SQL = `SELECT e.id AS id FROM journal_entries e
     WHERE (SELECT COUNT(*) FROM journal_lines l WHERE l.entry_id = e.id) < 2
        OR EXISTS (SELECT 1 FROM journal_lines l WHERE l.entry_id = e.id GROUP BY l.currency HAVING SUM(l.amount_micros) <> 0)
   UNION
   SELECT DISTINCT l.entry_id FROM journal_lines l WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = l.entry_id)`;

/** A day's debits and credits, exact and in cents, from the lines themselves (written here, not borrowed from migrations/). */
const signed = (amount: string, unit: string) =>
  `SUM(CASE WHEN ${amount} > 0 THEN ${amount} ELSE 0 END) AS debit_${unit}, SUM(CASE WHEN ${amount} < 0 THEN -${amount} ELSE 0 END) AS credit_${unit}`;
const LINE_SUMS_SQL = `SELECT e.date, e.source_id, l.account, l.currency, ${signed('l.amount_micros', 'micros')}, ${signed('COALESCE(l.cents, 0)', 'cents')}
     FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id GROUP BY e.date, e.source_id, l.account, l.currency
   UNION ALL
   SELECT e.date, e.source_id, r.account, r.currency, 0, 0, ${signed('r.cents', 'cents')}
     FROM rendered_lines r JOIN journal_entries e ON e.id = r.entry_id GROUP BY e.date, e.source_id, r.account, r.currency`;
const MOVEMENTS_SQL =
  'SELECT date, source_id, account, currency, debit_micros, credit_micros, debit_cents, credit_cents FROM daily_movements';

/** Rows of (date, source, account, currency, four sums) added up by their first four columns, the sums as text. */
function summedByDay(rows: Record<string, unknown>[]): Map<string, string> {
  const sums = new Map<string, bigint[]>();
  for (const row of rows) {
    const cells = Object.values(row);
    const key = cells.slice(0, 4).join(' ');
    const sum = sums.get(key) ?? [0n, 0n, 0n, 0n];
    cells.slice(4).forEach((cell, index) => (sum[index]! += BigInt(cell as bigint)));
    sums.set(key, sum);
  }
  return new Map([...sums].map(([key, sum]) => [key, sum.join('/')]));
}

/**
 * Opens the ledger at `location` (a SQLite file or a postgres:// URL) through ledger-tables.ts, reads and
 * closes it: the CLI is never running while a test reads its ledger.
 */
export async function readBooks<T>(location: string, read: (books: BooksView) => Promise<T>): Promise<T> {
  const tables = await openLedgerTables(location);
  const all = <Row>(query: RawBuilder<unknown>): Promise<Row[]> =>
    tables.all({ compile: () => query.compile(tables.db) as CompiledQuery<Row> });
  try {
    return await read({
      async balances() {
        const rows = await all<{ account: string; currency: string; net: bigint }>(sql.raw(BALANCES_SQL));
        const result: Record<string, string> = {};
        for (const row of rows) {
          if (row.currency !== 'USD') throw new Error(`unexpected currency ${row.currency} on ${row.account}`);
          result[row.account] = microsText(BigInt(row.net));
        }
        return result;
      },
      async balanceMicros(account) {
        const [row] = await all<{ net: bigint }>(
          sql`SELECT COALESCE(SUM(amount_micros), 0) AS net FROM journal_lines WHERE account = ${account}`,
        );
        return BigInt(row!.net);
      },
      async unbalancedEntries() {
        return (await all<{ id: string }>(sql.raw(UNBALANCED_SQL))).map((row) => row.id);
      },
      async count(table) {
        const [row] = await all<{ n: bigint }>(sql`SELECT COUNT(*) AS n FROM ${sql.table(table)}`);
        return Number(row!.n);
      },
      rows: (table, orderBy) => all(sql`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(orderBy)}`),
      async movementsApartFromLines() {
        const kept = summedByDay(await all(sql.raw(MOVEMENTS_SQL)));
        const fromLines = summedByDay(await all(sql.raw(LINE_SUMS_SQL)));
        const keys = [...new Set([...kept.keys(), ...fromLines.keys()])].sort();
        return keys
          .filter((key) => kept.get(key) !== fromLines.get(key))
          .map((key) => `${key}: kept ${kept.get(key)}, lines ${fromLines.get(key)}`);
      },
    });
  } finally {
    await tables.close();
  }
}

/** Micro-units as exact decimal text, at least 2 decimals ("-248.2" → "-248.20", 247704490n → "247.70449"); written here, not borrowed from src/. */
export function microsText(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  const magnitude = micros < 0n ? -micros : micros;
  const fraction = (magnitude % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${sign}${magnitude / 1_000_000n}.${fraction}`;
}

/**
 * Every table the migrations leave, read from migrations/ itself so a new table is counted too (one renamed away is
 * not); read when first asked, not by every file that imports this one.
 */
function migratedTables(): readonly string[] {
  const migrations = readdirSync('migrations')
    .filter((file) => /^\d{4}-.*\.ts$/.test(file))
    .map((file) => readFileSync(join('migrations', file), 'utf8'))
    .join('\n');
  const renamedAway = new Set([...migrations.matchAll(/ALTER TABLE ([a-z_]+) RENAME TO/g)].map((match) => match[1]!));
  const created = migrations.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g);
  return [...new Set([...created].map((match) => match[1]!))].filter((table) => !renamedAway.has(table)).sort();
}
let tables: readonly string[] | undefined;

/** Every table's row count and the journal's chain head: what a run that writes nothing (a dry run) leaves as it found. */
export async function rowCountsAndChainHead(
  location: string,
): Promise<{ counts: Record<string, number>; head: string }> {
  const counts = await readBooks(location, async (books) =>
    Object.fromEntries(
      await Promise.all((tables ??= migratedTables()).map(async (table) => [table, await books.count(table)] as const)),
    ),
  );
  const chain = await queryTables(location, (db) =>
    db.selectFrom('journal_entries').select('chain_hash').orderBy('seq', 'desc').limit(1),
  );
  return { counts, head: chain[0]?.chain_hash ?? '' };
}

/**
 * Runs `statements` on the ledger at `location` straight through its engine's driver, past the ledger's code, in one
 * transaction (the balance is checked when the entry row goes in on SQLite, at COMMIT on PostgreSQL).
 */
export async function rawTransaction(location: string, statements: string[]): Promise<void> {
  if (!location.startsWith('postgres')) {
    const sqlite = new Database(location);
    try {
      sqlite.transaction(() => statements.forEach((statement) => sqlite.exec(statement)))();
    } finally {
      sqlite.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}
