import { sql, type Selectable } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import type { CallBudgetTable } from './schema.js';

/** One destination organisation's calls on one UTC day (migration 0032): as counted, and as the vendor last said. */
interface CallsUsedRow {
  destination: string;
  organisation: string;
  day: string;
  callsUsed: number;
  /** X-DayLimit-Remaining as the vendor last sent it that day; undefined when it sends none (QuickBooks). */
  vendorRemaining: number | undefined;
}

/** The day's row of one destination organisation, or undefined when no post called it that day. */
export async function callsUsed(
  store: LedgerStore,
  key: { destination: string; organisation: string; day: string },
): Promise<CallsUsedRow | undefined> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('call_budgets')
      .selectAll()
      .where('destination', '=', key.destination)
      .where('organisation', '=', key.organisation)
      .where('day', '=', key.day),
  );
  return row === undefined ? undefined : toCallsUsed(row);
}

/** Every destination organisation's row of one UTC day, by destination and organisation. */
export async function callsUsedOn(store: LedgerStore, day: string): Promise<CallsUsedRow[]> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('call_budgets')
      .selectAll()
      .where('day', '=', day)
      .orderBy('destination')
      .orderBy('organisation'),
  );
  return rows.map(toCallsUsed);
}

/**
 * Adds a post's calls to its day's row, and keeps the vendor's last remaining-call figure when it sent one (the
 * vendor's word wins over the count): 40 calls after 4,000 counted make 4,040; a remaining of 960 replaces 1,000.
 */
export async function addCallsUsed(
  store: LedgerStore,
  calls: { destination: string; organisation: string; day: string; calls: number; vendorRemaining: number | undefined },
  at: string,
): Promise<void> {
  const remaining = calls.vendorRemaining === undefined ? null : BigInt(calls.vendorRemaining);
  await store.unitOfWork(async (tx) => {
    await tx.run(
      queryBuilder(tx)
        .insertInto('call_budgets')
        .values({
          destination: calls.destination,
          organisation: calls.organisation,
          day: calls.day,
          calls_used: BigInt(calls.calls),
          vendor_remaining: remaining,
          updated_at: at,
        })
        .onConflict((conflict) =>
          conflict.columns(['destination', 'organisation', 'day']).doUpdateSet({
            calls_used: sql`call_budgets.calls_used + excluded.calls_used`,
            vendor_remaining: sql`COALESCE(excluded.vendor_remaining, call_budgets.vendor_remaining)`,
            updated_at: at,
          }),
        ),
    );
  });
}

function toCallsUsed(row: Selectable<CallBudgetTable>): CallsUsedRow {
  return {
    destination: row.destination,
    organisation: row.organisation,
    day: row.day,
    callsUsed: Number(row.calls_used),
    vendorRemaining: row.vendor_remaining === null ? undefined : Number(row.vendor_remaining),
  };
}
