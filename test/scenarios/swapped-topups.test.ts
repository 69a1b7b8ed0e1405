import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { addBankWordsAccount } from '../support/bank-words-account.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { setSandboxDay, startScenarioSandbox, type CliResult, type Workspace } from './scenario-harness.js';
import { afterTheNights, SWAPPED_TOPUPS_WORLD } from './swapped-topups-nights.js';

/**
 * Issue 69 item 6: two top-ups of 50.00, on Friday 04-03 (T1) and Saturday 04-04 (T2), both debited by card on Monday
 * 04-06; T1's with a 3 % card fee inside the debit. By hand:
 *   B-01  04-06  −51.50  CARD 4411 SMMPANEL  → T1's (50.00 + 1.50 fee)
 *   B-02  04-06  −50.00  CARD 4412 SMMPANEL  → T2's
 *   B-03  04-01 −800.00  RENT APRIL          → no item: booked by hand with `adjust --settles`
 * The rules give T1 (the earlier) the line nearest its amount, B-02 (matched, its leg booked), and T2 B-01 (differs by
 * 1.50): the fee lands on the wrong top-up. A person unmatches T2 and matches T1 to B-01: T1's leg is reversed
 * (append-only: a new entry), T2 takes B-02 by rule, and T1's accepted difference books the 1.50 to bank_fees.
 * Then: topup_clearing 0.00, bank_fees 1.50, bank −101.50 (what the card lines took) and −800.00 for the rent.
 */
const T1 = 'panel:smm-panel:topup:2026-04-03';
const T2 = 'panel:smm-panel:topup:2026-04-04';
const line = (id: string) => `operating:${id}`;
const STATEMENT = [
  'Date,Amount,Currency,Reference,Details,Id',
  '2026-04-01,-800.00,USD,RENT APRIL,STANDING ORDER,B-03',
  '2026-04-06,-51.50,USD,CARD 4411 SMMPANEL,CARD PAYMENT,B-01',
  '2026-04-06,-50.00,USD,CARD 4412 SMMPANEL,CARD PAYMENT,B-02',
  '',
].join('\n');

interface TransitJson {
  items: { id: string; state: string; match: null | { bankLine: string } }[];
}
interface BankLinesJson {
  lines: { bankLine: string; takenBy: null | { item: string; state: string; by: string } }[];
}
const states = (run: CliResult) =>
  (JSON.parse(run.stdout) as TransitJson).items.map((item) => [item.id, item.state, item.match?.bankLine ?? null]);

const { fresh } = useLedgerEngines();

