import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLedgerline } from '../../support/cli.js';

/**
 * A CSV statement's balance column gives the account's opening and closing whichever way the bank writes its rows.
 * Many UK banks export newest first (Lloyds, Barclays, HSBC). October, as Lloyds writes it: on 10-02 the VAT direct
 * debit −200.00 (balance 800.00), then BT −50.00 (750.00), then ACME pays +200.00 (950.00); on 10-05 Staples −25.00
 * (925.00), then a refund +10.00 (935.00). The account opened at 1,000.00 (800.00 + 200.00, before the day's first
 * line) and closed at 935.00 (after the latest day's last line), in whichever order the rows are written.
 */
const HEADER =
  'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance';
const OLDEST_FIRST = [
  "02/10/2026,DD,'30-99-50,12345678,HMRC VAT,200.00,,800.00",
  "02/10/2026,DD,'30-99-50,12345678,BT GROUP PLC,50.00,,750.00",
  "02/10/2026,FPI,'30-99-50,12345678,CLIENT ACME LTD,,200.00,950.00",
  "05/10/2026,DEB,'30-99-50,12345678,STAPLES OFFICE,25.00,,925.00",
  "05/10/2026,FPI,'30-99-50,12345678,STAPLES REFUND,,10.00,935.00",
];
const CSV_MAP =
  '{ date: "Transaction Date", debit: "Debit Amount", credit: "Credit Amount", reference: "Transaction Description", ' +
  'description: "Transaction Type", balance: Balance, dateFormat: DD/MM/YYYY }';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function workspace(rows: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-csv-statement-'));
  made.push(dir);
  mkdirSync(join(dir, 'data'));
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    `ledger: data/ledger.sqlite\ntimezone: UTC\ncurrency: GBP\nsources:\n  - { id: lloyds, kind: bank-statement, csv: ${CSV_MAP} }\n`,
  );
  writeFileSync(join(dir, 'statement.csv'), [HEADER, ...rows, ''].join('\n'));
  return dir;
}

const run = (dir: string, args: string[]) => runLedgerline(args, { cwd: dir });

describe("a CSV statement's opening and closing from its balance column", { timeout: 60_000 }, () => {
  // Some banks write the balance only after a day's last line: the other rows' cells are empty, not 0.00.
  const dayEndsOnly = OLDEST_FIRST.map((row, index) =>
    [0, 1, 3].includes(index) ? row.replace(/,[\d.]+$/, ',') : row,
  );
  it.each([
    ['oldest first', OLDEST_FIRST],
    ['newest first', [...OLDEST_FIRST].reverse()],
    ["oldest first, balances at the days' ends only", dayEndsOnly],
    ["newest first, balances at the days' ends only", [...dayEndsOnly].reverse()],
  ])('written %s: opens at 1000.00 before its first line and closes at 935.00', async (_order, rows) => {
    const dir = workspace(rows);
    const imported = await run(dir, ['bank', 'import', 'statement.csv', '--account', 'lloyds', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      opening: { action: 'booked', amount: '1000.00', date: '2026-10-01' },
    });
    const transit = await run(dir, ['transit', '--as-of', '2026-10-06']);
    expect(transit.stdout, transit.stderr).toContain(
      "! bank account lloyds: the statement closes 2026-10-05 at 935.00 GBP, the ledger's bank holds 1000.00 that day: 65.00 more than the bank",
    );
  });
});

/**
 * A German savings bank's export (Sparkasse, "CSV-CAMT"): ";" between cells, decimal commas, dates written
 * DD.MM.YYYY, newest first. 02.11. +2.000,50 (balance 10.000,00), 03.11. −1.450,00 (8.550,00) → lines of 2,000.50
 * and −1,450.00 on 2026-11-02 and 11-03, the account opening at 7,999.50.
 */
describe('a German bank CSV: semicolons, decimal commas, dates DD.MM.YYYY', { timeout: 60_000 }, () => {
  it('lands its lines on their days and opens the account at 7999.50', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledgerline-csv-statement-'));
    made.push(dir);
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      'ledger: data/ledger.sqlite\ntimezone: UTC\ncurrency: EUR\nsources:\n' +
        '  - id: spk\n    kind: bank-statement\n' +
        '    csv: { date: Buchungstag, amount: Betrag, reference: Verwendungszweck, description: "Beguenstigter/Zahlungspflichtiger", ' +
        'balance: Saldo, dateFormat: DD.MM.YYYY, decimalComma: true, delimiter: ";" }\n',
    );
    writeFileSync(
      join(dir, 'spk.csv'),
      'Buchungstag;Valutadatum;Buchungstext;Verwendungszweck;Beguenstigter/Zahlungspflichtiger;Betrag;Saldo\n' +
        '"03.11.2026";"03.11.2026";"LASTSCHRIFT";"Miete November";"Hausverwaltung GmbH";"-1.450,00";"8.550,00"\n' +
        '"02.11.2026";"02.11.2026";"GUTSCHRIFT";"RE 4711";"Kunde AG";"2.000,50";"10.000,00"\n',
    );
    const imported = await run(dir, ['bank', 'import', 'spk.csv', '--account', 'spk', '--json']);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      added: 2,
      opening: { action: 'booked', amount: '7999.50', date: '2026-11-01' },
    });
    const lines = await run(dir, ['bank', 'lines', '--json']);
    expect(lines.stdout).toContain('"2026-11-03"');
    expect(lines.stdout).toContain('"-1450.00"');
  });
});

/**
 * Nationwide's export, as it comes: four lines about the account before the header, dates written "02 Nov 2026",
 * amounts with the pound sign and thousands commas, CRLF. The BT debit of £50.00 leaves £1,234.56 → a line of
 * −50.00 on 2026-11-02, the account opening at 1,284.56.
 */
describe("a UK bank's CSV with lines before its header, dates DD MMM YYYY and £ amounts", { timeout: 60_000 }, () => {
  it('finds the header, reads the line and opens the account at 1284.56', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledgerline-csv-statement-'));
    made.push(dir);
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      'ledger: data/ledger.sqlite\ntimezone: UTC\ncurrency: GBP\nsources:\n' +
        '  - id: nationwide\n    kind: bank-statement\n' +
        '    csv: { date: Date, debit: "Paid out", credit: "Paid in", reference: Description, ' +
        'description: "Transaction type", balance: Balance, dateFormat: DD MMM YYYY }\n',
    );
    writeFileSync(
      join(dir, 'statement.csv'),
      [
        '"Account Name:","FlexAccount ****12345"',
        '"Account Balance:","£1,234.56"',
        '"Available Balance: ","£1,234.56"',
        '',
        '"Date","Transaction type","Description","Paid out","Paid in","Balance"',
        '"02 Nov 2026","Direct debit","BT GROUP PLC","£50.00","","£1,234.56"',
        '',
      ].join('\r\n'),
    );
    const imported = await run(dir, ['bank', 'import', 'statement.csv', '--account', 'nationwide', '--json']);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      added: 1,
      opening: { action: 'booked', amount: '1284.56', date: '2026-11-01' },
    });
    const lines = await run(dir, ['bank', 'lines', '--json']);
    expect(lines.stdout).toContain('"-50.00"');
  });
});
