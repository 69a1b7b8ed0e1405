import { queryBuilder, type StoreHandle } from '../../store/index.js';

/**
 * One destination organisation's calls on one UTC day (migration 0032): as counted, and as the vendor last said.
 * The post's books (pipeline/post/books) count them; `status` reads each day's here.
 */
interface CallsUsedRow {
  destination: string;
  organisation: string;
  day: string;
  callsUsed: number;
  /** X-DayLimit-Remaining as the vendor last sent it that day; undefined when it sends none (QuickBooks). */
  vendorRemaining: number | undefined;
}

/** Every destination organisation's row of one UTC day, by destination and organisation. */
export async function callsUsedOn(store: StoreHandle, day: string): Promise<CallsUsedRow[]> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('call_budgets')
      .selectAll()
      .where('day', '=', day)
      .orderBy('destination')
      .orderBy('organisation'),
  );
  return rows.map((row) => ({
    destination: row.destination,
    organisation: row.organisation,
    day: row.day,
    callsUsed: Number(row.calls_used),
    vendorRemaining: row.vendor_remaining === null ? undefined : Number(row.vendor_remaining),
  }));
}
