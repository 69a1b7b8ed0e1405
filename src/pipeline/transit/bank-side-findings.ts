import { formatMicros } from '../../money/index.js';
import { lineKey, type TransitStanding } from '../../rules/index.js';
import type { TransitBooks } from './books/transit-books.js';

/** Who acknowledges what the bank settled: ledgerline itself, the bank line its evidence. */
export const BANK_SETTLED_BY = 'ledgerline (bank statement)';

/**
 * What the bank settled, the ledger settles: each panel balance rise ("find the top-up in the bank statement, then
 * acknowledge it") whose top-up a bank line matched, or a person accepted, is acknowledged with that line as its
 * evidence, once. A finding pairs with the top-up of its source, day and amount. Example: balance rise of 100.00
 * on 04-03 at smm-panel, top-up panel:smm-panel:topup:2026-04-03 matched by line operating:L-4 of −100.00 on 04-04
 * → finding:smm-panel:balance_rise:2026-04-03:2026-04-03 acknowledged, "top-up … settled by bank line
 * operating:L-4 of -100.00 USD on 2026-04-04"; `close` lists it no more.
 */
export async function acknowledgeWhatTheBankSettled(
  books: TransitBooks,
  standings: readonly TransitStanding[],
  now: Date,
): Promise<number> {
  const settled = standings.filter(
    (standing) =>
      standing.item.kind === 'topup' &&
      (standing.state === 'closed' || (standing.state === 'matched' && standing.match !== null)),
  );
  if (settled.length === 0) return 0;
  const waiting = await books.findingsAwaitingTheBank();
  let acknowledged = 0;
  for (const { item, match } of settled) {
    const found = waiting.find(
      (finding) =>
        finding.sourceId === item.sourceId &&
        finding.date === item.reportedOn &&
        finding.amountMicros === item.amountMicros,
    );
    if (found === undefined) continue;
    waiting.splice(waiting.indexOf(found), 1);
    const evidence =
      match === null
        ? 'accepted with "ledgerline transit accept"'
        : `settled by bank line ${lineKey(match.line)} of ${formatMicros(match.line.amountMicros)} ${match.line.currency} on ${match.line.bookedOn}`;
    const word = {
      action: 'ack' as const,
      note: `top-up ${item.id} ${evidence}`,
      user: BANK_SETTLED_BY,
      at: now.toISOString(),
    };
    await books.unitOfWork((tx) => tx.acknowledge(found.id, word));
    acknowledged += 1;
  }
  return acknowledged;
}
