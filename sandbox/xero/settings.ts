import type { Now } from '../fake-kit/index.js';
import type { XeroFakeAccount, XeroFakeTaxRate } from './journal-checks.js';
import type { XeroFakeTrackingCategory } from './organisation.js';

export interface XeroFakeLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  /** The app's calls a minute across its tenants (the fake serves one app): X-AppMinLimit-Remaining counts down from it, then 429 appminute. */
  appPerMinute: number;
  journalsPerRequest: number;
}

export const XERO_DEFAULT_LIMITS: XeroFakeLimits = {
  perMinute: 60,
  perDay: 5000,
  concurrent: 5,
  appPerMinute: 10_000,
  journalsPerRequest: 50,
};

/** The code of the VAT (GST) system account a coded line's tax goes to: 820 "VAT" in Xero's UK demo company. */
export const XERO_VAT_ACCOUNT_CODE = '820';

/** A chart that has an account for each key of ledgerline's default chart (DESIGN §3) beside a few of Xero's usual ones. */
export const XERO_DEFAULT_ACCOUNTS: readonly XeroFakeAccount[] = [
  { code: '090', name: 'Business Bank Account', type: 'BANK', status: 'ACTIVE', taxType: 'NONE' },
  { code: '200', name: 'Sales', type: 'REVENUE', status: 'ACTIVE', taxType: 'OUTPUT' },
  { code: '210', name: 'Ad Revenue', type: 'REVENUE', status: 'ACTIVE', taxType: 'OUTPUT' },
  { code: '400', name: 'Advertising', type: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT' },
  { code: '410', name: 'SMM Services', type: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT' },
  { code: '404', name: 'Bank Fees', type: 'EXPENSE', status: 'ACTIVE', taxType: 'NONE' },
  { code: '429', name: 'General Expenses', type: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT' },
  {
    code: '610',
    name: 'Accounts Receivable',
    type: 'CURRENT',
    status: 'ACTIVE',
    taxType: 'NONE',
    systemAccount: 'DEBTORS',
  },
  { code: '611', name: 'Payelancer Receivable', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '621', name: 'SMM Panel Balance', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '622', name: 'Payelancer Advertiser Balance', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '631', name: 'Payout Clearing - PayPal', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '632', name: 'Payout Clearing - Razorpay', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '633', name: 'Payout Clearing - Wire', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  { code: '634', name: 'Top-up Clearing', type: 'CURRENT', status: 'ACTIVE', taxType: 'NONE' },
  {
    code: '800',
    name: 'Accounts Payable',
    type: 'CURRLIAB',
    status: 'ACTIVE',
    taxType: 'NONE',
    systemAccount: 'CREDITORS',
  },
  {
    code: XERO_VAT_ACCOUNT_CODE,
    name: 'VAT',
    type: 'CURRLIAB',
    status: 'ACTIVE',
    taxType: 'NONE',
    systemAccount: 'GST',
  },
  { code: '850', name: 'Suspense', type: 'CURRLIAB', status: 'ACTIVE', taxType: 'NONE' },
  { code: '860', name: 'Rounding', type: 'EXPENSE', status: 'ACTIVE', taxType: 'NONE', systemAccount: 'ROUNDING' },
  {
    code: '960',
    name: 'Retained Earnings',
    type: 'EQUITY',
    status: 'ACTIVE',
    taxType: 'NONE',
    systemAccount: 'RETAINEDEARNINGS',
  },
  { code: '980', name: 'Opening Balance Equity', type: 'EQUITY', status: 'ACTIVE', taxType: 'NONE' },
];

/**
 * An organisation whose chart was set up before ledgerline's chart had bank fees: the default chart without 404
 * Bank Fees, which is what an upgrade that ships a new chart entry meets (`ledgerline sandbox --destination-chart
 * without-bank-fees`).
 */
export const XERO_ACCOUNTS_WITHOUT_BANK_FEES: readonly XeroFakeAccount[] = XERO_DEFAULT_ACCOUNTS.filter(
  (account) => account.code !== '404',
);

export const XERO_DEFAULT_TAX_RATES: readonly XeroFakeTaxRate[] = [
  { taxType: 'NONE', name: 'No Tax' },
  { taxType: 'INPUT', name: 'Tax on Purchases' },
  { taxType: 'OUTPUT', name: 'Tax on Sales' },
  { taxType: 'EXEMPTEXPENSES', name: 'Tax Exempt Expenses' },
  { taxType: 'EXEMPTINCOME', name: 'Tax Exempt Income' },
];

export interface XeroFakeOptions {
  /** Seeds every id and token value so runs repeat; "ledgerline" unless given. */
  seed?: string;
  /** The one organisation's tenant id; a uuid derived from the seed unless given. */
  tenantId?: string;
  organisationName?: string;
  baseCurrency?: string;
  /** The organisation's CountryCode: "US" unless given ("GB" for a UK organisation). */
  countryCode?: string;
  trackingCategories?: readonly XeroFakeTrackingCategory[];
  clientId?: string;
  clientSecret?: string;
  /** A refresh token to accept as if a user had just authorized the app. */
  refreshToken?: string;
  /** More refresh tokens, each a grant of its own (as two consents give): rotating one leaves the others good. */
  refreshTokens?: readonly string[];
  /** Allow the client_credentials grant (a custom connection); true unless given. */
  customConnection?: boolean;
  /** How long a rotated refresh token keeps working; 0 (it stops at once) unless given. */
  refreshTokenGraceMs?: number;
  accounts?: readonly XeroFakeAccount[];
  taxRates?: readonly XeroFakeTaxRate[];
  /** "YYYY-MM-DD": posted journals dated on or before it are refused. */
  periodLockDate?: string;
  endOfYearLockDate?: string;
  limits?: Partial<XeroFakeLimits>;
  /**
   * More organisations the app may reach beside this one, each with books of its own: the consent page offers
   * them, and API calls naming one in xero-tenant-id reach it once it is connected (a consent ticked it, or
   * `connected: true`: a consent given before the fake started). The settings are this one's.
   */
  otherOrganisations?: readonly { tenantId: string; name: string; connected?: boolean }[];
  /** The app's registered redirect URIs; any http://localhost or 127.0.0.1 address unless given. */
  redirectUris?: readonly string[];
  /** An app created before 2 March 2026, which may still ask for the broad scopes; false unless given. */
  legacyScopes?: boolean;
  /** Name Xero puts in ProviderName (the app's name). */
  providerName?: string;
  /** The largest attachment body taken (3 MB unless given); a larger one is refused 413. */
  attachmentLimitBytes?: number;
  now?: Now;
}

export const XERO_FAKE_DEFAULT_CLIENT_ID = 'xero-fake-client-id';
export const XERO_FAKE_DEFAULT_CLIENT_SECRET = 'xero-fake-client-secret';
