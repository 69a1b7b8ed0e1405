import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { landStatement } from '../../src/store/bank-lines.js';
import { LedgerStore } from '../../src/store/index.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();

const FORGET_0034 = "DELETE FROM kysely_migration WHERE name = '0034-bank-lines-before-their-statement'";
/** 0019's key as it was before 0034, and 0034 forgotten: a ledger at 0033. */
const BEFORE_0034 = {
  sqlite: [FORGET_0034],
  postgres: [
    'ALTER TABLE bank_lines ALTER CONSTRAINT bank_lines_account_statement_sha256_fkey NOT DEFERRABLE',
    FORGET_0034,
  ],
};
const SHA = 'b'.repeat(64);
const lineRow = (id: string, sha256: string) =>
  `INSERT INTO bank_lines (account, line_id, booked_on, amount_micros, currency, reference, description, statement_sha256) VALUES ('bank', '${id}', '2026-11-16', 1000000, 'EUR', 'r', 'd', '${sha256}')`;
const statementRow = `INSERT INTO bank_statements (account, sha256, file, format, lines_read, imported_at) VALUES ('bank', '${SHA}', 'dec.xml', 'camt.053', 1, 't')`;

/** Runs `statements` in one transaction straight through the engine's driver (foreign keys on, as the store keeps them). */
async function rawTransaction(location: string, statements: string[]): Promise<void> {
  if (!location.startsWith('postgres')) {
    const sqlite = new Database(location);
    try {
      sqlite.pragma('foreign_keys = ON');
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

describe.each(LEDGER_ENGINES)('upgrading a %s ledger to bank lines written before their statement (0034)', (engine) => {
  it('keeps its lines, still refuses a line naming no statement, and lets a unit that defers the key write the row last', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const before = await LedgerStore.openAt(location);
    async function* lines() {
      yield [
        {
          lineId: 'B1',
          bookedOn: '2026-11-16',
          amountMicros: 1_000_000n,
          currency: 'EUR',
          reference: 'r',
          description: 'd',
        },
      ];
    }
    await landStatement(before, {
      account: 'bank',
      file: 'nov.xml',
      format: 'camt.053',
      sha256: 'a'.repeat(64),
      lines: lines(),
      importedAt: 't',
    });
    await before.close();
    await rawTransaction(location, BEFORE_0034[engine]);

    await (await LedgerStore.openAt(location)).close();
    expect(await readBooks(location, (books) => books.rows('kysely_migration', 'name DESC LIMIT 1'))).toEqual([
      expect.objectContaining({ name: '0034-bank-lines-before-their-statement' }),
    ]);
    const refused = engine === 'postgres' ? 'violates foreign key constraint' : 'FOREIGN KEY constraint failed';
    await expect(rawTransaction(location, [lineRow('B2', SHA)])).rejects.toThrow(refused);
    const defer =
      engine === 'postgres'
        ? 'SET CONSTRAINTS bank_lines_account_statement_sha256_fkey DEFERRED'
        : 'PRAGMA defer_foreign_keys = ON';
    await expect(rawTransaction(location, [defer, lineRow('B2', SHA)])).rejects.toThrow(refused);
    await rawTransaction(location, [defer, lineRow('B2', SHA), statementRow]);
    const kept = await readBooks(location, (books) => books.rows('bank_lines', 'line_id'));
    expect(kept.map((row) => (row as { line_id: string }).line_id)).toEqual(['B1', 'B2']);
  });
});
