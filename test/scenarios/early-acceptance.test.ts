import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestinationFakes, startSandbox } from '../../sandbox/index.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { BANK_MONTH_WORLD } from '../support/bank-month-world.js';
import { withSandboxBankAccount } from '../support/sandbox-bank.js';
import { builtWorld } from '../support/built-worlds.js';
import { readBooks } from '../support/ledger-engines.js';
import { daysFrom, setSandboxDay, type CliResult, type Workspace } from './scenario-harness.js';

/**
 * Issue 69 item 2: an early acceptance lost a later fee. The publisher earns 76.04 by 03-31, paid at the month end;
 * the sandbox bank pays the first payout 2.50 short, on 04-03 (month-end-bank.test.ts's world, whose nights this
 * reuses). On 04-01 the payout is in transit, `close --period 2026-03` advises accepting it, and a person does.
 * The April statement then brings +73.54. By hand: the payout's journal put 76.04 in payout_clearing_paypal; the
 * line is 2.50 short, so the acceptance books Dr bank_fees 2.50 / Cr payout_clearing_paypal 2.50 (said by the
 * import that brought the line), then the leg Dr bank 73.54 / Cr payout_clearing_paypal 73.54: clearing 0.00,
 * bank_fees 2.50, and `transit` calls the payout closed with its line.
 */
const PAYOUT = 'payelancer:ads-publisher:payout:2026-03-31';

interface TransitJson {
  items: { id: string; state: string; match: null | { amount: string; bankLine: string } }[];
  clearingResidues?: unknown[];
}

describe('a payout accepted while in transit whose line then arrives 2.50 short', { timeout: 240_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const run: Record<string, CliResult> = {};

  /** The sandbox bank's statement of the account from `from` to `to`, imported. */
  const importStatement = async (from: string, to: string, file: string) => {
    const statement = await fetch(`${sandbox.bankStatementUrl}?from=${from}&to=${to}&format=camt053`);
    writeFileSync(join(workspace.dir, file), await statement.text());
    return workspace.run(['bank', 'import', file, '--account', 'main-bank']);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      script: BANK_MONTH_WORLD,
      extraMounts: (({ xero, quickbooks }) => [xero, quickbooks])(createDestinationFakes()),
    });
    workspace = (
      await builtWorld({ name: 'bank-month', script: BANK_MONTH_WORLD, days: daysFrom('2026-03-24', '2026-03-31') })
    ).copyFor(sandbox, 'early-acceptance');
    withSandboxBankAccount(workspace.dir);
    await setSandboxDay(sandbox, '2026-04-01');
    run['march'] = await importStatement('2026-03-24', '2026-04-01', 'march.xml');
    run['close'] = await workspace.run(['close', '--period', '2026-03']);
    run['accept'] = await workspace.run(['transit', 'accept', PAYOUT, '--note', 'in transit at the March close']);
    await setSandboxDay(sandbox, '2026-04-07');
    run['april'] = await importStatement('2026-04-02', '2026-04-07', 'april.xml');
    run['transit'] = await workspace.run(['transit', '--json']);
  }, 240_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('is advised by the close while in transit, and accepted with nothing to book yet', () => {
    expect(run['march']!.code, run['march']!.stderr).toBe(0);
    expect(`${run['close']!.stdout}${run['close']!.stderr}`).toContain(`transit accept ${PAYOUT}`);
    expect([run['accept']!.code, run['accept']!.stdout], run['accept']!.stderr).toEqual([
      0,
      expect.stringContaining(`accepted: ${PAYOUT} (in transit at the March close)`),
    ]);
  });

  it('books the 2.50 under the earlier acceptance when the line arrives, says so, and leaves the clearing account empty', async () => {
    // Exit 1: March's stray lines (the rent, the account fee) are not booked in this world, so April's opening is
    // named beside the ledger's bank (the bank's opening balance, issue 69); the difference is booked all the same.
    expect([run['april']!.code, run['april']!.stdout], run['april']!.stderr).toEqual([
      1,
      expect.stringContaining(
        `booked je:transit-difference:${PAYOUT} dated 2026-04-03: Dr bank_fees 2.50 USD, Cr payout_clearing_paypal 2.50 USD`,
      ),
    ]);
    expect(run['april']!.stdout).toContain('the statement opens at 3090.06 USD');
    const transit = JSON.parse(run['transit']!.stdout) as TransitJson;
    const payout = transit.items.find((item) => item.id === PAYOUT);
    expect([payout?.state, payout?.match?.amount, transit.clearingResidues]).toEqual(['closed', '73.54', undefined]);
    const [clearing, fees, unbalanced] = await readBooks(workspace.ledger, (books) =>
      Promise.all([
        books.balanceMicros('payout_clearing_paypal'),
        books.balanceMicros('bank_fees'),
        books.unbalancedEntries(),
      ]),
    );
    expect([clearing, fees, unbalanced]).toEqual([0n, 2_500_000n, []]);
  });
});
