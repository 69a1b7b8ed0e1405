import { convertEachCents, parseRate } from '../../money/index.js';
import { foldedEntry, inclusiveTax, lineTaxCodes, VAT_OUTPUT_ACCOUNT, type RenderedEntry } from '../../rules/index.js';
import type { AccountMapping } from '../delivery/account-mapping.js';
import type { Conversion, RemoteLine } from '../destination-client.js';
import { sumByAccount } from '../entry-conversion.js';
import { quickbooksJournalEntry, type QuickbooksAccount } from './quickbooks-payload.js';
import type { QuickbooksTaxSetup } from './quickbooks-tax.js';

/**
 * A posted entry as QuickBooks holds it (issue 70): the journal's lines per account as sent, in the entry's own
 * currency, and what they leave in the books, in the home currency: each coded line's net on its account and its
 * tax (at the ledger's rate, inside the amount, per line, half to even) on the company's VAT account (the mapping's
 * vat_output). Example: Debit 12.28 on SMM Services at 20 % → SMM Services 10.23, VAT Control 2.05. A reverse
 * charge's line holds no tax; without a VAT account mapped, the tax is left out (the line's account is still compared
 * at its net). A foreign entry's amounts are each converted on its own at its ExchangeRate, half-even (issue 82 item
 * 9, convertEachCents): −27.50 USD at 0.79 is −21.72 GBP at the company, where spreading the entry's rounding to
 * keep it balanced gave −21.74; what the converted amounts leave unbalanced is the company's Exchange Gain or Loss,
 * an account ledgerline never posts to, so not compared.
 */
export function quickbooksExpectedLines(
  booked: RenderedEntry,
  mapping: AccountMapping<QuickbooksAccount>,
  tax: QuickbooksTaxSetup | undefined,
  delivered: Conversion | undefined,
): { journal: RemoteLine[]; base: RemoteLine[]; currency: string } {
  const journal = quickbooksJournalEntry(booked, mapping, delivered);
  const entry = foldedEntry(booked);
  const accounts = journal.Line.map((line) => line.JournalEntryLineDetail.AccountRef.value);
  const codes = tax === undefined ? [] : lineTaxCodes(entry, tax.chart, tax.flows);
  const vatAccount = mapping[VAT_OUTPUT_ACCOUNT]?.id;
  const pieces = entry.lines.flatMap((line, index) => {
    const account = accounts[index] ?? '';
    const code = codes[index];
    const taxCents = code?.rate === undefined || code.reverseCharge === true ? 0n : inclusiveTax(line.cents, code.rate);
    if (taxCents === 0n) return [{ account, cents: line.cents }];
    const net = { account, cents: line.cents - taxCents };
    return vatAccount === undefined ? [net] : [net, { account: vatAccount, cents: taxCents }];
  });
  const signed = pieces.map((piece) => piece.cents);
  const home = delivered === undefined ? signed : convertEachCents(signed, parseRate(delivered.rate));
  return {
    journal: sumByAccount(entry.lines.map((line, index) => ({ account: accounts[index] ?? '', cents: line.cents }))),
    base: sumByAccount(pieces.map((piece, index) => ({ account: piece.account, cents: home[index] ?? 0n }))),
    currency: journal.CurrencyRef.value,
  };
}
