import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { PANEL_SOURCE, type SyncedWorld, type Workspace } from './scenario-harness.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';

interface Row {
  period: string | null;
  account: string;
  net: string;
  netCents: string;
  type: string;
}
interface Report {
  kind: string;
  rows: Row[];
  totals: {
    period: string | null;
    debit: string;
    credit: string;
    debitCents: string;
    creditCents: string;
    result: string;
    resultCents: string;
  }[];
}

/**
 * `balances` over the five days across the March month end, against figures
 * worked out by hand from the world (five-days-across-month-end.ts):
 *   panel_prepaid  79.10 opening − 0.90 (R-2) + 0.14130 (R-2 refund) − 0.04551 (R-3) + 0.04551 (R-3 refund) + 20.00 top-up = 98.3413
 *   ad_revenue     −(30 + 30 + 1) = −61.00; payelancer_receivable 61 − 60 payout = 1.00; payout_clearing_paypal 60.00
 *   advertising_expense 4.25 + 2.75 = 7.00 against payelancer_prepaid −7.00
 *   smm_services_expense 0.90 − 0.14130 + 0.04551 − 0.04551 = 0.7587; topup_clearing −20.00; opening_balance_equity −79.10
 */
describe('ledgerline balances on the month-end world', { timeout: 60_000 }, () => {
  let world: SyncedWorld | undefined;
  let workspace: Workspace;
  const balances = async (args: string[]): Promise<Report> => {
    const run = await workspace.run(['balances', ...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as Report;
  };
  const nets = (report: Report) =>
    Object.fromEntries(report.rows.filter((row) => row.net !== '0.00').map((row) => [row.account, row.net]));

  beforeAll(async () => {
    world = await copiedSyncedWorld(script, 'balances', DAYS);
    ({ workspace } = world);
  }, 60_000);

  afterAll(() => world?.close());

  it('the trial balance after the five days holds the hand-worked figures and balances, exactly and in cents', async () => {
    const report = await balances([]);
    expect(report.kind).toBe('trial-balance');
    expect(nets(report)).toEqual({
      ad_revenue: '-61.00',
      advertising_expense: '7.00',
      opening_balance_equity: '-79.10',
      panel_prepaid: '98.3413',
      payelancer_prepaid: '-7.00',
      payelancer_receivable: '1.00',
      payout_clearing_paypal: '60.00',
      smm_services_expense: '0.7587',
      topup_clearing: '-20.00',
    });
    const [total] = report.totals;
    expect(total!.debit).toBe(total!.credit);
    expect(total!.debitCents).toBe(total!.creditCents);
    expect(report.rows.find((row) => row.account === 'panel_prepaid')!.netCents).toBe('98.34');
  });

  it('as of 03-30, before the payout and the refunds', async () => {
    expect(nets(await balances(['--as-of', '2026-03-30']))).toEqual({
      ad_revenue: '-30.00',
      advertising_expense: '4.25',
      opening_balance_equity: '-79.10',
      panel_prepaid: '78.20',
      payelancer_prepaid: '-4.25',
      payelancer_receivable: '30.00',
      smm_services_expense: '0.90',
    });
  });

  it('the movement of 03-31 to 04-01 per day, with the profit and loss result', async () => {
    const report = await balances(['--from', '2026-03-31', '--to', '2026-04-01', '--by', 'day']);
    expect(report.kind).toBe('movement');
    const smm = report.rows.filter((row) => row.account === 'smm_services_expense').map((row) => [row.period, row.net]);
    expect(smm).toEqual([
      ['2026-03-31', '-0.09579'],
      ['2026-04-01', '-0.04551'],
    ]);
    // 03-31: revenue 30.00 earned, SMM services fell 0.09579 → a result of 30.09579.
    expect(report.totals.map((total) => [total.period, total.result])).toEqual([
      ['2026-03-31', '30.09579'],
      ['2026-04-01', '0.04551'],
    ]);
  });

  it('one source alone, and the usage errors', async () => {
    expect(nets(await balances(['--source', PANEL_SOURCE]))).toEqual({
      opening_balance_equity: '-79.10',
      panel_prepaid: '98.3413',
      smm_services_expense: '0.7587',
      topup_clearing: '-20.00',
    });
    expect((await workspace.run(['balances', '--as-of', '2026-03-31', '--from', '2026-03-01'])).code).toBe(2);
    expect((await workspace.run(['balances', '--from', '2026-04-02', '--to', '2026-03-01'])).code).toBe(2);
    expect((await workspace.run(['balances', '--by', 'week'])).code).toBe(2);
    expect((await workspace.run(['balances', '--source', 'nope'])).code).toBe(2);
  });

  it('prints cents as text with a profit and loss section for a movement', async () => {
    const run = await workspace.run(['balances', '--from', '2026-03-29', '--to', '2026-04-02']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('movement 2026-03-29 to 2026-04-02, in cents as sent to the destinations');
    expect(run.stdout).toMatch(/profit and loss\n(.*\n)*  result \(profit \+, loss −\) +53\.24/);
  });
});
