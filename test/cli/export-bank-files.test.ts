import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runLedgerline, type CliRun } from '../support/cli.js';
import { monthEndStatementWorkspace } from '../support/month-end-statement.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 69 point 4: with bank statements in the books, `export --format xero` writes the manual journals with no
 * line on a bank account and the bank's lines as Xero's bank statement import beside them; `--format quickbooks`
 * likewise, with QuickBooks' bank upload. The books: the month-end world with the sandbox bank's statement imported
 * (test/support/month-end-statement.ts: the bank legs of the top-up of 100.00, line −100.00 on 03-26, and of the
 * payout of 55.00, line +55.00 on 04-02), and a bank fee of 4.00 a person booked off the statement (`adjust`,
 * Dr bank_fees / Cr bank). The ledger's bank is mapped too (Xero's 090, QuickBooks' Checking), as a user who tried
 * to make the old export work would have: still no journal line may land on it.
 */
const tempDir = useTempDir();
let dir: string;
const run: Record<string, CliRun> = {};

/** Each record of an RFC 4180 CSV (CRLF records, quoted cells with doubled quotes), refusing anything else. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let at = 0;
  while (at < text.length) {
    let cell = '';
    if (text[at] === '"') {
      at += 1;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) throw new Error(`unterminated quoted cell at ${at}`);
        cell += text.slice(at, quote);
        at = quote + 1;
        if (text[at] !== '"') break;
        cell += '"';
        at += 1;
      }
    } else {
      const end = text.slice(at).search(/,|\r\n/);
      if (end < 0) throw new Error('a record not ended by CRLF');
      cell = text.slice(at, at + end);
      if (/["\r\n]/.test(cell))
        throw new Error(`an unquoted cell holds a quote or a line break: ${JSON.stringify(cell)}`);
      at += end;
    }
    record.push(cell);
    if (text.startsWith('\r\n', at)) {
      records.push(record);
      record = [];
      at += 2;
    } else if (text[at] === ',') at += 1;
    else throw new Error(`expected , or CRLF at ${at}`);
  }
  return records;
}

/** Cents of a plain signed amount with two decimals ("-1.56" → -156n); anything else is refused. */
function cents(text: string): bigint {
  if (!/^-?\d+\.\d{2}$/.test(text)) throw new Error(`not an amount with two decimals: ${JSON.stringify(text)}`);
  return BigInt(text.replace('.', ''));
}

/**
 * A strict reader of Xero's bank statement import (its template: *Date, *Amount, Payee, Description, Reference):
 * the header as the template has it, five cells a line, a calendar date (YYYY-MM-DD, as an organisation whose
 * region is not set gets it), a signed amount that is not zero. Each line as { date, cents, description, reference }.
 */
function xeroStatement(text: string) {
  const [header, ...lines] = csvRecords(text);
  expect(header).toEqual(['*Date', '*Amount', 'Payee', 'Description', 'Reference']);
  return lines.map((line) => {
    expect(line).toHaveLength(5);
    const [date, amount, , description, reference] = line as [string, string, string, string, string];
    expect(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10), date).toBe(date);
    const amountCents = cents(amount);
    expect(amountCents, amount).not.toBe(0n);
    return { date, cents: amountCents, description, reference };
  });
}

/** QuickBooks' bank upload in its three-column layout: Date (MM/DD/YYYY), Description, a signed Amount. */
function quickbooksUpload(text: string) {
  const [header, ...lines] = csvRecords(text);
  expect(header).toEqual(['Date', 'Description', 'Amount']);
  return lines.map((line) => {
    expect(line).toHaveLength(3);
    const [date, description, amount] = line as [string, string, string];
    expect(date).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    return { date, description, cents: cents(amount) };
  });
}

/** Adds `cents` to `key`'s total in `totals`. */
function add(totals: Map<string, bigint>, key: string, amount: bigint): void {
  totals.set(key, (totals.get(key) ?? 0n) + amount);
}

/** The ledger's net cents per account, from the generic export (one row per rendered line), named as `rename` names them. */
function ledgerNets(rename: (account: string) => string): Map<string, bigint> {
  const [, ...rows] = csvRecords(readFileSync(join(dir, 'ledger.csv'), 'utf8'));
  const nets = new Map<string, bigint>();
  for (const [, , account, debit, credit] of rows) add(nets, rename(account!), debit ? cents(debit) : -cents(credit!));
  return nets;
}

/** Drops the accounts whose total is zero, so two sets of totals compare by what they hold. */
function nonZero(totals: Map<string, bigint>): Map<string, bigint> {
  return new Map([...totals].filter(([, amount]) => amount !== 0n).sort(([a], [b]) => a.localeCompare(b)));
}

beforeAll(async () => {
  dir = await monthEndStatementWorkspace(tempDir());
  cpSync(join(import.meta.dirname, '../../mappings'), join(dir, 'mappings'), { recursive: true });
  appendFileSync(join(dir, 'ledgerline.yaml'), 'mappings: mappings/default.yaml\n');
  writeFileSync(
    join(dir, 'mappings', 'xero.yaml'),
    readFileSync(join(dir, 'mappings', 'xero.yaml'), 'utf8').replace(
      /^accounts:\n/m,
      'accounts:\n  bank:                     { code: "090", taxType: NONE }\n',
    ),
  );
  writeFileSync(
    join(dir, 'mappings', 'quickbooks.yaml'),
    readFileSync(join(dir, 'mappings', 'quickbooks.yaml'), 'utf8').replace(
      /^accounts:\n/m,
      'accounts:\n  bank:                     { id: "1", name: "Checking" }\n',
    ),
  );
  const cli = (...args: string[]) => runLedgerline(args, { cwd: dir });
  const booked = await cli(
    'adjust',
    ...['--date', '2026-04-10', '--debit', 'bank_fees=4.00', '--credit', 'bank=4.00'],
    ...['--reason', 'account fee, bank line of 2026-04-10'],
  );
  expect(booked.code, booked.stderr).toBe(0);
  run['generic'] = await cli('export', '--format', 'generic', '--out', 'ledger.csv');
  run['xero'] = await cli('export', '--format', 'xero', '--out', 'xero.csv');
  run['quickbooks'] = await cli('export', '--format', 'quickbooks', '--out', 'quickbooks.csv');
  run['xero-stdout'] = await cli('export', '--format', 'xero');
}, 180_000);

