import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 84 item 5: a statement cell beyond what the ledger's 64-bit columns hold reached the database and failed
 * there: `The bound string, buffer, or bigint is too big`, exit 70. Now refused by name as out of range (exit 2),
 * the file, line and column named, nothing imported. The CLI in process (runLedgerline): the refusal is the subject.
 */
const tempDir = useTempDir('ledgerline-statement-range-');
const CONFIG = [
  'ledger: data/ledger.sqlite',
  'timezone: UTC',
  'currency: USD',
  'sources:',
  '  - id: operating',
  '    kind: bank-statement',
  '    csv: { date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details, id: Id, balance: Balance }',
  '',
].join('\n');
const HEADER = 'Date,Amount,Currency,Reference,Details,Id,Balance';

describe('a statement amount beyond what the ledger holds is refused by name', { timeout: 60_000 }, () => {
  it.each([
    ['Balance', `${HEADER}\n2026-03-02,-3.10,USD,R1,card fee,L1,99999999999999999999.99\n`, '99999999999999999999.99'],
    [
      'Amount',
      `${HEADER}\n2026-03-02,-99999999999999999999.10,USD,R1,card fee,L1,100.00\n`,
      '-99999999999999999999.10',
    ],
  ])('the %s cell of 20 digits: exit 2 naming the cell, nothing imported', async (column, text, cell) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG);
    writeFileSync(join(dir, 'march.csv'), text);
    const env = { XDG_STATE_HOME: join(dir, 'state') };
    expect((await runLedgerline(['migrate'], { cwd: dir, env })).code).toBe(0);
    const ledger = join(dir, 'data', 'ledger.sqlite');
    const imported = await runLedgerline(['bank', 'import', 'march.csv', '--account', 'operating'], {
      cwd: dir,
      env,
    });
    expect(imported.code, imported.stderr).toBe(2);
    expect(imported.stderr).toContain(
      `march.csv, line 2, column "${column}": "${cell}" is out of range: the ledger holds amounts up to ±9223372036854.775807`,
    );
    expect(imported.stderr).toContain('nothing of the file was imported');
    const sqlite = new Database(ledger, { readonly: true });
    for (const table of ['bank_lines', 'bank_statements', 'bank_statement_balances'])
      expect(sqlite.prepare(`SELECT count(*) AS rows FROM ${table}`).get(), table).toEqual({ rows: 0 });
    sqlite.close();
  });
});
