import type { QuickbooksTaxCodeFact, QuickbooksTaxSetup } from './quickbooks-tax.js';
import { quickbooksTaxCodeReplySchema, quickbooksTaxRateReplySchema, readTaxCodeFacts } from './quickbooks-tax.js';
import {
  quickbooksListNames,
  resolveQuickbooksMapping,
  type QuickbooksCompanyFacts,
  type QuickbooksListEntry,
} from './quickbooks-organisation-checks.js';
import { readBookCloseDate, readListEntries } from './quickbooks-replies.js';
import { QUICKBOOKS_MINOR_VERSION, queryUrl, quoted, read, type QuickbooksSession } from './quickbooks-session.js';
import {
  quickbooksAccountQueryReplySchema,
  quickbooksCompanyInfoReplySchema,
  quickbooksListQueryReplySchema,
  quickbooksPreferencesReplySchema,
} from './quickbooks-wire.js';

/** The tax flows this company's lines are coded with: none without a tax section, and none in a US company. */
export async function taxSetupOf(session: QuickbooksSession): Promise<QuickbooksTaxSetup | undefined> {
  if (session.options.tax === undefined) return undefined;
  session.companyFacts ??= readCompany(session);
  await session.companyFacts;
  return session.taxCodes === undefined ? undefined : session.options.tax;
}

/** The company's preferences, keeping its book close date on the session. */
export async function readPreferences(session: QuickbooksSession) {
  const reply = await read(
    session,
    'reading preferences',
    `${session.company}/preferences?minorversion=${QUICKBOOKS_MINOR_VERSION}`,
    quickbooksPreferencesReplySchema,
  );
  session.bookCloseDate = readBookCloseDate(reply.Preferences);
  return reply.Preferences;
}

/** Active entries of a list with these names: Class and Department by Name, Customer and Vendor by DisplayName. */
async function listEntries(
  session: QuickbooksSession,
  entity: 'Class' | 'Department' | 'Customer' | 'Vendor',
  names: readonly string[],
): Promise<QuickbooksListEntry[]> {
  if (names.length === 0) return [];
  const field = entity === 'Customer' || entity === 'Vendor' ? 'DisplayName' : 'Name';
  const query = `select * from ${entity} where ${field} in (${names.map(quoted).join(', ')}) maxresults 1000`;
  return readListEntries(
    await read(session, `looking up ${entity} by name`, queryUrl(session, query), quickbooksListQueryReplySchema),
    entity,
  );
}

/** What the company is and holds of the mapping (accounts, lists, tax codes): read once per client, for organisation() and the mapping's ids. */
export async function readCompany(session: QuickbooksSession): Promise<QuickbooksCompanyFacts> {
  const { options, company, realmId } = session;
  const info = await read(
    session,
    'reading the company',
    `${company}/companyinfo/${encodeURIComponent(realmId)}?minorversion=${QUICKBOOKS_MINOR_VERSION}`,
    quickbooksCompanyInfoReplySchema,
  );
  const preferences = await readPreferences(session);
  const ids = [...new Set(Object.values(options.mapping).map((account) => account.id))];
  // Inactive (deleted) accounts answer only when the query asks about Active.
  const accountQuery = `select * from Account where Active in (true, false) and Id in (${ids.map(quoted).join(', ')}) maxresults 1000`;
  const accounts =
    ids.length === 0
      ? []
      : ((
          await read(
            session,
            'reading the mapped accounts',
            queryUrl(session, accountQuery),
            quickbooksAccountQueryReplySchema,
          )
        ).QueryResponse.Account ?? []);
  const names = quickbooksListNames(options.mapping);
  const facts: QuickbooksCompanyFacts = {
    name: info.CompanyInfo.CompanyName ?? '',
    country: info.CompanyInfo.Country ?? '',
    homeCurrency: preferences.CurrencyPrefs?.HomeCurrency?.value ?? '',
    bookCloseDate: session.bookCloseDate,
    classTracking: preferences.AccountingInfoPrefs?.ClassTrackingPerTxnLine ?? false,
    locationTracking: preferences.AccountingInfoPrefs?.TrackDepartments ?? false,
    accounts: accounts.map((account) => ({
      id: account.Id,
      name: account.Name,
      active: account.Active ?? true,
      accountType: account.AccountType ?? '',
    })),
    classes: await listEntries(session, 'Class', names.class),
    departments: await listEntries(session, 'Department', names.location),
    customers: await listEntries(session, 'Customer', names.customer),
    vendors: await listEntries(session, 'Vendor', names.vendor),
    ...(options.tax === undefined ? {} : { taxCodes: await readTaxCodes(session) }),
  };
  session.mapping = resolveQuickbooksMapping(options.mapping, facts);
  if (options.tax !== undefined && facts.country !== 'US') session.taxCodes = facts.taxCodes;
  return facts;
}

/** Every tax code of the company, inactive ones included (so `doctor` can say a code is inactive), with its rates. */
async function readTaxCodes(session: QuickbooksSession): Promise<QuickbooksTaxCodeFact[]> {
  const codes = await read(
    session,
    'reading the tax codes',
    queryUrl(session, 'select * from TaxCode where Active in (true, false) maxresults 1000'),
    quickbooksTaxCodeReplySchema,
  );
  const rates = await read(
    session,
    'reading the tax rates',
    queryUrl(session, 'select * from TaxRate where Active in (true, false) maxresults 1000'),
    quickbooksTaxRateReplySchema,
  );
  return readTaxCodeFacts(codes, rates);
}
