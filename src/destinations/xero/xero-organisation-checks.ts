import type { BankDocumentsSetting } from '../bank-document-client.js';
import type { EvidenceSetting } from '../evidence-setting.js';
import { xeroScopeFor, type XeroScopeFamily } from './xero-scopes.js';
import type { XeroRegion } from './xero-config.js';
import { lockDateCheck, mappedAccountChecks, weighedByUse, type OrganisationCheck } from '../organisation-check.js';
import { XERO_NO_TAX_TYPE, type XeroAccount } from './xero-payload.js';
import type { XeroTaxSetup } from './xero-tax.js';
import type { OrganisationExpectations } from '../destination-client.js';
import { xeroTaxFlowChecks } from './xero-tax-checks.js';
import { taxReversalChecks } from '../tax-reversal-checks.js';
import { VAT_INPUT_ACCOUNT, VAT_OUTPUT_ACCOUNT } from '../../rules/index.js';

/** What ledgerline reads of a Xero organisation before posting (GET Organisation, Accounts, TaxRates, TrackingCategories). */
export interface XeroOrganisationFacts {
  name: string;
  baseCurrency: string;
  /** ISO 3166 alpha-2, as Xero's CountryCode: "US", "GB", "NZ", "AU". */
  countryCode: string;
  periodLockDate: string | undefined;
  endOfYearLockDate: string | undefined;
  accounts: readonly XeroOrganisationAccount[];
  taxRates: readonly XeroOrganisationTaxRate[];
  trackingCategories: readonly XeroTrackingCategory[];
}

export const XERO_ACCOUNT_CLASSES = ['ASSET', 'EQUITY', 'EXPENSE', 'LIABILITY', 'REVENUE'] as const;
export type XeroAccountClass = (typeof XERO_ACCOUNT_CLASSES)[number];

interface XeroOrganisationAccount {
  code: string;
  name: string;
  /** ACTIVE or ARCHIVED (DELETED accounts are not listed). */
  status: string;
  accountClass: XeroAccountClass | undefined;
  /** Xero's SystemAccount: DEBTORS, CREDITORS, ROUNDING, …; undefined for an ordinary account. */
  systemAccount: string | undefined;
}

interface XeroOrganisationTaxRate {
  taxType: string;
  name: string;
  status: string;
  /** EffectiveRate in percent as decimal text ("20", "12.5"; a reverse charge's "0"), when Xero gave one. */
  effectiveRate?: string | undefined;
  /** CanApplyToAssets … CanApplyToRevenue; a class Xero does not mention counts as allowed. */
  canApplyTo: Partial<Record<XeroAccountClass, boolean>>;
}

interface XeroTrackingCategory {
  name: string;
  status: string;
  options: readonly { name: string; status: string }[];
}

/** What the configuration and mappings/xero.yaml expect of the organisation. */
interface XeroExpectations extends OrganisationExpectations {
  region: XeroRegion | undefined;
  mappingFile: string;
  accounts: Readonly<Record<string, XeroAccount>>;
  /** transit in the Xero section: the bank account its bank transactions go into, when ledgerline creates them. */
  transit?: BankDocumentsSetting | undefined;
  scopes?: XeroScopeFamily | undefined;
  /** evidence in the Xero section: with attach, each posted journal carries its evidence file. */
  evidence?: EvidenceSetting | undefined;
  /** xero.yaml's `tax:` flows: each rule's code checked against the tax table before any post (issue 54). */
  tax?: XeroTaxSetup | undefined;
}

/** destinations.xero.region → the organisation's CountryCode. */
const XERO_REGION_COUNTRY: Readonly<Record<XeroRegion, string>> = { US: 'US', UK: 'GB', NZ: 'NZ', AU: 'AU' };

/**
 * System accounts and manual journals (Xero help, "Locked and system accounts
 * in your chart of accounts", help.xero.com/uk/Chart-LockedSystem): Accounts
 * Payable and Receivable, Bank Revaluation, Tracking Transfers and Unpaid
 * Expense Claims allow none; Wages Payable needs a secondary account to
 * journal to (help.xero.com/nz/Q_Accruals_ARAP). Historical Adjustments,
 * Realised Currency Gains and Retained Earnings allow them. For the others
 * (GST, Rounding, Unrealised Currency Gains) no source was found: a warning.
 */
