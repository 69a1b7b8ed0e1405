import { formatMicros } from '../../../money/index.js';
import { finding, payoutEventKind, type Finding, type PayoutMethod, type SourceEvent } from '../../../rules/index.js';

export interface PayoutDueInput {
  /** The unpaid receivable (ledger balance of payelancer_receivable for the source) at the close of the payout date. */
  receivableMicros: bigint;
  minimumMicros: bigint;
  method: PayoutMethod;
  payoutDate: string;
  sourceId: string;
  currency: string;
}

interface PayoutDue {
  events: SourceEvent[];
  findings: Finding[];
}

/** One payout per source and payout date: the pipeline can look this id up before settling a date again. */
export function payoutEventId(sourceId: string, payoutDate: string): string {
  return `payelancer:${sourceId}:payout:${payoutDate}`;
}

/**
 * On a payout date the network pays the whole unpaid balance once it reaches
 * the minimum. 49.99 owed at month end → nothing paid, 49.99 carried (finding
 * payout_carried_forward); 50.00 → payout 50.00; 49.99 carried plus 10.00
 * earned the next month → payout 59.99.
 */
export function payoutDue(input: PayoutDueInput): PayoutDue {
  const { receivableMicros, minimumMicros, method, payoutDate, sourceId, currency } = input;
  if (receivableMicros <= 0n) return { events: [], findings: [] };
  if (receivableMicros < minimumMicros) {
    return {
      events: [],
      findings: [
        finding({
          kind: 'payout_carried_forward',
          sourceId,
          date: payoutDate,
          amountMicros: receivableMicros,
          currency,
          ref: payoutDate,
          message:
            `${formatMicros(receivableMicros)} ${currency} owed on the payout date ${payoutDate} is below the ` +
            `${formatMicros(minimumMicros)} minimum: nothing paid, it carries to the next payout date`,
        }),
      ],
    };
  }
  return {
    events: [
      {
        id: payoutEventId(sourceId, payoutDate),
        sourceId,
        kind: payoutEventKind(method),
        date: payoutDate,
        currency,
        amountMicros: receivableMicros,
        ref: payoutDate,
        detail: { method, minimum: formatMicros(minimumMicros), receivable: formatMicros(receivableMicros) },
      },
    ],
    findings: [],
  };
}
