import type { AlertItem } from '../../alerts/alert.js';

/** A payout or top-up the night found late (pipeline/transit's report item, as the alert reads it). */
export interface LateMoney {
  id: string;
  kind: 'payout' | 'topup';
  source: string;
  amount: string;
  currency: string;
  reportedOn: string;
  ageDays: number;
}

/**
 * A late payout or top-up, named by source, id, amount and age. Example: the network's payout of 55.00 USD
 * reported 03-31, no bank line by 04-30 → "payout payelancer:ads-publisher:payout:2026-03-31 of 55.00 USD,
 * reported 2026-03-31, is late: 30 days without its bank line".
 */
export function lateMoneyItem(late: LateMoney): AlertItem {
  return {
    subject: late.source,
    kind: `late_${late.kind}`,
    message: `${late.kind === 'payout' ? 'payout' : 'top-up'} ${late.id} of ${late.amount} ${late.currency}, reported ${late.reportedOn}, is late: ${late.ageDays} days without its bank line`,
    nextStep: `import the bank statement that holds it (\`ledgerline bank import FILE --account NAME\`), then see \`ledgerline transit\`; if the money is known to be lost or settled otherwise, \`ledgerline transit accept ${late.id} --note …\``,
  };
}
