import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  camt053Text,
  csvStatementText,
  ofxText,
  type SandboxStatement,
} from '../../../sandbox/bank/statement-writers.js';
import { runLedgerline } from '../../support/cli.js';
import { bookPayouts, type TestPayout } from '../transit-fixtures.js';

/**
 * One statement written in camt.053, OFX 1.x, OFX 2.x and CSV gives the same matches: each format imported into
 * its own copy of one ledger, `transit --json` lists the same states and the same evidence (amount, date,
 * reference, bank line). Three payouts: one whose line does not name it (matched by amount), one 2.50 short and
 * naming it (differs), one with no line (late); and 3,000 card payments around them, so every file is read in
 * more than one chunk of 1 MiB (the readers hand lines on chunk by chunk; OFX 1.x is 1.1 MB, the smallest).
 */
const PAYOUTS: TestPayout[] = [
  { id: 'payelancer:ads-publisher:payout:2026-10-14', date: '2026-10-14', micros: 312_400_000n },
  { id: 'payelancer:ads-publisher:payout:2026-10-20', date: '2026-10-20', micros: 120_000_000n },
  { id: 'payelancer:ads-publisher:payout:2026-10-24', date: '2026-10-24', micros: 80_000_000n },
];
const CARD_PAYMENTS = 3_000;
const STATEMENT: SandboxStatement = {
  account: 'DE89370400440532013000',
  currency: 'USD',
  from: '2026-10-01',
  to: '2026-10-31',
  lines: [
    {
      id: 'B-PAYPAL-1',
      bookedOn: '2026-10-16',
      amountMicros: 312_400_000n,
      currency: 'USD',
      reference: 'PAYPAL TRANSFER 88120',
      description: 'PAYPAL EUROPE',
    },
    {
      id: 'B-PAYPAL-2',
      bookedOn: '2026-10-22',
      amountMicros: 117_500_000n,
      currency: 'USD',
      reference: `payout ${PAYOUTS[1]!.id}`,
      description: 'PAYPAL EUROPE',
    },
    ...Array.from({ length: CARD_PAYMENTS }, (_, index) => ({
      id: `B-CARD-${index}`,
      bookedOn: `2026-10-${String(1 + (index % 31)).padStart(2, '0')}`,
      amountMicros: -BigInt(1_000_000 + index * 10_000),
      currency: 'USD',
      reference: `CARD ${index} & <co> AUTHORISED AT A SHOP WHOSE NAME FILLS THE WHOLE LINE OF THE BANK STATEMENT`,
      description:
        'CARD PAYMENT, MERCHANT CATEGORY 5734, CONTACTLESS, TERMINAL 00412 IN A TOWN WITH A LONG NAME, AUTHORISATION CODE 884120 EXPIRY 2029',
    })),
  ],
};
const FILES = {
  'camt.053': ['statement.xml', camt053Text(STATEMENT)],
  'OFX 1.x': ['statement-1.ofx', ofxText(STATEMENT, 1)],
  'OFX 2.x': ['statement-2.ofx', ofxText(STATEMENT, 2)],
  CSV: ['statement.csv', csvStatementText(STATEMENT)],
} as const;
const CONFIG = [
  'ledger: data/ledger.sqlite',
  'timezone: UTC',
  'currency: USD',
  'sources:',
  '  - id: main-bank',
  '    kind: bank-statement',
  '    csv: { date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details, id: Id }',
  '',
].join('\n');

let root: string;
const transitBy = new Map<string, unknown>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ledgerline-statement-formats-'));
  const booked = join(root, 'booked');
  mkdirSync(booked);
  await bookPayouts(booked, PAYOUTS);
  for (const [format, [file, text]] of Object.entries(FILES)) {
    const dir = join(root, file.replace('.', '-'));
    mkdirSync(join(dir, 'data'), { recursive: true });
    copyFileSync(join(booked, 'data', 'ledger.sqlite'), join(dir, 'data', 'ledger.sqlite'));
    writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG);
    writeFileSync(join(dir, file), text);
    const imported = await runLedgerline(['bank', 'import', file, '--account', 'main-bank', '--json'], { cwd: dir });
    expect(imported.code, `${format}: ${imported.stderr}`).toBe(0);
    expect(JSON.parse(imported.stdout), format).toMatchObject({
      read: STATEMENT.lines.length,
      added: STATEMENT.lines.length,
    });
    const transit = await runLedgerline(['transit', '--as-of', '2026-11-10', '--json'], { cwd: dir });
    expect(transit.code, `${format}: ${transit.stderr}`).toBe(1);
    transitBy.set(format, JSON.parse(transit.stdout));
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a statement in each format gives the same matches', () => {
  it('camt.053: matched by amount, differs by the fee withheld, late without a line', () => {
    const { items } = transitBy.get('camt.053') as { items: { id: string; state: string; match: unknown }[] };
    expect(items.map((item) => [item.id, item.state, item.match])).toEqual([
      [
        PAYOUTS[0]!.id,
        'matched',
        { amount: '312.40', date: '2026-10-16', reference: 'PAYPAL TRANSFER 88120', bankLine: 'main-bank:B-PAYPAL-1' },
      ],
      [
        PAYOUTS[1]!.id,
        'differs',
        {
          amount: '117.50',
          date: '2026-10-22',
          reference: `payout ${PAYOUTS[1]!.id}`,
          bankLine: 'main-bank:B-PAYPAL-2',
        },
      ],
      [PAYOUTS[2]!.id, 'late', null],
    ]);
  });

  it.for(['OFX 1.x', 'OFX 2.x', 'CSV'])('%s gives what camt.053 gives', (format) => {
    expect(transitBy.get(format)).toEqual(transitBy.get('camt.053'));
  });
});
