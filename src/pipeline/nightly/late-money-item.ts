import type { AlertItem } from '../../alerts/alert.js';
import { formatMicros, parseMicros } from '../../money/index.js';

/** A payout or top-up the night found late, or differing from its bank line (pipeline/transit's report item, as the alert reads it). */
export interface LateMoney {
  id: string;
  kind: 'payout' | 'topup';
  source: string;
  amount: string;
  currency: string;
  reportedOn: string;
  ageDays: number;
  /** `differs`: a bank line naming it moved another amount (its match); late when absent. */
  state?: string;
  match?: null | { amount: string; date: string; bankLine?: string };
}

/** The night's alert of an item: late, or differing from its bank line. */
export function moneyInTransitItem(money: LateMoney): AlertItem {
  return money.state === 'differs' && money.match ? differingMoneyItem(money, money.match) : lateMoneyItem(money);
}

/**
 * A late payout or top-up, named by source, id, amount and age. Example: the network's payout of 55.00 USD
 * reported 03-31, no bank line by 04-30 → "payout payelancer:ads-publisher:payout:2026-03-31 of 55.00 USD,
 * reported 2026-03-31, is late: 30 days without its bank line".
 */
function lateMoneyItem(late: LateMoney): AlertItem {
  return {
    subject: late.source,
    kind: `late_${late.kind}`,
    message:
      `${late.kind === 'payout' ? 'payout' : 'top-up'} ${late.id} of ${late.amount} ${late.currency}, ` +
      `reported ${late.reportedOn}, is late: ${late.ageDays} days without its bank line`,
    nextStep:
      `import the bank statement that holds it (\`ledgerline bank import FILE --account NAME\`), ` +
      `then see \`ledgerline transit\`; if the money is known to be lost or settled otherwise, \`ledgerline ` +
      `transit accept ${late.id} --note …\``,
  };
}

/**
 * A payout or top-up whose bank line moved another amount, both figures and the difference named. Examples: payout
 * of 95.00 whose line brought +92.50 on 04-12 → "… of 95.00 USD, reported 2026-04-10, differs from its bank line
 * operating:L-7: 92.50 arrived on 2026-04-12, 2.50 less"; top-up of 40.50 paid by a line of −42.00 → "… 42.00 left
 * the bank on …, 1.50 more".
 */
function differingMoneyItem(money: LateMoney, match: NonNullable<LateMoney['match']>): AlertItem {
  const line = parseMicros(match.amount);
  const moved = line < 0n ? -line : line;
  const difference = moved - parseMicros(money.amount);
  const how = difference < 0n ? `${formatMicros(-difference)} less` : `${formatMicros(difference)} more`;
  const what = money.kind === 'payout' ? `payout ${money.id}` : `top-up ${money.id}`;
  const went = money.kind === 'payout' ? 'arrived' : 'left the bank';
  return {
    subject: money.source,
    kind: `differing_${money.kind}`,
    message:
      `${what} of ${money.amount} ${money.currency}, reported ${money.reportedOn}, differs from ` +
      `its bank line${match.bankLine === undefined ? '' : ` ${match.bankLine}`}: ${formatMicros(moved)} ` +
      `${went} on ${match.date}, ${how}`,
    nextStep:
      `if the difference is right (a fee withheld), \`ledgerline transit accept ${money.id} --note ` +
      `…\` books it to bank_fees and closes the item; otherwise ask ${money.source} about it`,
  };
}
