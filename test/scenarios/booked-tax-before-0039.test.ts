import { describe, expect, it } from 'vitest';
import { forgetAfter0038 } from '../support/forget-after-0035.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import {
  REVERSE_CHARGED_CHART_TAX,
  REVERSE_CHARGED_Q1_BOXES,
  UK_QUICKBOOKS_CODES,
  remapOrderCosts,
} from './order-costs-remap.js';
import { useUkVatMonth } from './uk-vat-month.js';

/**
 * Issue 82, item 1, through the built CLI: entries booked before each line kept its tax treatment (migration 0039)
 * are given theirs from the rules in force on their dates, once, by the new version's first run, which says so. The
 * UK sandbox month (uk-vat-month.ts) is booked and Q1 filed; then 0039 is forgotten with its rows, as a ledger booked
 * and filed on the previous version is. `migrate` gives each entry its treatment from the chart as configured then;
 * after that an account-only re-map of order charges and refunds (booked-tax-after-remap.test.ts) leaves the filed
 * return as filed.
 */
const engines = useLedgerEngines();

describe.each(LEDGER_ENGINES)(
  'a ledger booked and filed before lines kept their tax treatment (%s)',
  { timeout: 240_000 },
  (engine) => {
    const month = useUkVatMonth(
      `booked-before-0039-${engine}`,
      { chart: REVERSE_CHARGED_CHART_TAX, quickbooksCodes: UK_QUICKBOOKS_CODES },
      { ledger: () => engines.fresh(engine) },
    );

    it('gives each entry its treatment from the rules in force on its date, once, says so, and a re-map then leaves the filed return as filed', async () => {
      const { workspace } = month;
      const filing = await workspace.run(['vat', 'file', '--period', '2026-Q1', '--json']);
      expect(filing.code, filing.stderr).toBe(0);
      expect((JSON.parse(filing.stdout) as { boxes: unknown }).boxes).toEqual(REVERSE_CHARGED_Q1_BOXES);
      await rawTransaction(workspace.ledger, forgetAfter0038(workspace.ledger));
      const entries = await readBooks(workspace.ledger, (books) => books.rows('journal_entries', 'id'));
      const dates = entries.map((entry) => (entry as { date: string }).date).sort();

      const first = await workspace.run(['migrate']);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(
        `line tax treatments: ${entries.length} entries booked earlier given theirs from the rules in force on their dates ` +
          `(${dates[0]} … ${dates[dates.length - 1]})`,
      );
      const treated = await readBooks(workspace.ledger, (books) => books.rows('journal_line_taxes', 'entry_id'));
      expect(new Set(treated.map((row) => (row as { entry_id: string }).entry_id)).size).toBe(entries.length);
      // The panel's 0.71 GBP of SMM services of 03-30 (0.90 USD), reverse-charged, its base the line as booked.
      expect(treated).toContainEqual(
        expect.objectContaining({ flow: 'order_charge', code: 'REVERSECHARGES', side: 'purchases', rate: '20' }),
      );
      expect(treated).toContainEqual(expect.objectContaining({ flow: 'publisher_earnings', code: 'OUTPUT2' }));
      // Once: the next run finds nothing waiting and says nothing of it.
      const again = await workspace.run(['migrate']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).not.toContain('line tax treatments');

      // The guard stays for everything else: a late row for an entry already booked is refused.
      const [booked] = entries as { id: string }[];
      await expect(
        rawTransaction(workspace.ledger, [
          `INSERT INTO journal_line_taxes (entry_id, line_no) VALUES ('${booked!.id}', 99)`,
        ]),
      ).rejects.toThrow(/tax treatments of its lines cannot be added/);

      remapOrderCosts(workspace.dir);
      const filed = await workspace.run(['vat', '--period', '2026-Q1', '--json']);
      expect(filed.code, filed.stdout + filed.stderr).toBe(0);
      expect(JSON.parse(filed.stdout)).toMatchObject({
        boxes: REVERSE_CHARGED_Q1_BOXES,
        filed: { same: true, differences: [] },
      });
    });
  },
);
