import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { forgetAfter0035 } from '../support/forget-after-0035.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();

const FILED_Q1 = `INSERT INTO filed_returns (period, period_start, period_end, form, currency, boxes, return_sha256, filed_at, filed_by)
  VALUES ('2026-Q1', '2026-01-01', '2026-03-31', 'VAT', 'GBP', '{"1":"12.80"}', 'abc', '2026-04-07T09:00:00.000Z', 'ana')`;

/** An entry's two lines, then its row, as the store writes them, dated `date`. */
function entryStatements(id: string, date: string): string[] {
  return [
    ...[700, -700].map(
      (micros, index) =>
        `INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ('${id}', ${index + 1}, 'account_${index}', 'GBP', ${micros})`,
    ),
    `INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES ('${id}', '${date}', 'smm-panel', 'raw', '[]', 'h', 't')`,
  ];
}

describe.each(LEDGER_ENGINES)('upgrading a %s ledger to filed tax returns (0036)', (engine) => {
  it('keeps its entries, keeps filings append-only, and refuses an entry dated in a filed period from the database itself', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const before = await LedgerStore.openAt(location);
    await new Ledger(journalBooksOver(before)).appendEntry(
      {
        id: 'je:old',
        date: '2026-03-02',
        sourceId: 'smm-panel',
        description: 'orders',
        eventIds: [],
        lines: [
          { account: 'smm_services_expense', currency: 'GBP', amountMicros: 900_000n },
          { account: 'panel_prepaid', currency: 'GBP', amountMicros: -900_000n },
        ],
      },
      { now: new Date('2026-03-03T02:00:00Z') },
    );
    await before.close();
    await rawTransaction(location, forgetAfter0035(location));

    await (await LedgerStore.openAt(location)).close();
    expect(await readBooks(location, (books) => books.rows('journal_entries', 'id'))).toEqual([
      expect.objectContaining({ id: 'je:old', date: '2026-03-02' }),
    ]);
    expect(await readBooks(location, (books) => books.count('filed_returns'))).toBe(0);

    await rawTransaction(location, [FILED_Q1]);
    await expect(rawTransaction(location, ["UPDATE filed_returns SET filed_by = 'bo'"])).rejects.toThrow(
      'filed returns are append-only: UPDATE refused',
    );
    await expect(rawTransaction(location, ['DELETE FROM filed_returns'])).rejects.toThrow(
      'filed returns are append-only: DELETE refused',
    );
    // The append refuses first (PeriodFiledError); the trigger is the backstop of a write that bypasses it.
    await expect(rawTransaction(location, entryStatements('je:late', '2026-03-31'))).rejects.toThrow(
      'journal entry dated in a period whose tax return was filed: book it in the open period',
    );
    await rawTransaction(location, entryStatements('je:open', '2026-04-01'));
    expect((await readBooks(location, (books) => books.rows('journal_entries', 'id'))).length).toBe(2);
  });
});
