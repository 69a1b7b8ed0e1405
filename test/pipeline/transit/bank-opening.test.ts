import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMicros } from '../../../src/money/index.js';
import {
  camt053Text,
  csvStatementText,
  ofxText,
  type SandboxStatement,
} from '../../../sandbox/bank/statement-writers.js';
import { runLedgerline } from '../../support/cli.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines, type LedgerEngine } from '../../support/ledger-engines.js';
import { bookPayouts, type TestPayout } from '../transit-fixtures.js';

/**
 * Issue 69 item 1: the bank account a person recognises. One payout of 312.40 (10-14) and October's statement:
 * OPBD 1,000.00 on 10-01; the rent −800.00 on 10-02, the payout +312.40 on 10-16, a card fee −1.50 on 10-31;
 * CLBD 510.90 = 1,000.00 − 800.00 + 312.40 − 1.50. Its import books the opening on 10-01 (the day before its
 * first line), Dr bank 1,000.00 / Cr opening_balance_equity, and the payout's leg; with the rent and the fee
 * booked by hand, the ledger's bank holds 510.90 on 10-31, as the bank says. November's statement opens at
 * 520.90, 10.00 more than the ledger holds: said, not booked.
 */
const PAYOUT: TestPayout = {
  id: 'payelancer:ads-publisher:payout:2026-10-14',
  date: '2026-10-14',
  micros: 312_400_000n,
};
const line = (id: string, bookedOn: string, amount: string, reference: string) => ({
  id,
  bookedOn,
  amountMicros: parseMicros(amount),
  currency: 'USD',
  reference,
  description: '',
});
const OCTOBER: SandboxStatement = {
  account: 'DE89370400440532013000',
  currency: 'USD',
  from: '2026-10-01',
  to: '2026-10-31',
  lines: [
    line('B-RENT', '2026-10-02', '-800.00', 'STANDING ORDER OFFICE RENT'),
    line('B-PAYPAL-1', '2026-10-16', '312.40', 'PAYPAL TRANSFER 88120'),
    line('B-FEE', '2026-10-31', '-1.50', 'ACCOUNT FEE'),
  ],
  balances: { openingMicros: 1_000_000_000n, closingMicros: 510_900_000n },
};
const NOVEMBER: SandboxStatement = {
  ...OCTOBER,
  from: '2026-11-01',
  to: '2026-11-30',
  lines: [line('B-CARD-1', '2026-11-03', '-20.00', 'CARD 4411 SHOP')],
  balances: { openingMicros: 520_900_000n, closingMicros: 500_900_000n },
};
const CSV_MAP =
  '{ date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details, id: Id, balance: Balance }';
const CONFIG = (ledger: string) =>
  `ledger: ${ledger}\ntimezone: UTC\ncurrency: USD\nsources:\n  - { id: main-bank, kind: bank-statement, csv: ${CSV_MAP} }\n`;

const engines = useLedgerEngines();
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A ledger holding the payout (cleared), with October's and November's statements beside it in camt.053 and OFX. */
async function workspace(engine: LedgerEngine): Promise<{ dir: string; ledger: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bank-opening-'));
  made.push(dir);
  mkdirSync(join(dir, 'data'));
  const url = await engines.fresh(engine);
  await bookPayouts(dir, [PAYOUT], url);
  writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG(url ?? 'data/ledger.sqlite'));
  writeFileSync(join(dir, 'october.xml'), camt053Text(OCTOBER));
  writeFileSync(join(dir, 'october.ofx'), ofxText(OCTOBER, 2));
  writeFileSync(join(dir, 'october.csv'), csvStatementText(OCTOBER));
  writeFileSync(join(dir, 'november.xml'), camt053Text(NOVEMBER));
  return { dir, ledger: url ?? join(dir, 'data', 'ledger.sqlite') };
}

const run = (dir: string, args: string[]) => runLedgerline(args, { cwd: dir });
const importing = (dir: string, file: string, ...flags: string[]) =>
  run(dir, ['bank', 'import', file, '--account', 'main-bank', ...flags]);

