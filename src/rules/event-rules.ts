import { z } from 'zod';
import { EVENT_KINDS } from '../ledger/event-kind.js';

/**
 * How each kind of source event is journalized: the account(s) it debits and
 * the account(s) it credits, by ledger account key (DESIGN §3). A side is one
 * account, or a split by shares, e.g. order charges split between two
 * expense accounts 3:1:
 *   order_charge: { debit: [{ account: smm_services_expense, share: 3 }, { account: smm_client_costs, share: 1 }], credit: panel_prepaid }
 * The record must name every event kind; the mappings loader parses the
 * YAML chart with this schema.
 */
const AccountKeySchema = z.string().min(1);

export const AccountShareSchema = z.object({
  account: AccountKeySchema,
  /** Any positive number or bigint; shares are relative (3 and 1 split 75 % / 25 %). */
  share: z.union([z.bigint().positive(), z.number().positive()]),
});
export type AccountShare = z.infer<typeof AccountShareSchema>;

export const EventSideSchema = z.union([AccountKeySchema, z.array(AccountShareSchema).min(1)]);
export type EventSide = z.infer<typeof EventSideSchema>;

export const EventRuleSchema = z.object({
  debit: EventSideSchema,
  credit: EventSideSchema,
  /** Words for the journal lines, e.g. "SMM panel order charges". */
  description: z.string().min(1).optional(),
});
export type EventRule = z.infer<typeof EventRuleSchema>;

export const EventRulesSchema = z.record(z.enum(EVENT_KINDS), EventRuleSchema);
export type EventRules = z.infer<typeof EventRulesSchema>;
