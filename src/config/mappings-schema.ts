import { z } from 'zod';
import { XERO_JOURNAL_STATUSES } from './config-schema.js';
import { text } from './field-schemas.js';

/**
 * The schemas of the mapping files in mappings/: the chart with a journal
 * rule per event kind (default.yaml), and what each ledger account is at a
 * destination (xero.yaml, quickbooks.yaml). Entries are validated one by one
 * (see loadMappings), so one bad account does not hide the others' problems.
 */

export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** Ledger account keys are what the code, events and destination mappings refer to. */
export const ACCOUNT_KEY = /^[a-z][a-z0-9_]*$/;

export const chartFileSchema = z.strictObject({
  accounts: z.record(z.string(), z.unknown()),
  events: z.record(z.string(), z.unknown()),
});

export const chartAccountSchema = z.strictObject({
  type: z.enum(ACCOUNT_TYPES),
  name: text,
});
export type ChartAccount = z.output<typeof chartAccountSchema>;

/** Shares are ratios for money/allocate: 3 and 1 split an amount 75 % / 25 %, to the micro-unit. */
const splitSchema = z.strictObject({
  account: text,
  share: z
    .int('share must be a whole number (shares are ratios: 3 and 1 split 75 % / 25 %)')
    .positive('share must be greater than 0')
    .transform((share) => BigInt(share)),
});

/** `debit: smm_services_expense` is the one-account form of `debit: [{ account: smm_services_expense, share: 1 }]`. */
const sideSchema = z.preprocess(
  (value) => (typeof value === 'string' ? [{ account: value, share: 1 }] : value),
  z.array(splitSchema, 'must be an account key or a list of { account, share }').min(1, 'must name at least one account'),
);

export const journalRuleSchema = z.strictObject({
  debit: sideSchema,
  credit: sideSchema,
  description: text,
});
export type JournalRule = z.output<typeof journalRuleSchema>;
export type JournalSplit = JournalRule['debit'][number];

export const xeroFileSchema = z.strictObject({
  status: z.enum(XERO_JOURNAL_STATUSES).default('POSTED'),
  accounts: z.record(z.string(), z.unknown()),
});

export const xeroAccountSchema = z.strictObject({
  code: text.max(10, 'must be at most 10 characters (the length of a Xero account code)'),
  /** Sent as the line's TaxType over the API. */
  taxType: text.default('NONE'),
  /**
   * The tax rate's display name, which the manual journal CSV import wants instead of the type. Left out,
   * the CSV names the no-tax rate of the organisation's region (destinations.xero.region; see xeroNoTaxRate).
   */
  taxRate: text.optional(),
  tracking: z
    .array(z.strictObject({ name: text.max(100, 'must be at most 100 characters'), option: text.max(100, 'must be at most 100 characters') }))
    .max(2, 'Xero allows at most 2 tracking categories on a journal line')
    .optional(),
});
export type XeroAccountMapping = z.output<typeof xeroAccountSchema>;

export const quickBooksFileSchema = z.strictObject({
  accounts: z.record(z.string(), z.unknown()),
});

const listItem = z.union([text, z.strictObject({ id: text, name: text })]);

export const quickBooksAccountSchema = z
  .strictObject({
    /** The AccountRef value the API wants. */
    id: text,
    /** The account's full name for the CSV import; a sub-account is written Parent:Sub. */
    name: text,
    /** A name (post looks its id up in QuickBooks; the CSV import uses it as it is) or { id, name }. */
    class: listItem.optional(),
    location: listItem.optional(),
    /** The Customer (on Accounts Receivable) or Vendor (on Accounts Payable) each line names, the same way. */
    customer: listItem.optional(),
    vendor: listItem.optional(),
  })
  .refine((account) => account.customer === undefined || account.vendor === undefined, {
    message: 'a journal line names one customer or one vendor, not both',
    path: ['vendor'],
  });
export type QuickBooksAccountMapping = z.output<typeof quickBooksAccountSchema>;
