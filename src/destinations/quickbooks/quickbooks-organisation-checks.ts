import type { EvidenceSetting } from '../evidence-setting.js';
import type { AccountMapping } from '../delivery/account-mapping.js';
import type { OrganisationExpectations } from '../destination-client.js';
import { lockDateCheck, mappedAccountChecks, weighedByUse, type OrganisationCheck } from '../organisation-check.js';
import { quickbooksItemName, type QuickbooksAccount, type QuickbooksListItem } from './quickbooks-payload.js';
import { quickbooksTaxChecks, type QuickbooksTaxCodeFact, type QuickbooksTaxSetup } from './quickbooks-tax.js';

/** What ledgerline reads of a QuickBooks company before posting (CompanyInfo, Preferences, and queries of the lists the mapping names). */
export interface QuickbooksCompanyFacts {
  name: string;
  /** CompanyInfo.Country: "US", "CA", "GB", … */
  country: string;
  homeCurrency: string;
  bookCloseDate: string | undefined;
  /** Preferences AccountingInfoPrefs: class tracking per line, and location (department) tracking. */
  classTracking: boolean;
  locationTracking: boolean;
  /** The mapped accounts QuickBooks holds, inactive ones included. */
  accounts: readonly { id: string; name: string; active: boolean; accountType: string }[];
  /** Active list entries with the names the mapping uses. */
  classes: readonly QuickbooksListEntry[];
  departments: readonly QuickbooksListEntry[];
  customers: readonly QuickbooksListEntry[];
  vendors: readonly QuickbooksListEntry[];
  /** The company's tax codes, read only for a mapping with a tax section (issue 54). */
  taxCodes?: readonly QuickbooksTaxCodeFact[] | undefined;
}

export interface QuickbooksListEntry {
  id: string;
  name: string;
}

interface QuickbooksExpectations extends OrganisationExpectations {
  mappingFile: string;
  accounts: AccountMapping<QuickbooksAccount>;
  /** evidence in the QuickBooks section: with attach, each posted journal entry carries its evidence file. */
  evidence?: EvidenceSetting | undefined;
  /** quickbooks.yaml's tax codes, checked against the company's TaxCode list before any post. */
  tax?: QuickbooksTaxSetup | undefined;
}

/** The QuickBooks AccountType values whose journal lines must name a Customer or a Vendor: which, and how. */
const NAMED_PARTIES = new Map<string, { field: 'customer' | 'vendor'; named: string; ordinary: string }>([
  ['Accounts Receivable', { field: 'customer', named: '"Payelancer", as in Sales → Customers', ordinary: 'asset' }],
  ['Accounts Payable', { field: 'vendor', named: '"…", as in Expenses → Vendors', ordinary: 'liability' }],
]);

/** The lists a mapped account may name an item of, in the order its checks say them. */
const LIST_FIELDS = ['class', 'location', 'customer', 'vendor'] as const;
type ListField = (typeof LIST_FIELDS)[number];

const LISTS: Readonly<
  Record<ListField, { facts: 'classes' | 'departments' | 'customers' | 'vendors'; word: string; where: string }>
> = {
  class: { facts: 'classes', word: 'class', where: 'Settings → All lists → Classes' },
  location: { facts: 'departments', word: 'location', where: 'Settings → All lists → Locations' },
  customer: { facts: 'customers', word: 'customer', where: 'Sales → Customers' },
  vendor: { facts: 'vendors', word: 'vendor', where: 'Expenses → Vendors' },
};

/** The names each list must be queried for: every class, location, customer and vendor the mapping names. */
export function quickbooksListNames(accounts: AccountMapping<QuickbooksAccount>): Record<ListField, string[]> {
  const namesIn = (field: ListField): string[] => {
    const named = Object.values(accounts).flatMap((account) => {
      const item = account[field];
      return item === undefined ? [] : [quickbooksItemName(item)];
    });
    return [...new Set(named)];
  };
  return Object.fromEntries(LIST_FIELDS.map((field) => [field, namesIn(field)])) as Record<ListField, string[]>;
}

