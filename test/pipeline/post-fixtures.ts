import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadMappings, packageMappingsDir } from '../../src/config/index.js';
import {
  quickbooksMapping,
  quickbooksMappingOf,
  xeroMapping,
  xeroMappingOf,
  type QuickBooksDestinationConfig,
  type XeroDestinationConfig,
} from '../../src/destinations/index.js';
import type { QuickbooksAccount } from '../../src/destinations/quickbooks/quickbooks-payload.js';
import type { XeroAccount } from '../../src/destinations/xero/xero-payload.js';
import {
  createQuickbooksClient,
  type QuickbooksClientOptions,
} from '../../src/destinations/quickbooks/quickbooks-client.js';
import { openTokenStore, type TokenStore } from '../../src/destinations/token-store.js';
import { createXeroClient, type XeroClientOptions } from '../../src/destinations/xero/xero-client.js';
import { createXeroBankDocuments } from '../../src/destinations/xero/xero-bank-documents.js';
import { createQuickbooksBankDocuments } from '../../src/destinations/quickbooks/quickbooks-bank-documents.js';
import { type JournalEntry } from '../../src/rules/index.js';
import type { QuickBooksFakeAccount } from '../../sandbox/quickbooks/entry-checks.js';
import type { RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import type { XeroFakeAccount } from '../../sandbox/xero/journal-checks.js';
import type { RunningXeroFake } from '../../sandbox/xero/fake.js';
import { createFakeClock, type FakeClock } from '../http/fake-clock.js';

/** Noon UTC on 2024-03-01: entries below are dated in February 2024. */
export const START_MS = Date.UTC(2024, 2, 1, 12, 0, 0);

/** Xero accounts of the fake's default chart, by ledger account key. */
export const XERO_TEST_MAPPING: Readonly<Record<string, XeroAccount>> = {
  smm_services_expense: { code: '410', taxType: 'NONE' },
  panel_prepaid: { code: '621', taxType: 'NONE' },
  advertising_expense: { code: '400', taxType: 'NONE' },
  rounding: { code: '860', taxType: 'NONE' },
};

/** QuickBooks accounts of the fake's default chart, by ledger account key. */
export const QUICKBOOKS_TEST_MAPPING: Readonly<Record<string, QuickbooksAccount>> = {
  smm_services_expense: { id: '11', name: 'SMM Services' },
  panel_prepaid: { id: '3', name: 'SMM Panel Balance' },
  advertising_expense: { id: '10', name: 'Advertising' },
  rounding: { id: '14', name: 'Rounding' },
};

/** "je:test:0007": zero-padded so the ids sort as they were made. */
export function entryId(index: number): string {
  return `je:test:${String(index).padStart(4, '0')}`;
}

/**
 * A balanced two-line entry: Dr SMM services, Cr panel balance, 1.00 + index
 * cents (entry 7 → 1.07), so every entry's amount is different and checkable.
 */
export function spendEntry(
  index: number,
  date = '2024-02-15',
  micros: bigint = 1_000_000n + BigInt(index) * 10_000n,
): JournalEntry {
  return {
    id: entryId(index),
    date,
    sourceId: 'smm-panel',
    description: `SMM panel orders ${date} #${index}`,
    eventIds: [],
    lines: [
      { account: 'smm_services_expense', currency: 'USD', amountMicros: micros },
      { account: 'panel_prepaid', currency: 'USD', amountMicros: -micros },
    ],
  };
}

export interface ClientHarness {
  clock: FakeClock;
  tokenStore: TokenStore;
  secrets: string[];
  logs: string[];
}

export function clientHarness(dir: string, clock: FakeClock = createFakeClock(START_MS)): ClientHarness {
  return { clock, tokenStore: openTokenStore(join(dir, 'tokens.json')), secrets: [], logs: [] };
}

export function xeroConfig(server: RunningXeroFake, extra: Partial<XeroDestinationConfig> = {}): XeroDestinationConfig {
  return {
    tenantId: server.fake.tenantId,
    clientId: server.fake.clientId,
    clientSecret: server.fake.clientSecret,
    apiUrl: server.apiUrl,
    tokenUrl: server.tokenUrl,
    ...extra,
  };
}

export function quickbooksConfig(
  server: RunningQuickBooksFake,
  refreshToken: string,
  extra: Partial<QuickBooksDestinationConfig> = {},
): QuickBooksDestinationConfig {
  return {
    realmId: server.fake.realmId,
    clientId: server.fake.clientId,
    clientSecret: server.fake.clientSecret,
    refreshToken,
    environment: 'production',
    apiUrl: server.apiUrl,
    tokenUrl: server.tokenUrl,
    ...extra,
  };
}

export function xeroClientFor(server: RunningXeroFake, harness: ClientHarness, extra: Partial<XeroClientOptions> = {}) {
  return createXeroClient({
    config: xeroConfig(server),
    mapping: XERO_TEST_MAPPING,
    mappingFile: 'xero.yaml',
    status: 'POSTED',
    tokenStore: harness.tokenStore,
    clock: harness.clock,
    redact: (text) => text,
    onSecrets: (values) => harness.secrets.push(...values),
    log: (line) => harness.logs.push(line),
    ...extra,
  });
}

export function quickbooksClientFor(
  server: RunningQuickBooksFake,
  harness: ClientHarness,
  refreshToken: string,
  extra: Partial<QuickbooksClientOptions> = {},
) {
  return createQuickbooksClient({
    config: quickbooksConfig(server, refreshToken),
    mapping: QUICKBOOKS_TEST_MAPPING,
    mappingFile: 'quickbooks.yaml',
    tokenStore: harness.tokenStore,
    clock: harness.clock,
    redact: (text) => text,
    onSecrets: (values) => harness.secrets.push(...values),
    log: (line) => harness.logs.push(line),
    ...extra,
  });
}

/** The clearing accounts as the shipped mappings map them (mappings/xero.yaml, quickbooks.yaml), beside the test mappings. */
export const XERO_BANK_MAPPING = {
  ...XERO_TEST_MAPPING,
  payout_clearing_paypal: { code: '631' },
  topup_clearing: { code: '634' },
};
export const QUICKBOOKS_BANK_MAPPING = {
  ...QUICKBOOKS_TEST_MAPPING,
  payout_clearing_paypal: { id: '5', name: 'Payout Clearing PayPal' },
  topup_clearing: { id: '8', name: 'Top-up Clearing' },
  ad_revenue: { id: '9', name: 'Ad Revenue' },
};

/** Xero's bank-documents client against a fake, as xeroClientFor builds the journals' one. */
export function xeroBankDocumentsFor(server: RunningXeroFake, harness: ClientHarness) {
  return createXeroBankDocuments({
    config: xeroConfig(server),
    mapping: XERO_BANK_MAPPING,
    mappingFile: 'xero.yaml',
    tokenStore: harness.tokenStore,
    clock: harness.clock,
    redact: (text) => text,
    onSecrets: () => undefined,
  });
}

/** QuickBooks' bank-documents client against a fake. */
export function quickbooksBankDocumentsFor(
  server: RunningQuickBooksFake,
  harness: ClientHarness,
  refreshToken: string,
) {
  return createQuickbooksBankDocuments({
    config: quickbooksConfig(server, refreshToken),
    mapping: QUICKBOOKS_BANK_MAPPING,
    mappingFile: 'quickbooks.yaml',
    tokenStore: harness.tokenStore,
    clock: harness.clock,
    redact: (text) => text,
    onSecrets: () => undefined,
  });
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** The shipped mappings (mappings/xero.yaml, quickbooks.yaml) as fake charts, so the CLI runs with its defaults against the fakes. */
export function shippedChartsForFakes(): { xero: XeroFakeAccount[]; quickbooks: QuickBooksFakeAccount[] } {
  const mappings = loadMappings({
    chartPath: join(packageMappingsDir(), 'default.yaml'),
    destinations: [xeroMapping, quickbooksMapping],
  });
  return {
    xero: Object.entries(xeroMappingOf(mappings)?.accounts ?? {}).map(([key, account]) => ({
      code: account.code,
      name: key,
      type: 'CURRENT',
      status: 'ACTIVE',
      taxType: 'NONE',
    })),
    quickbooks: Object.entries(quickbooksMappingOf(mappings)?.accounts ?? {}).map(([key, account]) => ({
      id: account.id,
      name: `${account.name} (${key})`,
      accountType: 'Other Current Asset',
      accountSubType: 'OtherCurrentAssets',
      classification: 'Asset',
      active: true,
    })),
  };
}
