import { deterministicUuid } from '../fake-kit/index.js';
import type { XeroFakeAccount } from './journal-checks.js';

/**
 * The parts of the Xero fake's organisation beyond its chart and tax rates:
 * tracking categories with their options, system accounts and what they
 * refuse, and the TrackingCategories reply. Journal checks that depend on
 * them are added to checkManualJournal's by `organisationRefusals`.
 */

export const XERO_FAKE_ITEM_STATUSES = ['ACTIVE', 'ARCHIVED'] as const;
export type XeroFakeItemStatus = (typeof XERO_FAKE_ITEM_STATUSES)[number];

export interface XeroFakeTrackingCategory {
  name: string;
  status: XeroFakeItemStatus;
  options: readonly { name: string; status: XeroFakeItemStatus }[];
}

/**
 * System accounts that take no manual journal (Xero help, "Locked and system
 * accounts in your chart of accounts"; Wages Payable from "Record movements in
 * system accounts"). The fake refuses a line on one in its own words.
 */
export const XERO_FAKE_SYSTEM_ACCOUNTS_WITHOUT_JOURNALS: ReadonlySet<string> = new Set([
  'DEBTORS',
  'CREDITORS',
  'BANKCURRENCYGAIN',
  'TRACKINGTRANSFERS',
  'UNPAIDEXPCLM',
  'WAGEPAYABLES',
]);

/**
 * What the organisation refuses in a ManualJournals element beyond
 * checkManualJournal's checks: a line on a system account that takes no
 * journal, and tracking that names a category or option the organisation
 * does not have (or has archived). The texts are the fake's own.
 */
export function organisationRefusals(
  element: unknown,
  accounts: readonly XeroFakeAccount[],
  tracking: readonly XeroFakeTrackingCategory[],
): string[] {
  const lines = isObject(element) && Array.isArray(element.JournalLines) ? element.JournalLines : [];
  const errors: string[] = [];
  for (const line of lines) {
    if (!isObject(line)) continue;
    const account = accounts.find((candidate) => candidate.code === line.AccountCode && candidate.status === 'ACTIVE');
    if (account?.systemAccount !== undefined && XERO_FAKE_SYSTEM_ACCOUNTS_WITHOUT_JOURNALS.has(account.systemAccount)) {
      errors.push(
        `Account code '${account.code}' is a system account (${account.systemAccount}) and cannot be used in a manual journal.`,
      );
    }
    for (const choice of Array.isArray(line.Tracking) ? line.Tracking : []) {
      if (!isObject(choice) || typeof choice.Name !== 'string' || typeof choice.Option !== 'string') continue;
      const category = tracking.find((candidate) => candidate.name === choice.Name && candidate.status === 'ACTIVE');
      if (!category) errors.push(`The tracking category '${choice.Name}' does not exist or is archived.`);
      else if (!category.options.some((option) => option.name === choice.Option && option.status === 'ACTIVE')) {
        errors.push(
          `The tracking option '${choice.Option}' does not exist in the tracking category '${choice.Name}' or is archived.`,
        );
      }
    }
  }
  return errors;
}

/** The TrackingCategories list: archived categories and options only when `includeArchived` asks for them, as Xero does. */
export function renderTrackingCategories(
  seed: string,
  categories: readonly XeroFakeTrackingCategory[],
  includeArchived: boolean,
): Record<string, unknown>[] {
  return categories
    .filter((category) => includeArchived || category.status === 'ACTIVE')
    .map((category) => ({
      Name: category.name,
      Status: category.status,
      TrackingCategoryID: deterministicUuid(seed, 'tracking', category.name),
      Options: category.options
        .filter((option) => includeArchived || option.status === 'ACTIVE')
        .map((option) => ({
          TrackingOptionID: deterministicUuid(seed, 'tracking', category.name, option.name),
          Name: option.name,
          Status: option.status,
          HasValidationErrors: false,
          IsDeleted: false,
          IsArchived: option.status === 'ARCHIVED',
          IsActive: option.status === 'ACTIVE',
        })),
    }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