const SYSTEM_ACCOUNTS_REFUSING_JOURNALS: ReadonlySet<string> = new Set([
  'DEBTORS',
  'CREDITORS',
  'BANKCURRENCYGAIN',
  'TRACKINGTRANSFERS',
  'UNPAIDEXPCLM',
  'WAGEPAYABLES',
]);
const SYSTEM_ACCOUNTS_TAKING_JOURNALS: ReadonlySet<string> = new Set([
  'HISTORICAL',
  'REALISEDCURRENCYGAIN',
  'RETAINEDEARNINGS',
]);

/**
 * Every check of a Xero organisation against the configuration, in checklist
 * order: currency, region, lock date, then each mapped account (exists, is
 * active, takes manual journals), its tax type and its tracking.
 *
 * Example: `rounding: { code: "860" }` where 860 is archived gives
 * { kind: 'account', status: 'fail', subject: 'account 860 (rounding)',
 * detail: 'is archived in Xero', fix: 'restore account 860 in Xero …' }.
 */
export function checkXeroOrganisation(facts: XeroOrganisationFacts, expected: XeroExpectations): OrganisationCheck[] {
  const checks: OrganisationCheck[] = [
    currencyCheck(facts, expected),
    regionCheck(facts, expected),
    lockDateCheck(
      'Xero',
      xeroLockDate(facts),
      expected.unpostedDates,
      'ask your accountant to move the lock date in Xero (Settings → Advanced → Financial settings), or leave those entries held back',
    ),
    ...mappedAccountChecks(expected.accounts, (key, mapped) => {
      const where = { file: expected.mappingFile, path: `accounts.${key}` };
      const subject = `account ${mapped.code} (${key})`;
      const account = facts.accounts.find((candidate) => candidate.code === mapped.code);
      const found =
        isVatAccountKey(key) && account?.systemAccount === 'GST'
          ? vatAccountCheck(subject, account.name)
          : accountCheck(account, mapped, subject, where);
      if (account === undefined) return [found];
      return [
        found,
        ...taxCheck(account, mapped, facts, subject, { ...where, path: `${where.path}.taxType` }),
        ...trackingChecks(mapped, facts, subject, { ...where, path: `${where.path}.tracking` }),
      ];
    }),
  ];
  if (expected.tax !== undefined)
    checks.push(
      ...xeroTaxFlowChecks(facts, expected.tax, expected),
      ...taxReversalChecks(expected.tax, expected.mappingFile),
    );
  checks.push(...bankDocumentsChecks(facts, expected));
  if (expected.evidence === 'attach') {
    const scope = xeroScopeFor('attaching evidence', expected.scopes ?? 'granular');
    checks.push({
      kind: 'evidence',
      status: 'pass',
      subject: 'evidence attached to each posted journal',
      detail:
        `its manifest hash in the Narration; the connection needs the scope ${scope} (run \`ledgerline ` +
        `connect xero\` again if it was connected without it)`,
    });
  }
  return weighedByUse(checks, expected, 'Xero');
}

/** The organisation's lock date: the later of the period and end-of-year locks; undefined when neither is set. */
export function xeroLockDate(
  locks: Pick<XeroOrganisationFacts, 'periodLockDate' | 'endOfYearLockDate'>,
): string | undefined {
  return [locks.periodLockDate, locks.endOfYearLockDate]
    .filter((date) => date !== undefined)
    .sort()
    .at(-1);
}

/**
 * With transit.createBankDocuments on: the bank account the bank transactions go into is in the chart and active, and the
 * line names the scope the connection needs for them (accounting.banktransactions for apps since March 2026).
 */
