import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { bookTax, treatmentsOfBooked, type JournalEntry, type TaxBook } from '../../src/rules/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../rules/default-chart.js';
import { forgetAfter0038 } from '../support/forget-after-0035.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();

/** The panel's orders reverse-charged at 20 %: what a UK business buying SMM services from abroad books. */
const book: TaxBook = {
  flows: { order_charge: [{ code: 'REVERSECHARGES', rate: '20', reverseCharge: true }] },
  chart: { events: DEFAULT_CHART, profitAndLoss: new Set(['smm_services_expense']), taxable: DEFAULT_TAXABLE },
  revenue: new Set(),
};

const charge = (date: string, micros: bigint): JournalEntry => ({
  id: `je:smm-panel:${date}`,
  date,
  sourceId: 'smm-panel',
  description: 'SMM panel order charges',
  eventIds: [],
  lines: [
    { account: 'smm_services_expense', currency: 'GBP', amountMicros: micros },
    { account: 'panel_prepaid', currency: 'GBP', amountMicros: -micros },
  ],
});

/**
 * Migration 0039 (issue 82): each line of an entry booked with the chart's tax keeps how it was taxed, read back with
 * it by the journal's readers; the table is append-only and takes no row for an entry already booked.
 */
describe.each(LEDGER_ENGINES)('each journal line keeps its tax treatment (0039) on a %s ledger', (engine) => {
  it('100.00 reverse-charged: the line reads back REVERSECHARGES at 20 % on 100.00, its VAT legs and the other line coded by none', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const store = await LedgerStore.openAt(location);
    try {
      const ledger = new Ledger(journalBooksOver(store));
      await ledger.appendEntry(bookTax(charge('2026-03-30', 100_000_000n), book), { now: new Date() });
      // Booked without the chart's tax: no treatment, its lines coded by the chart's rules when read, as before 0039.
      await ledger.appendEntry(charge('2026-03-31', 2_000_000n), { now: new Date() });
      const treatment = {
        flow: 'order_charge',
        code: 'REVERSECHARGES',
        rate: '20',
        side: 'purchases',
        reverseCharge: true,
        baseMicros: 100_000_000n,
      };
      const rendered = [];
      for await (const entry of ledger.renderedEntries()) rendered.push(entry.lines.map((line) => line.tax));
      expect(rendered).toEqual([
        [treatment, null, null, null],
        [undefined, undefined],
      ]);
      const exact = [];
      for await (const entry of ledger.exactEntries()) exact.push(entry.lines.map((line) => line.tax));
      expect(exact).toEqual(rendered);
    } finally {
      await store.close();
    }
    expect(await readBooks(location, (books) => books.count('journal_line_taxes'))).toBe(4);
    await expect(rawTransaction(location, ["UPDATE journal_line_taxes SET code = 'NONE'"])).rejects.toThrow(
      /append-only/,
    );
    await expect(rawTransaction(location, ['DELETE FROM journal_line_taxes'])).rejects.toThrow(/append-only/);
    await expect(
      rawTransaction(location, [
        "INSERT INTO journal_line_taxes (entry_id, line_no, flow, code) VALUES ('je:smm-panel:2026-03-31', 1, 'order_charge', 'INPUT2')",
      ]),
    ).rejects.toThrow(/already committed/);
  });

  it('an entry booked before 0039 is given its treatment once, by the store alone; a late row for any other entry is still refused', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const before = await LedgerStore.openAt(location);
    await new Ledger(journalBooksOver(before)).appendEntry(bookTax(charge('2026-03-30', 100_000_000n), book), {
      now: new Date(),
    });
    await before.close();
    await rawTransaction(location, forgetAfter0038(location));

    const store = await LedgerStore.openAt(location);
    try {
      // Booked after 0039 without the chart's tax: not pending, so the trigger still refuses a row for it.
      await new Ledger(journalBooksOver(store)).appendEntry(charge('2026-03-31', 2_000_000n), { now: new Date() });
      await expect(
        rawTransaction(location, [
          "INSERT INTO journal_line_taxes (entry_id, line_no) VALUES ('je:smm-panel:2026-03-31', 1)",
        ]),
      ).rejects.toThrow(/already committed/);
      // No chart's tax at hand: nothing given, the entry still waits.
      expect(await LedgerStore.giveTreatmentsToEntriesBookedBefore(store, () => undefined)).toBeUndefined();
      const treat = () => (entry: Parameters<typeof treatmentsOfBooked>[0]) => treatmentsOfBooked(entry, book);
      expect(await LedgerStore.giveTreatmentsToEntriesBookedBefore(store, treat)).toEqual({
        entries: 1,
        from: '2026-03-30',
        to: '2026-03-30',
      });
      expect(await LedgerStore.giveTreatmentsToEntriesBookedBefore(store, treat)).toBeUndefined();
    } finally {
      await store.close();
    }
    // 100.00 reverse-charged, as bookTax kept it: the line, then its two VAT legs, coded by none.
    const rows = (await readBooks(location, (books) => books.rows('journal_line_taxes', 'line_no'))) as {
      code: string | null;
      base_micros: unknown;
    }[];
    expect(rows.map((row) => [row.code, row.base_micros === null ? null : String(row.base_micros)])).toEqual([
      ['REVERSECHARGES', '100000000'],
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect(await readBooks(location, (books) => books.count('journal_line_taxes_pending'))).toBe(0);
  });
});
