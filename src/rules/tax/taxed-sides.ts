import type { EventRule, EventSide } from '../event-rules.js';

/** Which lines of a journal rule a tax code can go on: its revenue and expense accounts, each with its side. */
export type Direction = 'debit' | 'credit';

/** The accounts one side of a journal rule books to: one account, or each share's. */
export function sideAccounts(side: EventSide): string[] {
  return typeof side === 'string' ? [side] : side.map((share) => share.account);
}

/** The revenue and expense accounts a rule books to, with the direction: `order_charge` → [debit smm_services_expense]. */
export function taxedSides(
  rule: EventRule,
  profitAndLoss: ReadonlySet<string>,
): { account: string; direction: Direction }[] {
  const sides: { account: string; direction: Direction }[] = [];
  for (const direction of ['debit', 'credit'] as const) {
    for (const account of sideAccounts(rule[direction]))
      if (profitAndLoss.has(account)) sides.push({ account, direction });
  }
  return sides;
}