function bankDocumentsChecks(facts: XeroOrganisationFacts, expected: XeroExpectations): OrganisationCheck[] {
  const transit = expected.transit;
  if (transit?.createBankDocuments !== true) return [];
  const scope = xeroScopeFor('creating a bank transaction', expected.scopes ?? 'granular');
  const account = facts.accounts.find((candidate) => candidate.code === transit.bankAccount);
  if (account?.status === 'ACTIVE') {
    return [
      {
        kind: 'bank-documents',
        status: 'pass',
        subject: `bank transactions into ${account.code} (${account.name})`,
        detail: `one per payout and top-up; the connection needs the scope ${scope}`,
      },
    ];
  }
  return [
    {
      kind: 'bank-documents',
      status: 'fail',
      subject: `bank account ${transit.bankAccount} (transit.bankAccount)`,
      detail: account === undefined ? 'is not in the chart of accounts' : `is ${account.status.toLowerCase()} in Xero`,
      fix:
        `set destinations.xero.transit.bankAccount to the code of the active bank account payouts ` +
        `arrive in, then run \`ledgerline doctor\` again (the connection needs the scope ${scope})`,
      where: { file: expected.configFile, path: 'destinations.xero.transit.bankAccount' },
    },
  ];
}

function currencyCheck(facts: XeroOrganisationFacts, expected: XeroExpectations): OrganisationCheck {
  const subject = 'base currency';
  if (facts.baseCurrency === expected.currency)
    return { kind: 'currency', status: 'pass', subject, detail: `${facts.baseCurrency}, as the ledger` };
  return {
    kind: 'currency',
    status: 'fail',
    subject,
    detail: `of organisation "${facts.name}" is ${facts.baseCurrency}, but the ledger keeps ${expected.currency}`,
    fix:
      `Xero books manual journals in the base currency, so ${expected.currency} amounts would be ` +
      `read as ${facts.baseCurrency}; connect the organisation whose base currency is ${expected.currency} ` +
      `(check tenantId), or correct currency in ledgerline.yaml`,
    where: { file: expected.configFile, path: 'currency' },
  };
}

function regionCheck(facts: XeroOrganisationFacts, expected: XeroExpectations): OrganisationCheck {
  const subject = 'region';
  if (expected.region === undefined) {
    return {
      kind: 'region',
      status: 'pass',
      subject,
      detail: `organisation "${facts.name}" is in ${facts.countryCode} (destinations.xero.region is not set)`,
    };
  }
  const country = XERO_REGION_COUNTRY[expected.region];
  if (facts.countryCode === country)
    return {
      kind: 'region',
      status: 'pass',
      subject,
      detail: `${expected.region}: organisation "${facts.name}" is in ${facts.countryCode}`,
    };
  return {
    kind: 'region',
    status: 'fail',
    subject,
    detail: `is set to ${expected.region}, but organisation "${facts.name}" is in ${facts.countryCode}`,
    fix: `check that tenantId names the organisation you mean; if it does, set destinations.xero.region to its country`,
    where: { file: expected.configFile, path: 'destinations.xero.region' },
  };
}

/** The ledger's VAT accounts map to Xero's VAT (GST) system account: nothing is posted to it, its balance is compared (issue 70). */
function isVatAccountKey(key: string): boolean {
  return key === VAT_OUTPUT_ACCOUNT || key === VAT_INPUT_ACCOUNT;
}

function vatAccountCheck(subject: string, name: string): OrganisationCheck {
  return {
    kind: 'account',
    status: 'pass',
    subject,
    detail: `"${name}", where Xero books the VAT it splits out of coded lines (never posted to; compared by reconcile --with)`,
  };
}

function accountCheck(
  account: XeroOrganisationAccount | undefined,
  mapped: XeroAccount,
  subject: string,
  where: { file: string; path: string },
): OrganisationCheck {
  const refuse = (status: 'fail' | 'warn', detail: string, fix: string): OrganisationCheck => ({
    kind: 'account',
    status,
    subject,
    detail,
    fix,
    where,
  });
  if (account === undefined)
    return refuse(
      'fail',
      'does not exist in Xero',
      `create account ${mapped.code} in Xero (Accounting → Chart of accounts → Add Account, code ` +
        `${mapped.code}), or put the code of an existing account in ${where.path} of ${where.file}`,
    );
  const named = `"${account.name}"`;
  if (account.status !== 'ACTIVE')
    return refuse(
      'fail',
      `${named} is ${account.status.toLowerCase()} in Xero`,
      `restore account ${mapped.code} in Xero (Chart of accounts → Archive tab → Restore), or map this ledger account to an active one`,
    );
  const system = account.systemAccount;
  if (system !== undefined && SYSTEM_ACCOUNTS_REFUSING_JOURNALS.has(system))
    return refuse(
      'fail',
      `${named} is a Xero system account (${system}), which does not take manual journals`,
      `add an ordinary account of the same type for ledgerline (e.g. "${account.name} 2") and map this ledger account to it`,
    );
  if (system !== undefined && !SYSTEM_ACCOUNTS_TAKING_JOURNALS.has(system))
    return refuse(
      'warn',
      `${named} is a Xero system account (${system}); some organisations refuse manual journals on it`,
      'if Xero refuses journals on it, map this ledger account to an ordinary account instead',
    );
  return {
    kind: 'account',
    status: 'pass',
    subject,
    detail: `${named}, active${system === undefined ? '' : `, system account ${system} (takes manual journals)`}`,
  };
}

