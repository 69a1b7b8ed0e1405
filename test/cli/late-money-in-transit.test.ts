import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxBankStatement } from '../../sandbox/bank/bank-statement-plan.js';
import { csvStatementText } from '../../sandbox/bank/statement-writers.js';
import { MONTH_END } from '../scenarios/month-end-world.js';
import { bankStatementWorkspace } from '../support/bank-statement-workspace.js';
import { builtWorld } from '../support/built-worlds.js';
import { useTempDir } from '../support/temp-dir.js';
import { runInProcess } from './schedule-harness.js';

const tempDir = useTempDir('ledgerline-late-transit-');

/**
 * The month-end world after 04-30 (payout of 55.00 on 03-31, top-ups of 100.00 on 03-25 and 40.50 on 04-08) with
 * a statement holding only the first top-up's card line: the night of 04-30 (run at 02:30 on 05-01) names the
 * payout (30 days) and the second top-up (22 days), and not the matched top-up.
 */
describe('ledgerline schedule --once over a ledger with a bank account', () => {
  it('alerts the late payout and top-up by source, id, amount and age', async () => {
    const statement = sandboxBankStatement(
      [
        {
          id: 'panel:smm-panel:topup:2026-03-25',
          kind: 'topup',
          amountMicros: 100_000_000n,
          currency: 'USD',
          sentOn: '2026-03-25',
        },
      ],
      {
        account: 'US-OPERATING',
        currency: 'USD',
        from: '2026-03-01',
        to: '2026-04-30',
      },
    );
    const dir = await bankStatementWorkspace(
      tempDir(),
      (await builtWorld(MONTH_END)).ledgerAfter('2026-04-30'),
      'april.csv',
      csvStatementText(statement),
    );
    appendFileSync(
      join(dir, 'ledgerline.yaml'),
      'schedule: { cron: "30 2 * * *", timezone: UTC, post: [] }\nalerts: { command: "cat >> alerts.json" }\n',
    );

    const run = await runInProcess(['schedule', '--once'], {
      cwd: dir,
      env: { HOME: process.env.HOME ?? '' },
      now: () => new Date('2026-05-01T02:30:00.000Z'),
    });

    expect(run.code, run.stderr).toBe(1);
    const alert = JSON.parse(readFileSync(join(dir, 'alerts.json'), 'utf8')) as {
      kind: string;
      asOf: string;
      items: { subject: string; kind: string; message: string }[];
    };
    expect([alert.kind, alert.asOf]).toEqual(['discrepancies', '2026-04-30']);
    expect(alert.items.map((item) => [item.subject, item.kind, item.message])).toEqual([
      [
        'ads-publisher',
        'late_payout',
        'payout payelancer:ads-publisher:payout:2026-03-31 of 55.00 USD, reported 2026-03-31, is late: 30 days without its bank line',
      ],
      [
        'smm-panel',
        'late_topup',
        'top-up panel:smm-panel:topup:2026-04-08 of 40.50 USD, reported 2026-04-08, is late: 22 days without its bank line',
      ],
    ]);
  });
});