/** The ledger's bank at the end of a day, as `balances --json` says it (0.00 when it holds nothing). */
async function bankOn(dir: string, day: string): Promise<string> {
  const result = await run(dir, ['balances', '--as-of', day, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const rows = (JSON.parse(result.stdout) as { rows: { account: string; net: string }[] }).rows;
  return rows.find((row) => row.account === 'bank')?.net ?? '0.00';
}

async function openingEntries(ledger: string): Promise<string[]> {
  return readBooks(ledger, async (books) =>
    ((await books.rows('journal_entries', 'id')) as { id: string }[])
      .map((row) => row.id)
      .filter((id) => id.startsWith('je:bank-opening:')),
  );
}

describe.each(LEDGER_ENGINES)('the opening of a bank account (%s)', { timeout: 60_000 }, (engine) => {
  let dir: string;
  let ledger: string;
  const said: Record<string, { code: number | null; stdout: string; stderr: string }> = {};
  beforeAll(async () => {
    ({ dir, ledger } = await workspace(engine));
    said['dry'] = await importing(dir, 'october.xml', '--dry-run');
    said['dryBank'] = { code: 0, stdout: await bankOn(dir, '2026-10-31'), stderr: '' };
    said['import'] = await importing(dir, 'october.xml');
    said['transit'] = await run(dir, ['transit', '--as-of', '2026-11-10']);
  }, 60_000);

  it('--dry-run says the opening it would book and the payout it would match, and books nothing', () => {
    expect(said['dry']!.code, said['dry']!.stderr).toBe(0);
    expect(said['dry']!.stdout).toContain(
      'would book the opening balance 1000.00 USD of main-bank on 2026-10-01: Dr bank, Cr opening_balance_equity',
    );
    expect(said['dry']!.stdout).toContain(
      `would match payout ${PAYOUT.id} of 312.40: bank 312.40 on 2026-10-16 (main-bank:B-PAYPAL-1)`,
    );
    expect(said['dryBank']!.stdout).toBe('0.00');
  });

  it("books the first statement's opening on the day before its first line, against opening balance equity, with the payout's leg", async () => {
    expect(said['import']!.code, said['import']!.stderr).toBe(0);
    expect(said['import']!.stdout).toContain(
      'opening balance 1000.00 USD of main-bank booked on 2026-10-01: Dr bank, Cr opening_balance_equity ' +
        "(its first statement's OPBD 1000.00 on 2026-10-01)",
    );
    expect(said['import']!.stdout).toContain(`matched payout ${PAYOUT.id} of 312.40`);
    expect(await bankOn(dir, '2026-09-30')).toBe('0.00');
    expect(await bankOn(dir, '2026-10-01')).toBe('1000.00');
    expect(await bankOn(dir, '2026-10-31')).toBe('1312.40');
    expect(await openingEntries(ledger)).toEqual(['je:bank-opening:main-bank']);
  });

  it("transit sets the ledger's own bank beside the statement's closing balance, with the right sign, then says they tie", async () => {
    expect(said['transit']!.stdout).toContain(
      "! bank account main-bank: the statement closes 2026-10-31 at 510.90 USD, the ledger's bank holds 1312.40 that day: 801.50 more than the bank",
    );
    for (const [date, account, amount] of [
      ['2026-10-02', 'suspense', '800.00'],
      ['2026-10-31', 'bank_fees', '1.50'],
    ] as const) {
      const adjusted = await run(dir, [
        ...['adjust', '--date', date, '--debit', `${account}=${amount}`, '--credit', `bank=${amount}`],
        ...['--reason', `statement line of ${date}`],
      ]);
      expect(adjusted.code, adjusted.stderr).toBe(0);
    }
    const tied = await run(dir, ['transit', '--as-of', '2026-11-10', '--json']);
    expect('bankBalancesOff' in JSON.parse(tied.stdout)).toBe(false);
    expect((await run(dir, ['transit', '--as-of', '2026-11-10'])).stdout).toContain(
      "bank account main-bank: the statement closes 2026-10-31 at 510.90 USD, and the ledger's bank holds 510.90 that day",
    );
    expect(await bankOn(dir, '2026-10-31')).toBe('510.90');
  });

  it("checks a later statement's opening against the ledger and says a difference, naming both figures, without booking it", async () => {
    const again = await importing(dir, 'october.xml');
    expect([again.code, again.stdout]).toEqual([
      0,
      expect.stringContaining(
        "opening balance 1000.00 USD (OPBD 1000.00 on 2026-10-01) is what the ledger's bank holds through 2026-10-01",
      ),
    ]);
    const november = await importing(dir, 'november.xml', '--json');
    expect(november.code, november.stderr).toBe(1);
    expect(JSON.parse(november.stdout)).toMatchObject({
      opening: { action: 'differs', amount: '520.90', ledger: '510.90', date: '2026-11-02' },
    });
    const text = await importing(dir, 'november.xml');
    expect(text.stdout).toContain(
      "! bank account main-bank: the statement opens at 520.90 USD (OPBD 520.90 on 2026-11-01), the ledger's bank holds 510.90 through 2026-11-02: 10.00 the ledger does not hold",
    );
    expect(await openingEntries(ledger)).toEqual(['je:bank-opening:main-bank']);
    expect(await bankOn(dir, '2026-11-02')).toBe('510.90');
  });
});

describe('the opening of a bank account whose statements are OFX, or whose opening comes from elsewhere', () => {
  it("an OFX's opening is its closing LEDGERBAL less what its lines moved", { timeout: 30_000 }, async () => {
    const { dir } = await workspace('sqlite');
    const imported = await importing(dir, 'october.ofx');
    expect(imported.stdout, imported.stderr).toContain(
      'opening balance 1000.00 USD of main-bank booked on 2026-10-01: Dr bank, Cr opening_balance_equity ' +
        "(its first statement's closing balance 510.90 on 2026-10-31 less its lines' -489.10)",
    );
    expect(await bankOn(dir, '2026-10-01')).toBe('1000.00');
  });

  it(
    "a CSV's opening is its first line's balance less its amount; its last balance is the closing transit reads",
    { timeout: 30_000 },
    async () => {
      const { dir } = await workspace('sqlite');
      const imported = await importing(dir, 'october.csv');
      expect(imported.stdout, imported.stderr).toContain(
        'opening balance 1000.00 USD of main-bank booked on 2026-10-01: Dr bank, Cr opening_balance_equity ' +
          "(its first statement's balance column: 1000.00 before its line of 2026-10-02)",
      );
      expect(await bankOn(dir, '2026-10-01')).toBe('1000.00');
      expect((await run(dir, ['transit', '--as-of', '2026-11-10'])).stdout).toContain(
        "! bank account main-bank: the statement closes 2026-10-31 at 510.90 USD, the ledger's bank holds 1312.40 that day: 801.50 more than the bank",
      );
    },
  );

  it(
    'an overdrawn account opens the other way, and says so: Dr opening_balance_equity, Cr bank',
    { timeout: 30_000 },
    async () => {
      // OPBD 250.00 DBIT: the bank is owed 250.00 → Dr opening_balance_equity 250.00 / Cr bank 250.00.
      const { dir } = await workspace('sqlite');
      const overdrawn = { ...OCTOBER, balances: { openingMicros: -250_000_000n, closingMicros: -739_100_000n } };
      writeFileSync(join(dir, 'overdrawn.xml'), camt053Text(overdrawn));
      const imported = await importing(dir, 'overdrawn.xml');
      expect(imported.stdout, imported.stderr).toContain(
        'opening balance -250.00 USD of main-bank booked on 2026-10-01: Dr opening_balance_equity, Cr bank ' +
          "(its first statement's OPBD -250.00 on 2026-10-01)",
      );
      expect(await bankOn(dir, '2026-10-01')).toBe('-250.00');
    },
  );

  it(
    "credits the opening to the bank source's own openingEquity; one the chart lacks is refused, naming the key to add",
    { timeout: 30_000 },
    async () => {
      const { dir } = await workspace('sqlite');
      const shipped = readFileSync(join(import.meta.dirname, '../../../mappings/default.yaml'), 'utf8');
      const owners = '  owners_capital:           { type: equity,    name: Owners capital }\n';
      writeFileSync(join(dir, 'chart.yaml'), shipped.replace(/^accounts:\n/m, `accounts:\n${owners}`));
      const config = (equity: string) =>
        CONFIG('data/ledger.sqlite').replace(', csv:', `, openingEquity: ${equity}, csv:`) + 'mappings: chart.yaml\n';
      writeFileSync(join(dir, 'ledgerline.yaml'), config('owners_capitl'));
      const refused = await importing(dir, 'october.xml');
      expect([refused.code, refused.stderr]).toEqual([
        2,
        expect.stringContaining(
          'accounts.owners_capitl: is not in the chart, and bank-statement source "main-bank" credits its opening ' +
            'balance to it (its openingEquity): add "owners_capitl: { type: equity, name: … }" (did you mean owners_capital?)',
        ),
      ]);
      writeFileSync(join(dir, 'ledgerline.yaml'), config('owners_capital'));
      const imported = await importing(dir, 'october.xml');
      expect(imported.stdout, imported.stderr).toContain(
        'opening balance 1000.00 USD of main-bank booked on 2026-10-01: Dr bank, Cr owners_capital',
      );
    },
  );

  it('an account opening at 0.00 books nothing, and says so', { timeout: 30_000 }, async () => {
    const { dir, ledger } = await workspace('sqlite');
    const empty = { ...OCTOBER, balances: { openingMicros: 0n, closingMicros: -489_100_000n } };
    writeFileSync(join(dir, 'empty.xml'), camt053Text(empty));
    const imported = await importing(dir, 'empty.xml');
    expect(imported.stdout, imported.stderr).toContain(
      "opening balance 0.00 USD of main-bank: nothing to book (its first statement's OPBD 0.00 on 2026-10-01)",
    );
    expect(await openingEntries(ledger)).toEqual([]);
  });

  it(
    "--no-opening books none and says so: the account's opening comes from elsewhere",
    { timeout: 30_000 },
    async () => {
      const { dir, ledger } = await workspace('sqlite');
      const imported = await importing(dir, 'october.xml', '--no-opening');
      expect([imported.code, imported.stdout], imported.stderr).toEqual([
        0,
        expect.stringContaining('opening balance 1000.00 USD (OPBD 1000.00 on 2026-10-01) not booked (--no-opening)'),
      ]);
      expect(await openingEntries(ledger)).toEqual([]);
      expect(await bankOn(dir, '2026-10-01')).toBe('0.00');
    },
  );

  it(
    'a balance cell with more decimals than the currency has, or an amount in exponent form, is refused by file, line and column; nothing booked',
    { timeout: 30_000 },
    async () => {
      // Issue 84: a USD balance of 1016.191 booked an opening of 1000.001 USD, and an amount of 1e5 read as 100000.
      const { dir, ledger } = await workspace('sqlite');
      const csv = csvStatementText(OCTOBER).split('\n');
      const cases: [string, string, string][] = [
        [
          'balance-decimals.csv',
          csv[1]!.replace(/,200\.00$/, ',200.001'),
          'line 2, column "Balance": "200.001" has more decimals than USD has (2)',
        ],
        [
          'amount-exponent.csv',
          csv[1]!.replace(',-800.00,', ',-8e2,'),
          'line 2, column "Amount": "-8e2" is not an amount (written in exponent form: write its digits)',
        ],
      ];
      for (const [name, row, refused] of cases) {
        writeFileSync(join(dir, name), [csv[0], row, ...csv.slice(2)].join('\n'));
        const imported = await importing(dir, name);
        expect(imported.code, imported.stdout).toBe(2);
        expect(imported.stderr).toContain(`error: ${name}, ${refused}`);
      }
      expect(await openingEntries(ledger)).toEqual([]);
      expect(await bankOn(dir, '2026-10-31')).toBe('0.00');
      // Trailing zeros are the same amount: read.
      writeFileSync(
        join(dir, 'zeros.csv'),
        [csv[0], csv[1]!.replace(/,200\.00$/, ',200.000'), ...csv.slice(2)].join('\n'),
      );
      expect((await importing(dir, 'zeros.csv')).code).toBe(0);
      expect(await bankOn(dir, '2026-10-01')).toBe('1000.00');
    },
  );
});
