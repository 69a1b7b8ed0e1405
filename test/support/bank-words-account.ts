import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The columns of a statement CSV in the bank's own words, as the scenarios' statements write them. */
const BANK_WORDS_CSV = {
  date: 'Date',
  amount: 'Amount',
  currency: 'Currency',
  reference: 'Reference',
  description: 'Details',
  id: 'Id',
};

/**
 * The configuration in `dir` given a bank account `operating` whose CSV statements carry the bank's words
 * (Date, Amount, Currency, Reference, Details, Id), and no destination; with `payoutDates`, the publisher is paid
 * on those dates instead of at month end.
 */
export function addBankWordsAccount(dir: string, payoutDates?: readonly string[]): void {
  const path = join(dir, 'ledgerline.yaml');
  const document = parseDocument(readFileSync(path, 'utf8'));
  document.delete('destinations');
  (document.get('sources') as { add(value: unknown): void }).add(
    document.createNode({ id: 'operating', kind: 'bank-statement', currency: 'USD', csv: BANK_WORDS_CSV }),
  );
  const text = document.toString();
  writeFileSync(
    path,
    payoutDates === undefined
      ? text
      : text.replace(/^ {2}schedule: month-end\b.*$/m, `  schedule: [${payoutDates.join(', ')}]`),
  );
}
