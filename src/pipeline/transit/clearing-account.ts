import type { JournalRule } from '../../config/index.js';
import type { TransitItem } from '../../rules/index.js';

/** Where an item's money waits for the bank: its journal rule's debit for a payout (payout_clearing_paypal), credit for a top-up (topup_clearing). */
export function clearingAccountOf(
  item: Pick<TransitItem, 'kind' | 'eventKind'>,
  events: Readonly<Record<string, JournalRule>>,
): string {
  const rule = events[item.eventKind]!;
  return (item.kind === 'payout' ? rule.debit : rule.credit)[0]!.account;
}
