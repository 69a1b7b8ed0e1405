import { beforeAll, describe, expect, it } from 'vitest';
import { camt053Text, csvStatementText, ofxText } from '../../../sandbox/bank/statement-writers.js';
import { writeSandboxBankStatements } from '../../../sandbox/bank/write-bank-statements.js';
import { MONTH_END } from '../../scenarios/month-end-world.js';
import { builtWorld } from '../../support/built-worlds.js';
import { bankStatementWorkspace } from '../../support/bank-statement-workspace.js';
import { runLedgerline, type CliRun } from '../../support/cli.js';
import { useTempDir } from '../../support/temp-dir.js';
import { MONTH_END_SENT, MONTH_END_STATEMENT } from '../../support/month-end-statement.js';

/**
 * `ledgerline transit` over the month-end world (test/scenarios/month-end-world.ts, built once per run): the ad
 * network paid out 55.00 on 03-31, the panel saw top-ups of 100.00 on 03-25 and 40.50 on 04-08. The sandbox's
 * bank (sandbox/bank) pays the payout 2 days later, the first top-up by card the next day, the second never.
 * Ground truth by hand, as of 2026-04-30: the top-up of 03-25 matched by the card line of 03-26 (age 36), the
 * payout matched by the line of 04-02 (age 30), the top-up of 04-08 late (16 business days, age 22).
 */
const SENT = MONTH_END_SENT;
const STATEMENT = MONTH_END_STATEMENT;
const FORMATS = {
  camt: ['april.xml', camt053Text(STATEMENT)],
  ofx1: ['april.ofx', ofxText(STATEMENT, 1)],
  ofx2: ['april.ofx', ofxText(STATEMENT, 2)],
  csv: ['april.csv', csvStatementText(STATEMENT)],
} as const;
const tempDir = useTempDir();
const transits = new Map<string, CliRun>();
let ledgerAfterApril: string;

/** A folder with a copy of the world's ledger after 04-30, the configuration and the statement imported. */
const workspaceWith = (file: string, text: string) => bankStatementWorkspace(tempDir(), ledgerAfterApril, file, text);

beforeAll(async () => {
  ledgerAfterApril = (await builtWorld(MONTH_END)).ledgerAfter('2026-04-30');
  for (const [format, [file, text]] of Object.entries(FORMATS)) {
    transits.set(
      format,
      await runLedgerline(['transit', '--as-of', '2026-04-30', '--json'], { cwd: await workspaceWith(file, text) }),
    );
  }
}, 120_000);

const lineOf = (bookedOn: string) => `operating:${STATEMENT.lines.find((line) => line.bookedOn === bookedOn)!.id}`;
const GROUND_TRUTH = {
  asOf: '2026-04-30',
  items: [
    {
      id: SENT[0]!.id,
      kind: 'topup',
      source: 'smm-panel',
      amount: '100.00',
      currency: 'USD',
      reportedOn: '2026-03-25',
      state: 'matched',
      ageDays: 36,
      match: { amount: '-100.00', date: '2026-03-26', reference: SENT[0]!.id, bankLine: lineOf('2026-03-26') },
    },
    {
      id: SENT[1]!.id,
      kind: 'payout',
      source: 'ads-publisher',
      amount: '55.00',
      currency: 'USD',
      reportedOn: '2026-03-31',
      state: 'matched',
      ageDays: 30,
      match: { amount: '55.00', date: '2026-04-02', reference: SENT[1]!.id, bankLine: lineOf('2026-04-02') },
    },
    {
      id: SENT[2]!.id,
      kind: 'topup',
      source: 'smm-panel',
      amount: '40.50',
      currency: 'USD',
      reportedOn: '2026-04-08',
      state: 'late',
      ageDays: 22,
      match: null,
    },
  ],
};

describe('ledgerline transit over the month-end world and its bank statement', () => {
  it('gives each payout and top-up its state, age and bank line as written by hand, and exits 1 for the late top-up', () => {
    const camt = transits.get('camt')!;
    expect(camt.code, camt.stderr).toBe(1);
    expect(JSON.parse(camt.stdout)).toEqual(GROUND_TRUTH);
  });

  it('finds the same matches in the same lines written as camt.053, OFX 1.x, OFX 2.x and CSV', () => {
    const states = (format: string) =>
      (JSON.parse(transits.get(format)!.stdout) as typeof GROUND_TRUTH).items.map((item) => [
        item.id,
        item.state,
        item.ageDays,
        item.match?.amount,
        item.match?.date,
      ]);
    expect(states('ofx1')).toEqual(states('camt'));
    expect(states('ofx2')).toEqual(states('camt'));
    expect(states('csv')).toEqual(states('camt'));
  });

  it('closes a matched payout a person accepts, and marks the late top-up in the transit list and in the status section', async () => {
    const dir = await workspaceWith(...FORMATS.ofx2);
    const written = writeSandboxBankStatements(dir, SENT, {
      account: 'US-OPERATING',
      currency: 'USD',
      from: '2026-03-01',
      to: '2026-04-30',
    });
    const again = await runLedgerline(['bank', 'import', written.camt053, '--account', 'operating', '--json'], {
      cwd: dir,
    });
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 2, seenBefore: false });
    const accepted = await runLedgerline(['transit', 'accept', SENT[1]!.id, '--note', 'seen on the April statement'], {
      cwd: dir,
    });
    expect(accepted.code, accepted.stderr).toBe(0);
    const text = await runLedgerline(['transit', '--as-of', '2026-04-30'], { cwd: dir });
    expect(text.code).toBe(1);
    const rows = text.stdout.split('\n').filter((row) => row.includes(':'));
    expect(rows.map((row) => [row.startsWith('!'), /closed|matched|late/.exec(row)?.[0]])).toEqual([
      [false, 'matched'],
      [false, 'closed'],
      [true, 'late'],
    ]);
    const status = await runLedgerline(['status'], { cwd: dir });
    const section = status.stdout.slice(status.stdout.indexOf('money in transit as of'));
    expect(
      section
        .split('\n')
        .filter((row) => row.startsWith('!'))
        .map((row) => row.includes(SENT[2]!.id)),
    ).toEqual([true]);
    const reconcile = await runLedgerline(['reconcile', '--as-of', '2026-04-30'], { cwd: dir });
    expect(reconcile.stdout).toContain('money in transit as of 2026-04-30');
  });
});
