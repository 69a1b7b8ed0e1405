import { z } from 'zod';
import { ACCOUNT_KEY, text } from './field-schemas.js';

/**
 * The schema of the chart in mappings/: its accounts and a journal rule per
 * event kind (default.yaml). What each ledger account is at a destination
 * (xero.yaml) is the destination kind's schema (DestinationMappingKind).
 * Entries are validated one by one (see loadMappings), so one bad account
 * does not hide the others' problems.
 */

const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export { ACCOUNT_KEY };

/**
 * The chart's schemas, built when a chart is first checked, then kept: a command whose chart check was kept
 * (config/checked-cache.ts) builds none of them.
 */
export function chartSchemas(): ChartSchemas {
  built ??= chartSchemasBuilt();
  return built;
}
let built: ChartSchemas | undefined;
type ChartSchemas = ReturnType<typeof chartSchemasBuilt>;

function chartSchemasBuilt() {
  const chartFile = z.strictObject({
    accounts: z.record(z.string(), z.unknown()),
    events: z.record(z.string(), z.unknown()),
    tax: z.unknown().optional(),
  });
  const chartAccount = z.strictObject({ type: z.enum(ACCOUNT_TYPES), name: text });
  /** Shares are ratios for money/allocate: 3 and 1 split an amount 75 % / 25 %, to the micro-unit. */
  const split = z.strictObject({
    account: text,
    share: z
      .int('share must be a whole number (shares are ratios: 3 and 1 split 75 % / 25 %)')
      .positive('share must be greater than 0')
      .transform((share) => BigInt(share)),
  });
  /** `debit: smm_services_expense` is the one-account form of `debit: [{ account: smm_services_expense, share: 1 }]`. */
  const side = z.preprocess(
    (value) => (typeof value === 'string' ? [{ account: value, share: 1 }] : value),
    z.array(split, 'must be an account key or a list of { account, share }').min(1, 'must name at least one account'),
  );
  /** `transit: payout` (or `topup`): its money travels through its clearing account to (from) the bank, followed by `ledgerline transit`. */
  const journalRule = z.strictObject({
    debit: side,
    credit: side,
    description: text,
    transit: z.enum(['payout', 'topup']).optional(),
  });
  return { chartFile, chartAccount, journalRule };
}

export type ChartAccount = z.output<ChartSchemas['chartAccount']>;
export type ChartAccountInput = z.input<ChartSchemas['chartAccount']>;
export type JournalRule = z.output<ChartSchemas['journalRule']>;
export type JournalRuleInput = z.input<ChartSchemas['journalRule']>;
