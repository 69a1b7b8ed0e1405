import type { Now } from '../fake-kit/index.js';
import type { QuickBooksFakeAccount, QuickBooksFakeListItem } from './entry-checks.js';
import type { QuickBooksFakeTaxTable } from './tax-codes.js';

/** What a QuickBooks fake can be told at creation: its company, its chart and lists, its preferences and its limits. */

export interface QuickBooksFakeLimits {
  perMinute: number;
  batchPerMinute: number;
  concurrent: number;
  batchItems: number;
}

export const QUICKBOOKS_DEFAULT_LIMITS: QuickBooksFakeLimits = {
  perMinute: 500,
  batchPerMinute: 40,
  concurrent: 10,
  batchItems: 30,
};

/** A chart with an account for each key of ledgerline's default chart (DESIGN §3). */
export const QUICKBOOKS_DEFAULT_ACCOUNTS: readonly QuickBooksFakeAccount[] = [
  { id: '1', name: 'Checking', accountType: 'Bank', accountSubType: 'Checking', classification: 'Asset', active: true },
  {
    id: '2',
    name: 'Payelancer Receivable',
    accountType: 'Other Current Asset',
    accountSubType: 'OtherCurrentAssets',
    classification: 'Asset',
    active: true,
  },
  {
    id: '3',
    name: 'SMM Panel Balance',
    accountType: 'Other Current Asset',
    accountSubType: 'PrepaidExpenses',
    classification: 'Asset',
    active: true,
  },
  {
    id: '4',
    name: 'Payelancer Advertiser Balance',
    accountType: 'Other Current Asset',
    accountSubType: 'PrepaidExpenses',
    classification: 'Asset',
    active: true,
  },
  {
    id: '5',
    name: 'Payout Clearing PayPal',
    accountType: 'Other Current Asset',
    accountSubType: 'OtherCurrentAssets',
    classification: 'Asset',
    active: true,
  },
  {
    id: '6',
    name: 'Payout Clearing Razorpay',
    accountType: 'Other Current Asset',
    accountSubType: 'OtherCurrentAssets',
    classification: 'Asset',
    active: true,
  },
  {
    id: '7',
    name: 'Payout Clearing Wire',
    accountType: 'Other Current Asset',
    accountSubType: 'OtherCurrentAssets',
    classification: 'Asset',
    active: true,
  },
  {
    id: '8',
    name: 'Top-up Clearing',
    accountType: 'Other Current Asset',
    accountSubType: 'OtherCurrentAssets',
    classification: 'Asset',
    active: true,
  },
  {
    id: '9',
    name: 'Ad Revenue',
    accountType: 'Income',
    accountSubType: 'ServiceFeeIncome',
    classification: 'Revenue',
    active: true,
  },
  {
    id: '10',
    name: 'Advertising',
    accountType: 'Expense',
    accountSubType: 'AdvertisingPromotional',
    classification: 'Expense',
    active: true,
  },
  {
    id: '11',
    name: 'SMM Services',
    accountType: 'Expense',
    accountSubType: 'OtherBusinessExpenses',
    classification: 'Expense',
    active: true,
  },
  {
    id: '12',
    name: 'Opening Balance Equity',
    accountType: 'Equity',
    accountSubType: 'OpeningBalanceEquity',
    classification: 'Equity',
    active: true,
  },
  {
    id: '13',
    name: 'Suspense',
    accountType: 'Other Current Liability',
    accountSubType: 'OtherCurrentLiabilities',
    classification: 'Liability',
    active: true,
  },
  {
    id: '14',
    name: 'Rounding',
    accountType: 'Expense',
    accountSubType: 'OtherMiscellaneousServiceCost',
    classification: 'Expense',
    active: true,
  },
  {
    id: '15',
    name: 'Bank Charges',
    accountType: 'Expense',
    accountSubType: 'BankCharges',
    classification: 'Expense',
    active: true,
  },
  // Where a non-US company books the tax it splits out of coded lines (its tax agency's liability account).
  {
    id: '16',
    name: 'VAT Control',
    accountType: 'Other Current Liabilities',
    accountSubType: 'GlobalTaxPayable',
    classification: 'Liability',
    active: true,
  },
];

/**
 * The account QuickBooks Online makes when multicurrency is turned on, where a foreign transaction's home-currency
 * rounding and realised exchange differences go (its id here is the next after the chart's). The fake books to it
 * what a foreign journal's amounts, each converted on its own, leave unbalanced in the home currency.
 */
export const EXCHANGE_GAIN_OR_LOSS = {
  name: 'Exchange Gain or Loss',
  accountType: 'Other Expense',
  accountSubType: 'ExchangeGainOrLoss',
  classification: 'Expense',
  active: true,
} as const;