describe('export --format xero|quickbooks with bank statements in the books', () => {
  it('writes the Xero manual journals with no line on the bank account, and names both files', () => {
    expect(run['generic']!.code, run['generic']!.stderr).toBe(0);
    const xero = run['xero']!;
    expect(xero.code, xero.stderr).toBe(0);
    expect(xero.stdout).toContain(`wrote ${join(dir, 'xero.csv')}: `);
    expect(xero.stdout).toContain(
      `3 lines of bank for Xero's bank statement import in ${join(dir, 'xero-bank-statement.csv')}`,
    );
    const [header, ...journal] = csvRecords(readFileSync(join(dir, 'xero.csv'), 'utf8'));
    expect(header![3]).toBe('*AccountCode');
    expect(journal.length).toBeGreaterThan(0);
    expect(journal.filter((row) => row[3] === '090')).toEqual([]);
    expect(journal.filter((row) => row[0]!.includes('je:bank-leg:') || row[0]!.includes('je:adjustment:'))).toEqual([]);
  });

  it("writes the bank's lines as Xero's statement import, which with the journals reproduces the ledger", () => {
    const lines = xeroStatement(readFileSync(join(dir, 'xero-bank-statement.csv'), 'utf8'));
    expect(lines.map((line) => [line.date, line.cents, line.reference])).toEqual([
      ['2026-03-26', -10_000n, 'je:bank-leg:panel:smm-panel:topup:2026-03-25'],
      ['2026-04-02', 5_500n, 'je:bank-leg:payelancer:ads-publisher:payout:2026-03-31'],
      ['2026-04-10', -400n, 'je:adjustment:2026-04-10:1'],
    ]);
    expect(lines.map((line) => /\(reconcile to (\w+)\)$/.exec(line.description)?.[1])).toEqual(['634', '631', '404']);
    // Each statement line reconciled to its account in Xero moves 090 and that account: with the journals, the ledger.
    const codes = (
      parse(readFileSync(join(dir, 'mappings', 'xero.yaml'), 'utf8')) as { accounts: Record<string, { code: string }> }
    ).accounts;
    const [, ...journal] = csvRecords(readFileSync(join(dir, 'xero.csv'), 'utf8'));
    const xeroTotals = new Map<string, bigint>();
    for (const row of journal) add(xeroTotals, row[3]!, cents(row[5]!));
    for (const line of lines) {
      add(xeroTotals, '090', line.cents);
      add(xeroTotals, /\(reconcile to (\w+)\)$/.exec(line.description)![1]!, -line.cents);
    }
    expect(nonZero(xeroTotals)).toEqual(nonZero(ledgerNets((account) => codes[account]!.code)));
  });

  it("writes QuickBooks' journal import without the bank lines and its bank upload beside it, which together reproduce the ledger", () => {
    const quickbooks = run['quickbooks']!;
    expect(quickbooks.code, quickbooks.stderr).toBe(0);
    expect(quickbooks.stdout).toContain(
      `3 lines of bank for QuickBooks' bank upload in ${join(dir, 'quickbooks-bank-statement.csv')}`,
    );
    const [header, ...journal] = csvRecords(readFileSync(join(dir, 'quickbooks.csv'), 'utf8'));
    expect(header!.slice(0, 5)).toEqual(['Journal No', 'Journal Date', 'Account Name', 'Debits', 'Credits']);
    expect(journal.filter((row) => row[2] === 'Checking')).toEqual([]);
    const lines = quickbooksUpload(readFileSync(join(dir, 'quickbooks-bank-statement.csv'), 'utf8'));
    expect(lines.map((line) => [line.date, line.cents])).toEqual([
      ['03/26/2026', -10_000n],
      ['04/02/2026', 5_500n],
      ['04/10/2026', -400n],
    ]);
    const names = (
      parse(readFileSync(join(dir, 'mappings', 'quickbooks.yaml'), 'utf8')) as {
        accounts: Record<string, { name: string }>;
      }
    ).accounts;
    const totals = new Map<string, bigint>();
    for (const row of journal) add(totals, row[2]!, row[3] ? cents(row[3]) : -cents(row[4]!));
    for (const line of lines) {
      add(totals, 'Checking', line.cents);
      add(totals, /\(categorize as ([^;]+);/.exec(line.description)![1]!, -line.cents);
    }
    expect(nonZero(totals)).toEqual(nonZero(ledgerNets((account) => names[account]!.name)));
  });

  it('to stdout, writes the journals alone and says the bank lines were left out', () => {
    const stdout = run['xero-stdout']!;
    expect(stdout.code, stdout.stderr).toBe(0);
    expect(stdout.stdout).toBe(readFileSync(join(dir, 'xero.csv'), 'utf8'));
    expect(stdout.stderr).toContain('3 lines of bank account bank are left out of this file');
  });
});
