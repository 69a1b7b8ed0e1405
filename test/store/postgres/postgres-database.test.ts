import Database from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../migrations/index.js';
import { applyPostgresMigrations, openPostgresDatabase } from '../../../src/store/postgres/postgres-database.js';
import type { LedgerDatabase } from '../../../src/store/schema.js';
import { usePostgresServer } from '../../support/postgres-server.js';

const { server, freshDatabase, emptyDatabase } = usePostgresServer();
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function open(url: string): Promise<Kysely<LedgerDatabase>> {
  const db = await openPostgresDatabase(url);
  closers.push(() => db.destroy());
  return db;
}

/** The shared migrations not yet applied, applied; the names of those it applied. */
async function migratedNames(db: Kysely<LedgerDatabase>): Promise<string[]> {
  return (await applyPostgresMigrations(db, 'the PostgreSQL ledger')).map((result) => result.migrationName);
}

async function migratedLedger(): Promise<{ db: Kysely<LedgerDatabase>; raw: pg.Client }> {
  const url = await freshDatabase();
  const db = await open(url);
  await migratedNames(db);
  // Raw SQL straight to the server, past kysely and the ledger's own code: what the database alone refuses.
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  closers.push(() => raw.end());
  return { db, raw };
}

const LINE =
  'INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ($1, $2, $3, $4, $5)';
const HEADER =
  "INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES ($1, '2026-03-02', 'smm-panel', 'raw', '[]', 'x', '2026-03-03T00:00:00Z')";

/** Lines, then the header, in one transaction (as the store writes an entry); the balance is checked at COMMIT. */
async function writeEntry(raw: pg.Client, id: string, lines: [currency: string, micros: bigint][]): Promise<void> {
  await raw.query('BEGIN');
  try {
    for (const [index, [currency, micros]] of lines.entries())
      await raw.query(LINE, [id, index + 1, `account_${index}`, currency, micros.toString()]);
    await raw.query(HEADER, [id]);
    await raw.query('COMMIT');
  } catch (error) {
    await raw.query('ROLLBACK');
    throw error;
  }
}

