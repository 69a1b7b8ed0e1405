import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_BANK_ACCOUNT } from '../../../sandbox/bank/world-bank.js';
import { formatMicros } from '../../../src/money/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index.js';
import { runLedgerline } from '../../support/cli.js';
import { useTempDir } from '../../support/temp-dir.js';
import { send } from '../sandbox-http.js';

/**
 * The sandbox's bank (GET /bank/statement): the world's statement for a window in camt.053, OFX and CSV, the same
 * bytes every time, each format landing the same lines through `ledgerline bank import`, in the words matching
 * reads, with balances that carry from one window to the next. World seed 7 from 2026-01-01, its day 2026-04-30:
 * month-end payouts of January (2.50 short), February (whole) and March (never arrives).
 */
const tempDir = useTempDir();
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 7, startDate: '2026-01-01', today: '2026-04-30' });
});
afterAll(async () => {
  await sandbox.close();
});

const statement = async (query: string) => send(`${sandbox.bankStatementUrl}?${query}`);
const CONFIG = [
  'ledger: data/ledger.sqlite',
  'timezone: UTC',
  'currency: USD',
  'sources:',
  '  - id: main-bank',
  '    kind: bank-statement',
  `    accountNumber: ${SANDBOX_BANK_ACCOUNT}`,
  '    csv: { date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details, id: Id }',
  '',
].join('\n');

/** The lines of a CSV statement as [date, amount, reference], and its balance column's last value. */
function csvRows(text: string): { rows: string[][]; last: string | undefined } {
  const rows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => row.split(','));
  return {
    rows: rows.map(([date = '', amount = '', , reference = '']) => [date, amount, reference.replace(/"/g, '')]),
    last: rows.at(-1)?.at(-1),
  };
}

describe('the sandbox bank', () => {
  it('writes payouts, top-ups and card fees in the agreed words, a fee short, one payout never arriving, and unrelated lines', async () => {
    const { rows } = csvRows((await statement('from=2026-01-01&to=2026-04-30&format=csv')).text);
    const payouts = rows.filter(([, , reference]) => /^PAYPAL TRANSFER PAYELANCER \d{4}$/.test(reference ?? ''));
    expect(payouts.map(([date]) => date)).toEqual([
      expect.stringMatching(/^2026-02-0[1-6]$/),
      expect.stringMatching(/^2026-03-0[1-6]$/),
    ]);
    const earned = (from: string, to: string) =>
      sandbox.stateOn(to).payelancer.publisher.amount - sandbox.stateOn(from).payelancer.publisher.amount;
    expect(payouts.map(([, amount]) => amount)).toEqual([
      formatMicros(earned('2026-01-01', '2026-01-31') - 2_500_000n),
      formatMicros(earned('2026-01-31', '2026-02-28')),
    ]);
    expect(rows.some(([, , reference]) => /^CARD \d{4} SMMPANEL$/.test(reference ?? ''))).toBe(true);
    expect(rows.some(([, , reference]) => /^CARD FEE \d{4} SMMPANEL$/.test(reference ?? ''))).toBe(true);
    expect(
      rows
        .filter(([, , reference]) => reference === 'STANDING ORDER OFFICE RENT')
        .map(([date, amount]) => [date, amount]),
    ).toEqual([
      ['2026-01-01', '-1450.00'],
      ['2026-02-02', '-1450.00'],
      ['2026-03-02', '-1450.00'],
      ['2026-04-01', '-1450.00'],
    ]);
  });

  it('answers the same bytes every time, and balances that carry from one month to the next', async () => {
    const march = await statement('from=2026-03-01&to=2026-03-31&format=camt053');
    expect(march.status).toBe(200);
    expect(march.headers.get('content-disposition')).toBe(
      `attachment; filename="${SANDBOX_BANK_ACCOUNT}-2026-03-31.camt053.xml"`,
    );
    expect((await statement('from=2026-03-01&to=2026-03-31&format=camt053')).text).toBe(march.text);
    const closing = /<Cd>CLBD<\/Cd><\/CdOrPrtry><\/Tp><Amt Ccy="USD">([\d.]+)<\/Amt>/.exec(march.text)?.[1];
    const april = (await statement('from=2026-04-01&to=2026-04-30&format=camt053')).text;
    expect(/<Cd>OPBD<\/Cd><\/CdOrPrtry><\/Tp><Amt Ccy="USD">([\d.]+)<\/Amt>/.exec(april)?.[1]).toBe(closing);
    expect(csvRows((await statement('from=2026-03-01&to=2026-03-31&format=csv')).text).last).toBe(closing);
    expect(
      /<LEDGERBAL><BALAMT>([\d.]+)<\/BALAMT>/.exec(
        (await statement('from=2026-03-01&to=2026-03-31&format=ofx')).text,
      )?.[1],
    ).toBe(closing);
  });

  it('refuses a window past its day or upside down', async () => {
    expect(await statement('from=2026-04-01&to=2026-05-31')).toMatchObject({
      status: 400,
      json: { error: "to 2026-05-31 is after the sandbox's day 2026-04-30: the bank has booked nothing after it" },
    });
    expect(await statement('from=2026-04-02&to=2026-04-01')).toMatchObject({ status: 400 });
    expect(await statement('format=mt940')).toMatchObject({ status: 400 });
  });

  it('lands March in camt.053, OFX 1.x, OFX 2.x and CSV as the same lines, once', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledgerline.yaml'), CONFIG);
    const landed: unknown[] = [];
    for (const [format, file] of [
      ['camt053', 'march.xml'],
      ['ofx1', 'march-1.ofx'],
      ['ofx', 'march-2.ofx'],
      ['csv', 'march.csv'],
    ] as const) {
      writeFileSync(join(dir, file), (await statement(`from=2026-03-01&to=2026-03-31&format=${format}`)).text);
      const run = await runLedgerline(['bank', 'import', file, '--account', 'main-bank', '--json'], { cwd: dir });
      expect(run.code, `${format}: ${run.stderr}`).toBe(0);
      expect(run.stderr).toBe('');
      landed.push(JSON.parse(run.stdout));
    }
    const [first, ...rest] = landed as { read: number; added: number }[];
    expect(first!.read).toBeGreaterThan(5);
    expect(first!.added).toBe(first!.read);
    // The bank's own ids are the same in every format: the other three files add nothing.
    for (const other of rest) expect(other).toMatchObject({ read: first!.read, added: 0 });
  });
});