describe.each(LEDGER_ENGINES)('two top-ups that took each other’s card lines, put right by hand, on %s', (engine) => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const run: Record<string, CliResult> = {};

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(SWAPPED_TOPUPS_WORLD);
    workspace = await afterTheNights(sandbox, `swapped-topups-${engine}`, await fresh(engine), (dir) =>
      addBankWordsAccount(dir),
    );
    await setSandboxDay(sandbox, '2026-04-07');
    writeFileSync(join(workspace.dir, 'april.csv'), STATEMENT);
    run['import'] = await workspace.run(['bank', 'import', 'april.csv', '--account', 'operating']);
    run['transit'] = await workspace.run(['transit', '--json']);
  }, 90_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('gives the earlier top-up the exact line by rule, so the fee lands on the later one', () => {
    expect(run['import']!.code, run['import']!.stderr).toBe(0);
    expect(states(run['transit']!)).toEqual([
      [T1, 'matched', line('B-02')],
      [T2, 'differs', line('B-01')],
    ]);
  });

  it('moves the fee to the right top-up: unmatch, then match, reversing the wrong leg; the books balance and clearing is empty', async () => {
    const unmatched = await workspace.run(['transit', 'unmatch', T2]);
    expect([unmatched.code, unmatched.stdout], unmatched.stderr).toEqual([0, `unmatched: ${T2} is cleared now\n`]);
    const matched = await workspace.run(['transit', 'match', T1, line('B-01')]);
    expect([matched.code, matched.stdout], matched.stderr).toEqual([
      0,
      // Issue 83: T2's leg is booked (it took B-02 by rule), T1's waits for its acceptance; it said "what the line
      // moved left clearing for the bank", as if T1's had.
      `matched by hand: ${T1} takes ${line('B-01')} (differs); the bank leg of its earlier line reversed by je:bank-leg-reversal:1:${T1}; ` +
        `the bank leg of another item that took a line booked: je:bank-leg:${T2}; its bank leg is not booked: it and the ` +
        `difference wait for you ("ledgerline transit accept ${T1}")\n`,
    ]);
    const accepted = await workspace.run(['transit', 'accept', T1, '--note', '3 % card fee']);
    expect([accepted.code, accepted.stdout], accepted.stderr).toEqual([
      0,
      expect.stringContaining('Dr bank_fees 1.50 USD, Cr topup_clearing 1.50 USD'),
    ]);
    const after = await workspace.run(['transit', '--json']);
    expect(states(after)).toEqual([
      [T1, 'closed', line('B-01')],
      [T2, 'matched', line('B-02')],
    ]);
    const books = await readBooks(workspace.ledger, async (view) => ({
      balances: await view.balances(),
      unbalanced: await view.unbalancedEntries(),
      legs: ((await view.rows('journal_entries', 'seq')) as { id: string }[])
        .map((row) => row.id)
        .filter((id) => id.startsWith('je:bank-leg')),
    }));
    expect(books.unbalanced).toEqual([]);
    expect([books.balances['topup_clearing'], books.balances['bank_fees'], books.balances['bank']]).toEqual([
      '0.00',
      '1.50',
      '-101.50',
    ]);
    expect(books.legs).toEqual([
      `je:bank-leg:${T1}`,
      `je:bank-leg-reversal:1:${T1}`,
      `je:bank-leg:${T2}`,
      `je:bank-leg-again:2:${T1}`,
    ]);
  });

  it('links the rent booked by hand to its line with adjust --settles: it leaves bank lines --unmatched; a bad line id is refused naming it', async () => {
    const unmatched = async () =>
      (JSON.parse((await workspace.run(['bank', 'lines', '--unmatched', '--json'])).stdout) as BankLinesJson).lines.map(
        (row) => row.bankLine,
      );
    expect(await unmatched()).toEqual([line('B-03')]);
    const rent = [
      '--date',
      '2026-04-01',
      '--debit',
      'suspense=800.00',
      '--credit',
      'bank=800.00',
      '--reason',
      'rent April',
    ];
    const wrong = await workspace.run(['adjust', ...rent, '--settles', line('B-99')]);
    expect([wrong.code, wrong.stderr.trim().split('\n')]).toEqual([
      2,
      [expect.stringContaining(`--settles ${line('B-99')}: no landed bank line has that id`)],
    ]);
    const taken = await workspace.run(['adjust', ...rent, '--settles', line('B-02')]);
    expect([taken.code, taken.stderr]).toEqual([2, expect.stringContaining(`the line settles ${T2}`)]);
    // Issue 84: an entry whose bank movement is not the line's amount does not settle it (a 9.99 entry took a line).
    const other = ['--debit', 'suspense=9.99', '--credit', 'bank=9.99', '--reason', 'rent April, mistyped'];
    const mistyped = await workspace.run(['adjust', '--date', '2026-04-01', ...other, '--settles', line('B-03')]);
    expect([mistyped.code, mistyped.stderr.trim().split('\n')]).toEqual([
      2,
      [
        expect.stringContaining(
          `error: --settles ${line('B-03')}: the entry moves bank by -9.99 USD, the line is -800.00 USD: `,
        ),
      ],
    ]);
    const booked = await workspace.run(['adjust', ...rent, '--settles', line('B-03')]);
    expect([booked.code, booked.stdout], booked.stderr).toEqual([
      0,
      expect.stringContaining(`settles bank line ${line('B-03')}: it leaves "bank lines --unmatched"`),
    ]);
    expect(await unmatched()).toEqual([]);
    const all = (JSON.parse((await workspace.run(['bank', 'lines', '--json'])).stdout) as BankLinesJson).lines;
    expect(all.find((row) => row.bankLine === line('B-03'))?.takenBy).toEqual({
      item: expect.stringMatching(/^je:adjustment:2026-04-01:/),
      state: 'adjusted',
      by: 'hand',
    });
    // Nothing else was booked for the refused ones: one rent entry, and the bank holds the card lines and the rent.
    expect(await readBooks(workspace.ledger, (view) => view.balanceMicros('bank'))).toBe(-901_500_000n);
  });
});
