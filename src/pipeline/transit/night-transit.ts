import { moneyInTransit, type TransitOptions, type TransitReportItem } from './money-in-transit.js';
import type { TransitBooks } from './transit-books.js';

/**
 * The night's part in the money in transit: each item's state judged as of the night's day and, where it is
 * not the one last recorded, appended with its evidence, as `transit` does; then the late items no night has
 * alerted yet, recorded as alerted. Example: payout P late since the night of 04-22 → that night returns P;
 * the nights of 04-23 on find P alerted and return nothing for it, and append nothing while P stays late.
 */
export async function nightTransit(books: TransitBooks, options: Omit<TransitOptions, 'record'>): Promise<TransitReportItem[]> {
  const { report } = await moneyInTransit(books, { ...options, record: true });
  const alerted = await books.alertedItems('late');
  const late = report.items.filter((item) => item.state === 'late' && !alerted.has(item.id));
  if (late.length > 0) await books.recordAlerts(late.map((item) => item.id), 'late', options.asOf, options.now);
  return late;
}