/** The chart with Exchange Gain or Loss added, as turning multicurrency on adds it (kept when the chart has one). */
export function withExchangeGainOrLoss(accounts: readonly QuickBooksFakeAccount[]): readonly QuickBooksFakeAccount[] {
  if (accounts.some((account) => account.accountSubType === EXCHANGE_GAIN_OR_LOSS.accountSubType)) return accounts;
  const next = Math.max(0, ...accounts.map((account) => Number(account.id)).filter(Number.isInteger)) + 1;
  return [...accounts, { id: String(next), ...EXCHANGE_GAIN_OR_LOSS }];
}

/** A company whose chart has no Bank Charges (15): the QuickBooks side of `ledgerline sandbox --destination-chart without-bank-fees`. */
export const QUICKBOOKS_ACCOUNTS_WITHOUT_BANK_FEES: readonly QuickBooksFakeAccount[] =
  QUICKBOOKS_DEFAULT_ACCOUNTS.filter((account) => account.id !== '15');

export interface QuickBooksFakeOptions {
  /** The app's registered redirect URIs; any http://localhost or 127.0.0.1 address (Intuit's rule for development keys) unless given. */
  redirectUris?: readonly string[];
  /** Seeds every token value and intuit_tid so runs repeat; "ledgerline" unless given. */
  seed?: string;
  realmId?: string;
  companyName?: string;
  clientId?: string;
  clientSecret?: string;
  /** A refresh token to accept as if the user had just authorized the app. */
  refreshToken?: string;
  /**
   * More companies the app may reach beside this one, each with books and tokens of its own (a token reaches the
   * one company its consent picked, as Intuit's do): the consent page offers them, and `refreshToken` is a grant
   * for that company given before the fake started. The settings are this one's.
   */
  otherCompanies?: readonly { realmId: string; companyName: string; refreshToken?: string }[];
  /** How long a rotated refresh token keeps working (Intuit: "24 hours after you receive a new one"); 24 h unless given. */
  refreshTokenGraceMs?: number;
  accounts?: readonly QuickBooksFakeAccount[];
  classes?: readonly QuickBooksFakeListItem[];
  departments?: readonly QuickBooksFakeListItem[];
  customers?: readonly QuickBooksFakeListItem[];
  vendors?: readonly QuickBooksFakeListItem[];
  homeCurrency?: string;
  /** CompanyInfo.Country: "US" unless given. */
  country?: string;
  /** The TaxCodes and TaxRates the company lists: QUICKBOOKS_UK_TAX_TABLE for a GB company, none for others, unless given. */
  taxTable?: QuickBooksFakeTaxTable;
  /** A non-US company refuses an income or expense journal line without a TaxCodeRef (6000): on unless given (see tax-codes.ts). */
  requireTaxCodes?: boolean;
  /** "YYYY-MM-DD": entries dated on or before it are refused (6210). */
  bookCloseDate?: string;
  /** How the closed-books refusal of a single create arrives: HTTP 400 (default) or a Fault inside HTTP 200. */
  closedBooksReply?: 'http-400' | 'fault-in-200';
  /**
   * The company's "Warn if duplicate journal number is used" preference
   * (Settings → Advanced → Other preferences): when on, a DocNumber already
   * used by another journal entry is refused (6140). Off unless given, so a
   * client cannot count on it to catch a second delivery.
   */
  rejectDuplicateDocNumber?: boolean;
  /**
   * Batch items run and come back in an order of the fake's choosing, drawn
   * from the seed (Intuit promises nothing about order; clients match replies
   * by bId), unless 'as-sent'.
   */
  batchOrder?: 'shuffled' | 'as-sent';
  /** Multicurrency on: journal entries may carry a foreign CurrencyRef with its ExchangeRate. Off unless given. */
  multiCurrency?: boolean;
  /** Which responses a repeated requestid gets back: every processed one (Intuit's wording, default) or successes only. */
  requestIdReplays?: 'every-response' | 'successes-only';
  limits?: Partial<QuickBooksFakeLimits>;
  /** Sent as Retry-After on 429s; QuickBooks sends none, so none unless given. */
  retryAfterSeconds?: number;
  /** The largest Attachable file taken (100 MB unless given). */
  attachmentLimitBytes?: number;
  now?: Now;
}

export const QUICKBOOKS_FAKE_DEFAULT_CLIENT_ID = 'quickbooks-fake-client-id';
export const QUICKBOOKS_FAKE_DEFAULT_CLIENT_SECRET = 'quickbooks-fake-client-secret';
export const QUICKBOOKS_FAKE_DEFAULT_REALM_ID = '9130350000000001';
