import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { forgetAfter0035 } from '../support/forget-after-0035.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const now = new Date('2026-03-03T02:00:00Z');

/** What the migrations after 0033 made, undone with 0033's row, so the migrator (which refuses a gap) runs them all again. */
const FORGET_AFTER_0033 = [
  'DROP INDEX bank_lines_naming',
  'DROP INDEX source_events_in_transit',
  'ALTER TABLE run_lock DROP COLUMN pid_started',
  "DELETE FROM kysely_migration WHERE name IN ('0033-entry-balance-in-one-pass', '0034-transit-indexes', '0035-run-lock-holder-start')",
];

/** The balance check as 0011 (SQLite) and 0001 (PostgreSQL) left it, back in place, and 0033 forgotten: a ledger at 0032. */
const SQLITE_BEFORE_0033 = [
  'DROP TRIGGER journal_entries_balanced',
  `CREATE TRIGGER journal_entries_balanced BEFORE INSERT ON journal_entries
     BEGIN
       SELECT RAISE(FAIL, 'journal entry has fewer than two lines')
         WHERE (SELECT COUNT(*) FROM journal_lines WHERE entry_id = NEW.id) < 2;
       SELECT RAISE(FAIL, 'journal entry does not balance: debits and credits differ in a currency')
         WHERE EXISTS (SELECT 1 FROM journal_lines WHERE entry_id = NEW.id GROUP BY currency HAVING SUM(amount_micros) <> 0);
     END`,
  ...FORGET_AFTER_0033,
];
const POSTGRES_BEFORE_0033 = [
  `CREATE OR REPLACE FUNCTION ledgerline_journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF (SELECT COUNT(*) FROM journal_lines WHERE entry_id = NEW.id) < 2 THEN
         RAISE EXCEPTION USING MESSAGE = 'journal entry has fewer than two lines', ERRCODE = 'check_violation';
       END IF;
       IF EXISTS (SELECT 1 FROM journal_lines WHERE entry_id = NEW.id GROUP BY currency HAVING SUM(amount_micros) <> 0) THEN
         RAISE EXCEPTION USING MESSAGE = 'journal entry does not balance: debits and credits differ in a currency', ERRCODE = 'check_violation';
       END IF;
       RETURN NULL;
     END $$`,
  ...FORGET_AFTER_0033,
];

/** An entry's lines, then its row, as the store writes them. Example: ('je:x', [['USD', 7], ['USD', -6]]). */
function entryStatements(id: string, lines: [currency: string, micros: number][]): string[] {
  return [
    ...lines.map(
      ([currency, micros], index) =>
        `INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ('${id}', ${index + 1}, 'account_${index}', '${currency}', ${micros})`,
    ),
    `INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES ('${id}', '2026-03-04', 'smm-panel', 'raw', '[]', 'h', 't')`,
  ];
}

describe.each(LEDGER_ENGINES)('upgrading a %s ledger to the balance check in one pass (0033)', (engine) => {
  it('keeps its entries and still refuses every entry that does not balance, with the same words', async () => {
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
          { account: 'smm_services_expense', currency: 'USD', amountMicros: 900_000n },
          { account: 'panel_prepaid', currency: 'USD', amountMicros: -900_000n },
        ],
      },
      { now },
    );
    await before.close();
    await rawTransaction(location, [
      ...forgetAfter0035(location),
      ...(engine === 'postgres' ? POSTGRES_BEFORE_0033 : SQLITE_BEFORE_0033),
    ]);

    await (await LedgerStore.openAt(location)).close();
    expect(await readBooks(location, (books) => books.rows('kysely_migration', 'name DESC'))).toContainEqual(
      expect.objectContaining({ name: '0033-entry-balance-in-one-pass' }),
    );
    const refusal = (id: string, lines: [string, number][]) => rawTransaction(location, entryStatements(id, lines));
    await expect(
      refusal('je:usd', [
        ['USD', 7],
        ['USD', -6],
      ]),
    ).rejects.toThrow('journal entry does not balance: debits and credits differ in a currency');
    await expect(
      refusal('je:fx', [
        ['USD', 7],
        ['EUR', -7],
      ]),
    ).rejects.toThrow('journal entry does not balance: debits and credits differ in a currency');
    await expect(refusal('je:one', [['USD', 7]])).rejects.toThrow('journal entry has fewer than two lines');
    await expect(refusal('je:none', [])).rejects.toThrow('journal entry has fewer than two lines');
    await refusal('je:fx-ok', [
      ['USD', 7],
      ['EUR', 5],
      ['USD', -7],
      ['EUR', -5],
    ]);

    const { entries, unbalanced } = await readBooks(location, async (books) => ({
      entries: await books.rows('journal_entries', 'id'),
      unbalanced: await books.unbalancedEntries(),
    }));
    expect(entries).toEqual([expect.objectContaining({ id: 'je:fx-ok' }), expect.objectContaining({ id: 'je:old' })]);
    expect(unbalanced).toEqual([]);
  });
});
