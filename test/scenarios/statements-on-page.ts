import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Workspace } from './scenario-harness.js';

/**
 * The report's and the console's statements read off the page, and what they must be from `balances --json`
 * of the same window: the one check that the page and the CLI cannot drift.
 */

export interface BalancesJson {
  rows: { account: string; type: string; currency: string; netCents: string }[];
  totals: { currency: string; resultCents: string }[];
}

export async function balancesOf(workspace: Workspace, window: readonly string[]): Promise<BalancesJson> {
  const run = await workspace.run(['balances', ...window, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as BalancesJson;
}

/** Decimal text as the page prints it: thousands grouped, a negative in brackets ("-1234.50" → "(1,234.50)"). */
export function shown(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [whole, fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const text = `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
  return negative ? `(${text})` : text;
}

const negated = (decimal: string) =>
  decimal.startsWith('-') ? decimal.slice(1) : decimal === '0.00' ? decimal : `-${decimal}`;

/** The page's statements as [key, amount] rows, read from its tables (one currency). */
export async function pageStatements(tab: Page) {
  const rows = (selector: string) =>
    tab.$$eval(selector, (found) =>
      found.map((row) => [
        row.getAttribute('data-account'),
        ...[...row.querySelectorAll('td')].map((cell) => cell.textContent),
      ]),
    );
  const total = (table: string, name: string) =>
    tab.$eval(`${table} tr[data-total="${name}"] td`, (cell) => cell.textContent);
  return {
    trialBalance: await rows('table.trial-balance tbody tr'),
    profitAndLoss: {
      revenue: await rows('table.profit-and-loss tr[data-group="revenue"]'),
      expenses: await rows('table.profit-and-loss tr[data-group="expenses"]'),
      netResult: await total('table.profit-and-loss', 'net-result'),
    },
    balanceSheet: {
      assets: await rows('table.balance-sheet tr[data-group="assets"]'),
      liabilities: await rows('table.balance-sheet tr[data-group="liabilities"]'),
      equity: await rows('table.balance-sheet tr[data-group="equity"]'),
      assetTotal: await total('table.balance-sheet', 'assets'),
      liabilitiesAndEquity: await total('table.balance-sheet', 'liabilities-and-equity'),
    },
  };
}

/**
 * What the page must show, from `balances --json` alone: the trial balance at the end (debit or credit
 * column), the window's revenue and expenses with natural signs and its result, the balance sheet at the end
 * with the window's result in equity (this window starts at the first entry, so there is no earlier result).
 */
export function expectedStatements(window: BalancesJson, atEnd: BalancesJson) {
  const natural = (row: BalancesJson['rows'][number]) =>
    ['revenue', 'liability', 'equity'].includes(row.type) ? negated(row.netCents) : row.netCents;
  const of = (report: BalancesJson, types: readonly string[]) =>
    report.rows.filter((row) => types.includes(row.type)).map((row) => [row.account, shown(natural(row))]);
  const sum = (rows: readonly (readonly string[])[]) =>
    rows.reduce(
      (cents, row) => cents + BigInt(row[1]!.replace(/[(),.]/g, '')) * (row[1]!.startsWith('(') ? -1n : 1n),
      0n,
    );
  const cents = (value: bigint) =>
    shown(
      `${value < 0n ? '-' : ''}${(value < 0n ? -value : value) / 100n}.${String((value < 0n ? -value : value) % 100n).padStart(2, '0')}`,
    );
  const result = shown(window.totals[0]!.resultCents);
  const assets = of(atEnd, ['asset', 'unknown']);
  return {
    trialBalance: atEnd.rows.map((row) => [
      row.account,
      row.netCents.startsWith('-') || row.netCents === '0.00' ? '' : shown(row.netCents),
      row.netCents.startsWith('-') ? shown(negated(row.netCents)) : '',
    ]),
    profitAndLoss: { revenue: of(window, ['revenue']), expenses: of(window, ['expense']), netResult: result },
    balanceSheet: {
      assets,
      liabilities: of(atEnd, ['liability']),
      equity: [...of(atEnd, ['equity']), ['result-for-period', result]],
      assetTotal: cents(sum(assets)),
      liabilitiesAndEquity: cents(sum(assets)),
    },
  };
}
