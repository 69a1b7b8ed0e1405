import { moneyInTransit, type TransitOptions, type TransitReportItem } from './money-in-transit.js';
import type { TransitBooks } from './books/transit-books.js';

/** The states the night alerts, each once per item: late (no bank line in time) and differs (a line of another amount). */
const ALERTED_STATES = ['late', 'differs'] as const;

/**
 * The night's part in the money in transit: each item's state judged as of the night's day and, where it is
 * not the one last recorded, appended with its evidence, as `transit` does; each settled item's bank leg booked
 * (with `bankLegs`); then the late and the differing items no night has alerted in that state yet, recorded as
 * alerted. Example: payout P late since the night of 04-22 → that night returns P; the nights of 04-23 on find
 * P alerted and return nothing for it, and append nothing while P stays late. Payout Q of 95.00 whose line of
 * +92.50 came in → the first night that sees it returns Q (differs), once.
 */
export async function nightTransit(
  books: TransitBooks,
  options: Omit<TransitOptions, 'record'>,
): Promise<TransitReportItem[]> {
  const { report } = await moneyInTransit(books, { ...options, record: true });
  const alerted = new Map(
    await Promise.all(ALERTED_STATES.map(async (state) => [state as string, await books.alertedItems(state)] as const)),
  );
  const fresh = report.items.filter((item) => alerted.get(item.state)?.has(item.id) === false);
  for (const state of ALERTED_STATES) {
    const ids = fresh.filter((item) => item.state === state).map((item) => item.id);
    if (ids.length > 0) await books.unitOfWork((tx) => tx.recordAlerts(ids, state, options.asOf, options.now));
  }
  return fresh;
}