/**
 * Every check of a QuickBooks company against the configuration: currency,
 * country, lock date, then each mapped account (exists, is active, names a
 * customer on Accounts Receivable and a vendor on Accounts Payable) and each
 * class, location, customer and vendor it names.
 *
 * Example: `payelancer_receivable: { id: "2", name: "Payelancer Receivable" }`
 * where account 2 is of type Accounts Receivable and no customer is mapped
 * gives { kind: 'name', status: 'fail', detail: 'is an Accounts Receivable
 * account: QuickBooks needs a customer on each of its journal lines', … }.
 */
export function checkQuickbooksCompany(
  facts: QuickbooksCompanyFacts,
  expected: QuickbooksExpectations,
): OrganisationCheck[] {
  const checks: OrganisationCheck[] = [
    currencyCheck(facts, expected),
    { kind: 'region', status: 'pass', subject: 'country', detail: `company "${facts.name}" is in ${facts.country}` },
    lockDateCheck(
      'QuickBooks',
      facts.bookCloseDate,
      expected.unpostedDates,
      'ask your accountant to move the closing date in QuickBooks (Settings → Account and settings → Advanced → Accounting), or leave those entries held back',
    ),
    ...mappedAccountChecks(expected.accounts, (key, mapped) =>
      checksOfMappedAccount(facts, key, mapped, expected.mappingFile),
    ),
  ];
  if (expected.evidence === 'attach') {
    checks.push({
      kind: 'evidence',
      status: 'pass',
      subject: 'evidence attached to each posted journal entry',
      detail:
        'its manifest hash in the PrivateNote, the file an Attachable linked to the entry; the scope com.intuit.quickbooks.accounting covers it',
    });
  }
  if (expected.tax !== undefined) checks.push(...quickbooksTaxChecks(facts, expected.tax, expected.mappingFile));
  return weighedByUse(checks, expected, 'QuickBooks');
}

/** One mapped account: it exists and is active, names a customer or vendor where its type needs one, and each class, location, customer and vendor it names. */
function checksOfMappedAccount(
  facts: QuickbooksCompanyFacts,
  key: string,
  mapped: QuickbooksAccount,
  mappingFile: string,
): OrganisationCheck[] {
  const where = { file: mappingFile, path: `accounts.${key}` };
  const subject = `account ${mapped.id} "${mapped.name}" (${key})`;
  const account = facts.accounts.find((candidate) => candidate.id === mapped.id);
  const fail = (detail: string, fix: string): OrganisationCheck[] => [
    { kind: 'account', status: 'fail', subject, detail, fix, where },
  ];
  if (account === undefined)
    return fail(
      'does not exist in QuickBooks',
      `create the account "${mapped.name}" in QuickBooks (Accounting → Chart of accounts → New) ` +
        `and put its Id (it shows in the account's address) in ${where.path} of ${where.file}, or the ` +
        `Id of an existing account`,
    );
  if (!account.active)
    return fail(
      `"${account.name}" is inactive (deleted) in QuickBooks`,
      `make it active again in QuickBooks (Chart of accounts → filter Inactive → Make active), or map this ledger account to an active one`,
    );
  const checks: OrganisationCheck[] = [
    { kind: 'account', status: 'pass', subject, detail: `"${account.name}", active, ${account.accountType}` },
  ];
  checks.push(...entityChecks(account.accountType, mapped, subject, where));
  for (const field of LIST_FIELDS) {
    const item = mapped[field];
    if (item !== undefined)
      checks.push(listCheck(field, item, facts, subject, { ...where, path: `${where.path}.${field}` }));
  }
  return checks;
}

/**
 * The mapping with every class, location, customer and vendor as
 * `{ id, name }`, ids taken from the company by name. An item the company
 * does not have is left as written (checkQuickbooksCompany reports it).
 */
