import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { SANDBOX_DESTINATION_CREDENTIALS, startSandbox } from '../../sandbox/index.js';
import {
  createQuickBooksFake,
  QUICKBOOKS_DEFAULT_ACCOUNTS,
  type QuickBooksFake,
} from '../../sandbox/quickbooks/fake.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { createXeroFake, XERO_DEFAULT_ACCOUNTS, XERO_UK_TAX_RATES, type XeroFake } from '../../sandbox/xero/fake.js';
import { builtWorld } from '../support/built-worlds.js';
import { FIVE_DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { createWorkspace, setSandboxDay, type Workspace, type WorkspaceOptions } from './scenario-harness.js';

/** The five days across the March month end in GBP books, synced and posted to a UK Xero organisation and a UK QuickBooks company. */
export interface UkVatMonth {
  sandbox: RunningSandbox;
  xero: XeroFake;
  quickbooks: QuickBooksFake;
  workspace: Workspace;
}

/**
 * For a describe block: the UK month `name` built once before its tests and taken down after them (the sandbox closed,
 * the workspace removed). Its parts are read in the tests, once built. `options.ledger`: a PostgreSQL ledger instead of init's SQLite file.
 */
export function useUkVatMonth(
  name: string,
  tax: { chart: string; quickbooksCodes: string },
  options: WorkspaceOptions = {},
): UkVatMonth {
  let month: UkVatMonth | undefined;
  beforeAll(async () => {
    month = await ukVatMonth(name, tax, options);
  }, 180_000);
  afterAll(async () => {
    await month?.sandbox.close();
    month?.workspace.remove();
  });
  const built = (): UkVatMonth => {
    if (month === undefined) throw new Error(`the UK month ${name} is read before it is built: read it in a test`);
    return month;
  };
  return {
    get sandbox() {
      return built().sandbox;
    },
    get xero() {
      return built().xero;
    },
    get quickbooks() {
      return built().quickbooks;
    },
    get workspace() {
      return built().workspace;
    },
  };
}

/**
 * The sandbox's five days across the March month end in a GBP ledger whose panel charges in USD (converted at a
 * fixed 0.79), with the chart's `tax:` and QuickBooks' `taxCodes:` given, each day synced and then posted to a GB
 * Xero organisation (Xero's UK rates) and a GB QuickBooks company, both in GBP. On SQLite the nights are a world
 * synced once per run (built-worlds.ts) for every file of the same tax: five files read three of them.
 */
async function ukVatMonth(
  name: string,
  tax: { chart: string; quickbooksCodes: string },
  options: WorkspaceOptions,
): Promise<UkVatMonth> {
  const xero = createXeroFake({
    ...SANDBOX_DESTINATION_CREDENTIALS.xero,
    accounts: XERO_DEFAULT_ACCOUNTS,
    countryCode: 'GB',
    baseCurrency: 'GBP',
    taxRates: XERO_UK_TAX_RATES,
  });
  const quickbooks = createQuickBooksFake({
    ...SANDBOX_DESTINATION_CREDENTIALS.quickbooks,
    accounts: QUICKBOOKS_DEFAULT_ACCOUNTS,
    country: 'GB',
    homeCurrency: 'GBP',
    multiCurrency: true,
  });
  const sandbox = await startSandbox({ port: 0, script, extraMounts: [xero, quickbooks] });
  const ledgerUrl = await options.ledger?.();
  const workspace =
    ledgerUrl === undefined ? await syncedOnce(sandbox, name, tax) : await syncedHere(sandbox, name, tax, ledgerUrl);
  for (const destination of ['xero', 'quickbooks']) {
    const posted = await workspace.run(['post', destination]);
    expect(posted.code, posted.stderr + posted.stdout).toBe(0);
  }
  return { sandbox, xero, quickbooks, workspace };
}

/** A copy of the SQLite world of `tax`'s five nights, synced by the first file of the run that asks. */
async function syncedOnce(
  sandbox: RunningSandbox,
  name: string,
  tax: { chart: string; quickbooksCodes: string },
): Promise<Workspace> {
  const world = await builtWorld({
    name: 'uk-vat-month',
    script,
    days: FIVE_DAYS,
    configure: { key: tax, apply: (dir) => inGbpWithTax(dir, tax) },
  });
  for (const night of world.nights) expect([0, 1], `${night.day}: ${night.stderr}`).toContain(night.code);
  await setSandboxDay(sandbox, FIVE_DAYS.at(-1)!);
  return world.copyFor(sandbox, name);
}

/** The five nights synced into the PostgreSQL ledger at `ledgerUrl`. */
async function syncedHere(
  sandbox: RunningSandbox,
  name: string,
  tax: { chart: string; quickbooksCodes: string },
  ledgerUrl: string,
): Promise<Workspace> {
  const workspace = await createWorkspace(sandbox, name, { ledger: async () => ledgerUrl });
  inGbpWithTax(workspace.dir, tax);
  for (const day of FIVE_DAYS) {
    await setSandboxDay(sandbox, day);
    const run = await workspace.syncDay(day);
    expect([0, 1], run.stderr).toContain(run.code);
  }
  return workspace;
}

/** The configuration `init` wrote made a GBP ledger with a USD panel at 0.79, and the chart's and QuickBooks' tax. */
function inGbpWithTax(dir: string, tax: { chart: string; quickbooksCodes: string }): void {
  appendFileSync(join(dir, 'mappings', 'default.yaml'), tax.chart);
  appendFileSync(join(dir, 'mappings', 'quickbooks.yaml'), tax.quickbooksCodes);
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8')
      .replace(/^currency: USD$/m, 'currency: GBP')
      .replace(/^( {4}apiKey: \$\{PANEL_KEY\})$/m, '$1\n    currency: USD')
      .replace(/^( {4}region: ).*$/m, '$1UK\n    baseCurrency: GBP')
      .replace(/^( {4}revokeUrl: .*quickbooks.*)$/m, '$1\n    baseCurrency: GBP\n  rates:\n    fixed: { USD: "0.79" }'),
  );
}