function taxCheck(
  account: XeroOrganisationAccount,
  mapped: XeroAccount,
  facts: XeroOrganisationFacts,
  subject: string,
  where: { file: string; path: string },
): OrganisationCheck[] {
  const taxType = mapped.taxType ?? XERO_NO_TAX_TYPE;
  if (taxType === XERO_NO_TAX_TYPE) return [];
  const rate = facts.taxRates.find((candidate) => candidate.taxType === taxType);
  const fail = (detail: string, fix: string): OrganisationCheck[] => [
    { kind: 'tax', status: 'fail', subject, detail, fix, where },
  ];
  if (rate === undefined) {
    return fail(
      `has tax type ${taxType}, which this organisation does not have`,
      `pick a tax rate that exists in Xero (Settings → Tax rates) and put its tax type in ${where.path}, or NONE for no tax`,
    );
  }
  if (rate.status !== 'ACTIVE') {
    return fail(
      `has tax type ${taxType} ("${rate.name}"), which is ${rate.status.toLowerCase()} in Xero`,
      `use an active tax rate in ${where.path}, or NONE for no tax`,
    );
  }
  const accountClass = account.accountClass;
  if (accountClass !== undefined && rate.canApplyTo[accountClass] === false) {
    const classWord = accountClass.toLowerCase();
    return fail(
      `is a ${classWord} account, and tax rate "${rate.name}" (${taxType}) cannot be used on ${classWord} accounts`,
      `choose a tax rate meant for ${classWord} accounts in ${where.path}, or NONE for no tax`,
    );
  }
  return [{ kind: 'tax', status: 'pass', subject, detail: `tax type ${taxType} ("${rate.name}") can be used on it` }];
}

function trackingChecks(
  mapped: XeroAccount,
  facts: XeroOrganisationFacts,
  subject: string,
  where: { file: string; path: string },
): OrganisationCheck[] {
  return (mapped.tracking ?? []).map(({ name, option }) => {
    const choice = `tracking "${name}: ${option}" of ${subject}`;
    const category = facts.trackingCategories.find((candidate) => candidate.name === name);
    const fail = (detail: string, fix: string): OrganisationCheck => ({
      kind: 'tracking',
      status: 'fail',
      subject: choice,
      detail,
      fix,
      where,
    });
    if (category === undefined)
      return fail(
        `names a tracking category "${name}" that Xero does not have`,
        `add it in Xero (Settings → Tracking categories) or correct the name in ${where.path}`,
      );
    if (category.status !== 'ACTIVE')
      return fail(
        `names tracking category "${name}", which is ${category.status.toLowerCase()} in Xero`,
        `restore it in Xero, or remove it from ${where.path}`,
      );
    const found = category.options.find((candidate) => candidate.name === option);
    if (found === undefined)
      return fail(
        `names option "${option}", which category "${name}" does not have`,
        `add the option to "${name}" in Xero (Settings → Tracking categories) or correct it in ${where.path}`,
      );
    if (found.status !== 'ACTIVE')
      return fail(
        `names option "${option}", which is ${found.status.toLowerCase()} in Xero`,
        `restore the option in Xero, or choose another in ${where.path}`,
      );
    return { kind: 'tracking', status: 'pass', subject: choice, detail: 'exists and is active' };
  });
}
