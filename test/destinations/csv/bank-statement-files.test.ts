import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { exportCsv } from '../../../src/destinations/csv/index.js';
import type { RenderedEntry } from '../../../src/rules/index.js';
import { chart, payout, publisherEarnings, quickbooksMapping, xeroMapping } from './sample-entries.js';

/**
 * exportCsv with the ledger's bank accounts (bank-statement-files.ts): an entry of two lines, one on a bank
 * account, becomes a line of that account's statement file; every other entry stays a journal, byte for byte
 * as without bank accounts; an entry the statement cannot carry is refused naming it.
 */
class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

/** The payout of 50.00 arriving at the bank on 04-02: Dr bank 50.00 / Cr payout_clearing_paypal 50.00. */
const bankLeg: RenderedEntry = {
  id: 'je:bank-leg:payelancer:ads-publisher:payout:2026-03-31',
  date: '2026-04-02',
  sourceId: 'operating',
  description: 'Payout P at the bank',
  eventIds: [],
  lines: [
    { account: 'bank', currency: 'USD', cents: 5000n },
    { account: 'payout_clearing_paypal', currency: 'USD', cents: -5000n },
  ],
};

const mappings = {
  chart: { ...chart, bank: { name: 'Bank' } },
  xero: { ...xeroMapping, bank: { code: '090' } },
  quickbooks: { ...quickbooksMapping, bank: { id: '1', name: 'Checking' } },
};

async function withBank(format: 'xero' | 'quickbooks', entries: RenderedEntry[], open = true) {
  const out = new TextSink();
  const files = new Map<string, TextSink>();
  const result = await exportCsv({
    format,
    entries,
    out,
    mappings,
    bankFiles: {
      accounts: new Set(['bank']),
      open: open ? (account) => files.set(account, new TextSink()).get(account)! : undefined,
    },
  });
  return { journal: out.text, files: new Map([...files].map(([account, sink]) => [account, sink.text])), result };
}

async function without(format: 'xero' | 'quickbooks', entries: RenderedEntry[]): Promise<string> {
  const out = new TextSink();
  await exportCsv({ format, entries, out, mappings });
  return out.text;
}

describe('the bank statement files of a journal export', () => {
  it("moves the bank leg to the bank's Xero statement file and leaves the other journals as they were", async () => {
    const { journal, files, result } = await withBank('xero', [publisherEarnings, bankLeg, payout]);
    expect(journal).toBe(await without('xero', [publisherEarnings, payout]));
    expect(files.get('bank')).toBe(
      '*Date,*Amount,Payee,Description,Reference\r\n' +
        '02 Apr 2026,50.00,,Payout P at the bank (reconcile to 611),je:bank-leg:payelancer:ads-publisher:payout:2026-03-31\r\n',
    );
    expect(result).toEqual({ entries: 2, lines: 4, bank: [{ account: 'bank', lines: 1, written: true }] });
  });

  it("writes QuickBooks' bank upload with the account the line is categorized as", async () => {
    const { files } = await withBank('quickbooks', [bankLeg]);
    expect(files.get('bank')).toBe(
      'Date,Description,Amount\r\n' +
        '04/02/2026,Payout P at the bank (categorize as Clearing:PayPal; je:bank-leg:payelancer:ads-publisher:payout:2026-03-31),50.00\r\n',
    );
  });

  it('with nowhere to write it, counts the bank line and writes no file', async () => {
    const { journal, files, result } = await withBank('xero', [bankLeg, payout], false);
    expect(journal).toBe(await without('xero', [payout]));
    expect(files.size).toBe(0);
    expect(result.bank).toEqual([{ account: 'bank', lines: 1, written: false }]);
  });

  it('refuses an entry of more lines with one on a bank account, and one on two bank accounts, naming it', async () => {
    const split: RenderedEntry = {
      ...bankLeg,
      id: 'je:adjustment:2026-04-02:1',
      lines: [
        { account: 'bank', currency: 'USD', cents: 5000n },
        { account: 'payout_clearing_paypal', currency: 'USD', cents: -4000n },
        { account: 'ad_revenue', currency: 'USD', cents: -1000n },
      ],
    };
    await expect(withBank('xero', [split])).rejects.toThrow(
      new UsageError(
        'entry je:adjustment:2026-04-02:1 has 3 lines, 1 of them on a bank account (bank): a journal import takes ' +
          'no bank line and a bank statement line carries one amount to one account; book it as entries of two ' +
          'lines, one on the bank account',
      ),
    );
    const transfer: RenderedEntry = {
      ...bankLeg,
      id: 'je:adjustment:2026-04-02:2',
      lines: [
        { account: 'bank', currency: 'USD', cents: 5000n },
        { account: 'savings', currency: 'USD', cents: -5000n },
      ],
    };
    const twoBanks = exportCsv({
      format: 'xero',
      entries: [transfer],
      out: new TextSink(),
      mappings,
      bankFiles: { accounts: new Set(['bank', 'savings']), open: () => new TextSink() },
    });
    await expect(twoBanks).rejects.toThrow(
      /entry je:adjustment:2026-04-02:2 has 2 lines, 2 of them on a bank account \(bank, savings\)/,
    );
  });
});