describe('the PostgreSQL ledger schema', () => {
  it('applies every migration under the SQLite names, and a second run applies nothing', async () => {
    const db = await open(await emptyDatabase());
    expect(await migratedNames(db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migratedNames(db)).toEqual([]);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    expect(rows.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS));
  });

  it('has the tables, columns, indexes and refusing triggers of the SQLite schema, TRUNCATE refusals besides', async () => {
    const { raw } = await migratedLedger();
    const tables = await raw.query<{ table_name: string; columns: string[] }>(
      `SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) AS columns FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name NOT LIKE 'kysely%' GROUP BY table_name ORDER BY table_name`,
    );
    const indexes = await raw.query<{ name: string }>(
      `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%\_pkey' AND indexname NOT LIKE '%\_key' ORDER BY 1`,
    );
    const triggers = await raw.query<{ name: string }>(
      `SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`,
    );
    const sqlite = await sqliteSchema();
    expect(sqlite.triggers).toContain('journal_entries_balanced');
    expect(Object.fromEntries(tables.rows.map((row) => [row.table_name, row.columns]))).toEqual(sqlite.tables);
    expect(indexes.rows.map((row) => row.name)).toEqual(sqlite.indexes);
    // A `_references` trigger checks, once per statement, what SQLite's foreign keys check (migration 0025).
    expect(
      triggers.rows
        .map((row) => row.name)
        .filter((name) => !name.endsWith('_no_truncate') && !name.endsWith('_references')),
    ).toEqual(sqlite.triggers);
  });

  it('accepts a balanced multi-currency entry and refuses, at commit, one that balances only in total', async () => {
    const { raw } = await migratedLedger();
    await writeEntry(raw, 'je:fx-ok', [
      ['USD', 1_000_000n],
      ['USD', -1_000_000n],
      ['EUR', 920_000n],
      ['EUR', -920_000n],
    ]);
    await expect(
      writeEntry(raw, 'je:fx', [
        ['USD', 1_000_000n],
        ['EUR', -1_000_000n],
      ]),
    ).rejects.toThrow('journal entry does not balance: debits and credits differ in a currency');
    await expect(
      writeEntry(raw, 'je:raw', [
        ['USD', 1_000_000n],
        ['USD', -999_999n],
      ]),
    ).rejects.toThrow(/does not balance/);
    await expect(writeEntry(raw, 'je:one', [['USD', 5n]])).rejects.toThrow('journal entry has fewer than two lines');
    const { rows } = await raw.query('SELECT id FROM journal_entries');
    expect(rows).toEqual([{ id: 'je:fx-ok' }]);
  });

  it('checks the balance at COMMIT, or at once in a session that sets its constraints immediate', async () => {
    const { raw } = await migratedLedger();
    await raw.query('BEGIN');
    await raw.query(LINE, ['je:late', 1, 'a', 'USD', '10']);
    await raw.query(LINE, ['je:late', 2, 'b', 'USD', '-9']);
    await raw.query(HEADER, ['je:late']);
    await expect(raw.query('COMMIT')).rejects.toThrow('journal entry does not balance');
    await raw.query('BEGIN');
    await raw.query('SET CONSTRAINTS journal_entries_balanced IMMEDIATE');
    await raw.query(LINE, ['je:now', 1, 'a', 'USD', '10']);
    await expect(raw.query(HEADER, ['je:now'])).rejects.toThrow('journal entry has fewer than two lines');
    await raw.query('ROLLBACK');
    expect((await raw.query('SELECT COUNT(*)::int AS n FROM journal_lines')).rows).toEqual([{ n: 0 }]);
  });

  it('orders text byte by byte, as SQLite does, in a database whose own collation is a language one', async () => {
    const admin = new pg.Client({ connectionString: server().url('postgres') });
    await admin.connect();
    closers.push(() => admin.end());
    await admin.query(
      "CREATE DATABASE ledger_icu TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'",
    );
    await migratedNames(await open(server().url('ledger_icu')));
    const raw = new pg.Client({ connectionString: server().url('ledger_icu') });
    await raw.connect();
    closers.push(() => raw.end());
    await raw.query('BEGIN');
    for (const [index, account] of ['expenses', 'assets', 'Assets'].entries())
      await raw.query(LINE, ['je:sorted', index + 1, account, 'USD', index === 0 ? '2' : '-1']);
    await raw.query(HEADER, ['je:sorted']);
    await raw.query('COMMIT');
    const inColumnOrder = await raw.query('SELECT account FROM journal_lines ORDER BY account');
    expect(inColumnOrder.rows.map((row: { account: string }) => row.account)).toEqual(['Assets', 'assets', 'expenses']);
    // The database's own collation would put them otherwise: what the column's "C" guards against.
    const inDatabaseOrder = await raw.query('SELECT account FROM journal_lines ORDER BY account COLLATE "default"');
    expect(inDatabaseOrder.rows.map((row: { account: string }) => row.account)).toEqual([
      'assets',
      'Assets',
      'expenses',
    ]);
  });

  it('refuses lines with no entry, and lines added to a committed entry', async () => {
    const { raw } = await migratedLedger();
    await expect(writeEntryLinesOnly(raw, 'je:orphan')).rejects.toThrow(/foreign key/);
    await writeEntry(raw, 'je:ok', [
      ['USD', 2_500_000n],
      ['USD', -2_500_000n],
    ]);
    await expect(raw.query(LINE, ['je:ok', 3, 'x', 'USD', '7'])).rejects.toThrow(
      'journal entry already committed: lines cannot be added',
    );
  });

  it('refuses cents rendered for an entry that is not booked at COMMIT, as SQLite does', async () => {
    const { raw } = await migratedLedger();
    await raw.query('BEGIN');
    await raw.query(
      "INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents) VALUES ('je:none', 1, 'x', 'USD', 5)",
    );
    await expect(raw.query('COMMIT')).rejects.toThrow(/foreign key/);
    expect((await raw.query('SELECT COUNT(*)::int AS n FROM rendered_lines')).rows).toEqual([{ n: 0 }]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of entries, lines and raw replies sent as raw SQL', async () => {
    const { raw } = await migratedLedger();
    await writeEntry(raw, 'je:ok', [
      ['USD', 2_500_000n],
      ['USD', -2_500_000n],
    ]);
    await raw.query(
      "INSERT INTO raw_observations (source_id, action, request, as_of, fetched_at, http_status, body, content_hash) VALUES ('smm-panel', 'balance', '{}', '2026-03-02', 't', 200, '{}', 'h')",
    );
    const refused: [string, string][] = [
      [
        "UPDATE journal_entries SET date = '2026-01-01'",
        'journal entries are immutable: UPDATE refused; book a correcting entry',
      ],
      ['DELETE FROM journal_entries', 'journal entries are immutable: DELETE refused; book a reversing entry'],
      ['UPDATE journal_lines SET amount_micros = 1 WHERE line_no = 1', 'journal lines are immutable: UPDATE refused'],
      ['DELETE FROM journal_lines', 'journal lines are immutable: DELETE refused'],
      ['TRUNCATE journal_lines', 'journal lines are immutable: TRUNCATE refused'],
      [`UPDATE raw_observations SET body = '{"balance":"0"}'`, 'raw observations are append-only: UPDATE refused'],
      ['DELETE FROM raw_observations', 'raw observations are append-only: DELETE refused'],
      ['TRUNCATE raw_observations CASCADE', 'raw observations are append-only: TRUNCATE refused'],
    ];
    for (const [statement, message] of refused) await expect(raw.query(statement), statement).rejects.toThrow(message);
    expect((await raw.query('SELECT COUNT(*)::int AS n FROM journal_lines')).rows).toEqual([{ n: 2 }]);
    expect((await raw.query('SELECT body FROM raw_observations')).rows).toEqual([{ body: '{}' }]);
  });

  it('reads 64-bit amounts and counts back exactly, as BigInt, and a fractional NUMERIC as its exact text', async () => {
    const { db, raw } = await migratedLedger();
    const big = 9_007_199_254_740_993n;
    await writeEntry(raw, 'je:big', [
      ['USD', big],
      ['USD', -big],
    ]);
    const lines = await db
      .selectFrom('journal_lines')
      .select(['amount_micros', 'line_no'])
      .orderBy('line_no')
      .execute();
    expect(lines).toEqual([
      { amount_micros: big, line_no: 1n },
      { amount_micros: -big, line_no: 2n },
    ]);
    const { rows } = await sql<{ total: unknown; lines: unknown; positive: unknown }>`
      SELECT SUM(amount_micros) AS total, COUNT(*) AS lines, SUM(amount_micros) FILTER (WHERE amount_micros > 0) AS positive FROM journal_lines`.execute(
      db,
    );
    expect(rows).toEqual([{ total: 0n, lines: 2n, positive: big }]);
    const fraction = await sql<{ rate: unknown }>`SELECT 1.0850::numeric AS rate`.execute(db);
    expect(fraction.rows).toEqual([{ rate: '1.0850' }]);
    // Set on the ledger's pool alone: node-postgres's global parsers, which other code in the process may rely on, are untouched.
    expect((await raw.query('SELECT amount_micros FROM journal_lines WHERE line_no = 1')).rows).toEqual([
      { amount_micros: big.toString() },
    ]);
  });
});

describe('opening a PostgreSQL ledger', () => {
  it('names the database as user@host:port/database and never shows the password', async () => {
    const { port, user, password } = server();
    const attempts = [
      `postgres://${user}:${password}@127.0.0.1:${port}/no_such_ledger`,
      `postgres://${user}:wrong-${password}@127.0.0.1:${port}/postgres`,
    ];
    for (const url of attempts) {
      const error = await openPostgresDatabase(url).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error?.message).toMatch(
        new RegExp(`^cannot connect to the PostgreSQL ledger ${user}@127\\.0\\.0\\.1:${port}/\\w+: `),
      );
      expect(error?.message).not.toContain(password);
      expect(String(error?.stack)).not.toContain(password);
    }
  });
});

