import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger, type FiledReturn } from '../../src/ledger/index.js';
import type { JournalEntry } from '../../src/rules/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { closedThrough } from '../../src/pipeline/transit/books/bank-leg-rows.js';
import { filingBooks } from '../../src/pipeline/adjustments/index.js';
import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const now = new Date('2026-04-07T09:00:00Z');

const Q1: FiledReturn = {
  period: '2026-Q1',
  from: '2026-01-01',
  to: '2026-03-31',
  form: 'VAT',
  currency: 'GBP',
  boxes: { '1': '5.85', '4': '1.00' },
  returnSha256: 'efe1',
  filedAt: '2026-04-07T09:00:00.000Z',
  filedBy: 'ana',
};

const entry = (id: string, date: string): JournalEntry => ({
  id,
  date,
  sourceId: 'smm-panel',
  description: 'orders',
  eventIds: [],
  lines: [
    { account: 'smm_services_expense', currency: 'GBP', amountMicros: 900_000n },
    { account: 'panel_prepaid', currency: 'GBP', amountMicros: -900_000n },
  ],
});

describe.each(LEDGER_ENGINES)('filed tax returns in a %s ledger (migration 0036)', (engine) => {
  it('keeps a filing only if no entry was appended since its return was worked, and then locks the journal and the transit through its end', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      const filings = filingBooks(store);
      const ledger = new Ledger(journalBooksOver(store));
      const worked = await filings.chainHead();
      await ledger.appendEntry(entry('je:smm-panel:2026-03-30', '2026-03-30'), { now });
      // An entry booked while the return was worked: the return no longer holds it, so nothing is kept.
      expect(await filings.recordFiledReturn(Q1, worked, () => undefined)).toBe(false);
      expect(await filings.filedReturns()).toEqual([]);
      expect(await closedThrough(store)).toBeUndefined();

      expect(await filings.recordFiledReturn(Q1, await filings.chainHead(), () => undefined)).toBe(true);
      expect(await filings.filedReturns()).toEqual([Q1]);
      // A bank leg dated in it is re-dated to 04-01, as after a close of March.
      expect(await closedThrough(store)).toBe('2026-03-31');
      await expect(ledger.appendEntry(entry('je:smm-panel:2026-03-31', '2026-03-31'), { now })).rejects.toMatchObject({
        name: 'PeriodFiledError',
        message: expect.stringContaining(
          'dated 2026-03-31 falls in 2026-Q1, whose tax return was filed 2026-04-07T09:00:00.000Z by ana',
        ),
      });
      await ledger.appendEntry(entry('je:smm-panel:2026-04-01', '2026-04-01'), { now });
    } finally {
      await store.close();
    }
  });
});