export function resolveQuickbooksMapping(
  accounts: AccountMapping<QuickbooksAccount>,
  facts: QuickbooksCompanyFacts,
): AccountMapping<QuickbooksAccount> {
  const resolve = (field: ListField, item: QuickbooksListItem | undefined): QuickbooksListItem | undefined => {
    if (item === undefined || typeof item !== 'string') return item;
    const found = facts[LISTS[field].facts].find((entry) => entry.name === item);
    return found === undefined ? item : { id: found.id, name: found.name };
  };
  return Object.fromEntries(
    Object.entries(accounts).map(([key, account]) => {
      const resolved: QuickbooksAccount = { id: account.id, name: account.name };
      for (const field of LIST_FIELDS) {
        const item = resolve(field, account[field]);
        if (item !== undefined) resolved[field] = item;
      }
      return [key, resolved];
    }),
  );
}

function currencyCheck(facts: QuickbooksCompanyFacts, expected: QuickbooksExpectations): OrganisationCheck {
  const subject = 'home currency';
  if (facts.homeCurrency === expected.currency)
    return { kind: 'currency', status: 'pass', subject, detail: `${facts.homeCurrency}, as the ledger` };
  return {
    kind: 'currency',
    status: 'fail',
    subject,
    detail: `of company "${facts.name}" is ${facts.homeCurrency}, but the ledger keeps ${expected.currency}`,
    fix: `connect the company whose home currency is ${expected.currency} (check realmId), or correct currency in ledgerline.yaml`,
    where: { file: expected.configFile, path: 'currency' },
  };
}

function entityChecks(
  accountType: string,
  mapped: QuickbooksAccount,
  subject: string,
  where: { file: string; path: string },
): OrganisationCheck[] {
  const party = NAMED_PARTIES.get(accountType);
  if (party === undefined || mapped[party.field] !== undefined) return [];
  return [
    {
      kind: 'name',
      status: 'fail',
      subject,
      detail: `is an ${accountType} account: QuickBooks needs a ${party.field} on each of its journal lines`,
      fix: `name the ${party.field} in ${where.path} (${party.field}: ${party.named}), or map this ledger account to an ordinary ${party.ordinary} account`,
      where: { ...where, path: `${where.path}.${party.field}` },
    },
  ];
}

function listCheck(
  field: ListField,
  item: QuickbooksListItem,
  facts: QuickbooksCompanyFacts,
  account: string,
  where: { file: string; path: string },
): OrganisationCheck {
  const list = LISTS[field];
  const name = quickbooksItemName(item);
  const subject = `${list.word} "${name}" of ${account}`;
  const kind = field === 'class' ? 'class' : field === 'location' ? 'location' : 'name';
  const fail = (detail: string, fix: string): OrganisationCheck => ({
    kind,
    status: 'fail',
    subject,
    detail,
    fix,
    where,
  });
  if (field === 'class' && !facts.classTracking)
    return fail(
      'cannot be used: class tracking is off in QuickBooks',
      'turn on class tracking (Settings → Account and settings → Advanced → Categories), or remove the class',
    );
  if (field === 'location' && !facts.locationTracking)
    return fail(
      'cannot be used: location tracking is off in QuickBooks',
      'turn on location tracking (Settings → Account and settings → Advanced → Categories), or remove the location',
    );
  const found = facts[list.facts].find((entry) => entry.name === name);
  if (found === undefined)
    return fail(
      `is not an active ${list.word} in QuickBooks`,
      `add it in QuickBooks (${list.where}) or correct the name in ${where.path}`,
    );
  if (typeof item !== 'string' && item.id !== found.id)
    return fail(
      `has id ${found.id} in QuickBooks, but the mapping says ${item.id}`,
      `write its name alone in ${where.path}, or correct the id`,
    );
  return { kind, status: 'pass', subject, detail: `exists (id ${found.id})` };
}
