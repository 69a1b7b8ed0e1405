import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import {
  REVERSE_CHARGED_CHART_TAX,
  REVERSE_CHARGED_Q1_BOXES,
  UK_QUICKBOOKS_CODES,
  remapOrderCosts,
} from './order-costs-remap.js';
import { useUkVatMonth, type UkVatMonth } from './uk-vat-month.js';

/**
 * Issue 82, through the built CLI: what was booked stays booked. The sandbox's five days across the March month
 * end in GBP books (uk-vat-month.ts), the panel's SMM services reverse-charged (bought from abroad), ad earnings at
 * 20 %, the advertiser's spend reverse-charged too. Q1 is filed from the books; then the chart re-maps order charges
 * and refunds to a new account (`smm_order_costs`) that Xero and QuickBooks map to the very account and code the
 * old one had (410, "SMM Services"), and the README's replay recipe re-books April (March is filed, so the replay's
 * window is April's). Nothing a destination or a filed return holds may move: the re-map changes accounts only.
 */

/**
 * March's files in every export format these books can be written in, as written: the generic one with Xero's codes
 * and with QuickBooks', hledger, Beancount (Xero's and QuickBooks' own CSVs refuse the panel's USD lines in GBP books).
 */
async function marchExports(month: UkVatMonth): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const formats: [string, string[]][] = [
    ['generic', ['--tax-of', 'xero']],
    ['generic', ['--tax-of', 'quickbooks']],
    ['hledger', ['--tax-of', 'xero']],
    ['beancount', ['--tax-of', 'quickbooks']],
  ];
  for (const [format, flags] of formats) {
    const run = await month.workspace.run([
      'export',
      '--format',
      format,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      ...flags,
    ]);
    expect(run.code, run.stderr).toBe(0);
    files[[format, ...flags].join(' ')] = run.stdout;
  }
  return files;
}

/** The finance report's "Tax per code" of March, per destination, as its data island holds it. */
async function marchTaxSummary(month: UkVatMonth): Promise<unknown> {
  const run = await month.workspace.run([
    'report',
    '--from',
    '2026-03-01',
    '--to',
    '2026-03-31',
    '--out',
    'march.html',
  ]);
  expect(run.code, run.stderr).toBe(0);
  const html = readFileSync(join(month.workspace.dir, 'march.html'), 'utf8');
  const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
  return (JSON.parse(data!) as { tax: unknown }).tax;
}

/** What each destination holds of April's reverse-charged lines: their signed cents summed, per account. */
function aprilReverseCharges(month: UkVatMonth): { xero: Record<string, string>; quickbooks: Record<string, string> } {
  const xero: Record<string, bigint> = {};
  for (const journal of month.xero.journals()) {
    if (!journal.date.startsWith('2026-04')) continue;
    for (const line of journal.lines)
      if (line.taxType === 'REVERSECHARGES') xero[line.accountCode] = (xero[line.accountCode] ?? 0n) + line.cents;
  }
  const quickbooks: Record<string, bigint> = {};
  for (const entry of month.quickbooks.journalEntries()) {
    if (!entry.txnDate.startsWith('2026-04')) continue;
    for (const line of entry.lines) {
      if (line.tax === undefined) continue;
      const key = `${line.accountId} ${line.tax.taxCodeId}`;
      quickbooks[key] = (quickbooks[key] ?? 0n) + (line.postingType === 'Debit' ? line.cents : -line.cents);
    }
  }
  const text = (sums: Record<string, bigint>) =>
    Object.fromEntries(Object.entries(sums).map(([key, cents]) => [key, String(cents)]));
  return { xero: text(xero), quickbooks: text(quickbooks) };
}

interface ReconcileJson {
  items: { kind: string; message: string }[];
  tax: { rows: { period: string; code: string; ledger: string; destination: string }[] };
}

const engines = useLedgerEngines();