async function writeEntryLinesOnly(raw: pg.Client, id: string): Promise<void> {
  await raw.query('BEGIN');
  try {
    await raw.query(LINE, [id, 1, 'a', 'USD', '5']);
    await raw.query(LINE, [id, 2, 'b', 'USD', '-5']);
    await raw.query('COMMIT');
  } catch (error) {
    await raw.query('ROLLBACK');
    throw error;
  }
}

/** A fresh SQLite ledger's tables (with their columns in order), explicit indexes and triggers. */
async function sqliteSchema(): Promise<{ tables: Record<string, string[]>; indexes: string[]; triggers: string[] }> {
  const sqlite = new Database(':memory:');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateToLatest();
    if (error !== undefined) throw error;
    const names = (type: string) =>
      (
        sqlite
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = ? AND sql IS NOT NULL AND name NOT LIKE 'kysely%' AND name NOT LIKE 'sqlite%' ORDER BY name",
          )
          .all(type) as { name: string }[]
      ).map((row) => row.name);
    const tables = Object.fromEntries(
      names('table').map((table) => [
        table,
        (sqlite.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string }[]).map(
          (row) => row.name,
        ),
      ]),
    );
    return { tables, indexes: names('index'), triggers: names('trigger') };
  } finally {
    await db.destroy();
  }
}
