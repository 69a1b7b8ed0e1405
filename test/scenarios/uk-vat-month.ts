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
 * Xero organisation (Xero's UK rates) and a GB QuickBooks company, both in GBP.
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
  const workspace = await createWorkspace(sandbox, name, options);
  appendFileSync(join(workspace.dir, 'mappings', 'default.yaml'), tax.chart);
  appendFileSync(join(workspace.dir, 'mappings', 'quickbooks.yaml'), tax.quickbooksCodes);
  const config = join(workspace.dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8')
      .replace(/^currency: USD$/m, 'currency: GBP')
      .replace(/^( {4}apiKey: \$\{PANEL_KEY\})$/m, '$1\n    currency: USD')
      .replace(/^( {4}region: ).*$/m, '$1UK\n    baseCurrency: GBP')
      .replace(/^( {4}revokeUrl: .*quickbooks.*)$/m, '$1\n    baseCurrency: GBP\n  rates:\n    fixed: { USD: "0.79" }'),
  );
  for (const day of FIVE_DAYS) {
    await setSandboxDay(sandbox, day);
    const run = await workspace.syncDay(day);
    expect([0, 1], run.stderr).toContain(run.code);
  }
  for (const destination of ['xero', 'quickbooks']) {
    const posted = await workspace.run(['post', destination]);
    expect(posted.code, posted.stderr + posted.stdout).toBe(0);
  }
  return { sandbox, xero, quickbooks, workspace };
}