describe.each(LEDGER_ENGINES)(
  'a chart re-map after Q1 was filed, and the replay of April (%s)',
  { timeout: 240_000 },
  (engine) => {
    const month = useUkVatMonth(
      `booked-tax-remap-${engine}`,
      { chart: REVERSE_CHARGED_CHART_TAX, quickbooksCodes: UK_QUICKBOOKS_CODES },
      { ledger: () => engines.fresh(engine) },
    );

    it("keeps the filed return, March's exports and report tax table, and what each destination holds; the tie-out stays clean", async () => {
      const { workspace } = month;
      const filing = await workspace.run(['vat', 'file', '--period', '2026-Q1', '--json']);
      expect(filing.code, filing.stderr).toBe(0);
      expect((JSON.parse(filing.stdout) as { boxes: unknown }).boxes).toEqual(REVERSE_CHARGED_Q1_BOXES);
      const exportsBefore = await marchExports(month);
      const reportBefore = await marchTaxSummary(month);
      expect(JSON.stringify(reportBefore)).toContain('"code":"REVERSECHARGES"');
      const heldBefore = aprilReverseCharges(month);
      // By hand: April's reverse charges are the advertiser's 2.75 (its spend 9.25 → 12.00 on 04-02, Xero 400) and
      // the panel's refund of R-3, canceled on 04-01, of its 03-31 charge of 0.03 GBP (Xero 410).
      expect(heldBefore.xero).toEqual({ '400': '275', '410': '-3' });

      remapOrderCosts(workspace.dir);

      // The dry run shows the correction's cents as a destination would receive them, each line with its booked code.
      const dry = await workspace.run(['sync', '--from', '2026-04-01', '--to', '2026-04-02', '--dry-run']);
      expect(dry.code, dry.stderr + dry.stdout).toBe(0);
      expect(dry.stdout).toMatch(/Cr smm_order_costs +0\.05 USD {2}REVERSECHARGES, reverse charge\n/);
      expect(dry.stdout).toMatch(/Dr smm_services_expense +0\.05 USD {2}REVERSECHARGES, reverse charge\n/);
      expect(dry.stdout).not.toContain('rounding');
      const replay = await workspace.run(['sync', '--from', '2026-04-01', '--to', '2026-04-02']);
      expect(replay.code, replay.stderr + replay.stdout).toBe(0);
      expect(replay.stdout).toContain('smm-panel: booked 0 events in 1 entry');
      // The correction counts as booked, with its lines' treatments: a second replay finds nothing to do.
      const again = await workspace.run(['sync', '--from', '2026-04-01', '--to', '2026-04-02']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('smm-panel: nothing booked');
      for (const destination of ['xero', 'quickbooks']) {
        const posted = await workspace.run(['post', destination]);
        expect(posted.code, posted.stderr + posted.stdout).toBe(0);
        expect(posted.stdout, destination).toContain(
          '1 skipped (nothing to send there: every line rounds to 0.00 or nets to zero there',
        );
      }

      const filed = await workspace.run(['vat', '--period', '2026-Q1', '--json']);
      expect(filed.code, filed.stdout + filed.stderr).toBe(0);
      expect(JSON.parse(filed.stdout)).toMatchObject({
        boxes: REVERSE_CHARGED_Q1_BOXES,
        filed: { same: true, differences: [] },
      });
      expect(await marchExports(month)).toEqual(exportsBefore);
      expect(await marchTaxSummary(month)).toEqual(reportBefore);
      // The replay's correction of 04-01 moves R-3's refund, 0.04551 USD, from smm_services_expense to smm_order_costs,
      // both lines reverse-charged as booked, on one account and code at each destination. It is a reclassification:
      // its two lines render in a pair, Cr smm_order_costs 0.05 and Dr smm_services_expense 0.05 with no rounding line
      // (each account's own total would give Dr 0.04 and a rounding cent), so each destination's lines net to nothing
      // on 410 and its code: the entry is skipped, and what Xero and QuickBooks hold of April is what they held.
      expect(aprilReverseCharges(month)).toEqual(heldBefore);
      const verified = await workspace.run(['verify', '--json']);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ verified: true, centsChanged: 0 });
      for (const destination of ['xero', 'quickbooks']) {
        const run = await workspace.run(['reconcile', '--with', destination, '--json']);
        const report = JSON.parse(run.stdout) as ReconcileJson;
        expect(report.items, destination).toEqual([]);
        expect(run.code, destination).toBe(0);
        expect(report.tax.rows.every((row) => row.ledger === row.destination)).toBe(true);
      }
    });
  },
);
