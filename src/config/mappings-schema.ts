import { z } from 'zod';
import { ACCOUNT_KEY, text } from './field-schemas.js';

/**
 * The schema of the chart in mappings/: its accounts and a journal rule per
 * event kind (default.yaml). What each ledger account is at a destination
 * (xero.yaml) is the destination kind's schema (DestinationMappingKind).
 * Entries are validated one by one (see loadMappings), so one bad account
 * does not hide the others' problems.
 */

export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export { ACCOUNT_KEY };

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
  z
    .array(splitSchema, 'must be an account key or a list of { account, share }')
    .min(1, 'must name at least one account'),
);

export const journalRuleSchema = z.strictObject({
  debit: sideSchema,
  credit: sideSchema,
  description: text,
});
export type JournalRule = z.output<typeof journalRuleSchema>;
export type JournalSplit = JournalRule['debit'][number];
