import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import {
  SANDBOX_APRIL_NIGHTS,
  assertBuilt,
  runLedgerline,
  scenarioEnvironment,
  scratchDir,
  setSandboxDay,
  workspaceIn,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

/**
 * Issue 83's first "must show", through the built CLI: the sandbox's own world (seed 1, from 03-01, as `ledgerline
 * sandbox` serves it) synced from 03-01 by the configuration `init --sandbox-url` writes, on the nights of its
 * top-ups and the month end, then the sandbox bank's statement of 03-26 to 04-30 imported. The panel's top-ups of 50.00 and the bank's card lines (card
 * 8345, each debited the next business day, every second with a 3 % card fee, inside the debit then on its own line):
 *   03-28 (Sat)  → SBK20260330-001  −50.00 on Mon 03-30
 *   04-03 (Fri)  → SBK20260406-001  −51.50 on Mon 04-06 (fee inside)   } both 1 business day after each top-up's day:
 *   04-04 (Sat)  → SBK20260406-002  −50.00 on Mon 04-06                } the earlier takes the exact one, the other differs
 *   04-12 (Sun)  → SBK20260413-001  −50.00 on Mon 04-13, SBK20260413-002 −1.50 CARD FEE (no item's)
 *   04-15 (Wed)  → SBK20260416-001  −50.00 on Thu 04-16
 *   04-18 (Sat)  → SBK20260420-001  −51.50 on Mon 04-20 (fee inside)
 *   04-30 (Thu)  → debited 05-01, after the statement: waits
 * March's payout of 76.79 arrives +74.29 on 04-03 (SBK20260403-001, 2.50 short: differs); April's, sent 04-30, waits.
 * The old rule gave the 04-04 top-up the exact −50.00 of 04-13 (6 business days on), the 04-12 one 04-16's, the 04-15
 * one the −51.50 of 04-20 and the 04-18 one nothing, leaving the −51.50 of 04-06 to no one. The lines no item took
 * are the bank's own: the account fee (03-31, 04-30), the rent (04-01) and the card fee charged apart (04-13).
 */
const NIGHTS = SANDBOX_APRIL_NIGHTS;
const topup = (day: string) => `panel:smm-panel:topup:${day}`;
const PAYOUT = 'payelancer:ads-publisher:payout:2026-03-31';
const line = (id: string) => `main-bank:${id}`;

interface TransitJson {
  items: { id: string; state: string; match: null | { amount: string; bankLine: string } }[];
}

describe("the sandbox's April matched by the bank's calendar", { timeout: 300_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const run: Record<string, CliResult> = {};

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startSandbox({ port: 0, today: NIGHTS[0] });
    const dir = scratchDir('sandbox-april-bank');
    const env = scenarioEnvironment(sandbox);
    const init = await runLedgerline(dir, ['init', '--sandbox-url', sandbox.baseUrl], env);
    if (init.code !== 0) throw new Error(`init exited ${init.code}: ${init.stderr}`);
    workspace = workspaceIn(sandbox, dir, env, undefined);
    for (const night of NIGHTS) {
      await setSandboxDay(sandbox, night);
      const synced = await workspace.syncDay(night);
      if (synced.code !== 0 && synced.code !== 1)
        throw new Error(`sync of ${night} exited ${synced.code}: ${synced.stderr}`);
    }
    const statement = await fetch(`${sandbox.bankStatementUrl}?from=2026-03-26&to=2026-04-30&format=camt053`);
    writeFileSync(join(dir, 'statement.xml'), await statement.text());
    run['import'] = await workspace.run(['bank', 'import', 'statement.xml', '--account', 'main-bank']);
    run['transit'] = await workspace.run(['transit', '--json']);
    run['unmatched'] = await workspace.run(['bank', 'lines', '--unmatched', '--json']);
  }, 300_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('gives the 04-04 top-up a line of 04-06 and the 04-12 one the line of 04-13: each top-up its own card line', () => {
    expect(run['import']!.code, run['import']!.stderr).toBe(0);
    const items = (JSON.parse(run['transit']!.stdout) as TransitJson).items.map((item) => [
      item.id,
      item.state,
      item.match?.bankLine ?? null,
      item.match?.amount ?? null,
    ]);
    expect(items).toEqual([
      [topup('2026-03-28'), 'matched', line('SBK20260330-001'), '-50.00'],
      [PAYOUT, 'differs', line('SBK20260403-001'), '74.29'],
      [topup('2026-04-03'), 'matched', line('SBK20260406-002'), '-50.00'],
      [topup('2026-04-04'), 'differs', line('SBK20260406-001'), '-51.50'],
      [topup('2026-04-12'), 'matched', line('SBK20260413-001'), '-50.00'],
      [topup('2026-04-15'), 'matched', line('SBK20260416-001'), '-50.00'],
      [topup('2026-04-18'), 'differs', line('SBK20260420-001'), '-51.50'],
      [topup('2026-04-30'), 'cleared', null, null],
      ['payelancer:ads-publisher:payout:2026-04-30', 'cleared', null, null],
    ]);
  });

  it('leaves unmatched only the lines no item explains: the account fees, the rent and the card fee charged apart', () => {
    const lines = (
      JSON.parse(run['unmatched']!.stdout) as { lines: { bankLine: string; amount: string; reference: string }[] }
    ).lines;
    expect(lines.map((row) => [row.bankLine, row.amount, row.reference])).toEqual([
      [line('SBK20260331-001'), '-9.00', 'ACCOUNT MAINTENANCE FEE'],
      [line('SBK20260401-001'), '-1450.00', 'STANDING ORDER OFFICE RENT'],
      [line('SBK20260413-002'), '-1.50', 'CARD FEE 8345 SMMPANEL'],
      [line('SBK20260430-001'), '-9.00', 'ACCOUNT MAINTENANCE FEE'],
    ]);
  });
});
