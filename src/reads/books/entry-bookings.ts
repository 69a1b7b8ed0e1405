import { queryBuilder, type StoreHandle } from '../../store/index.js';
import type { EntryBooking } from './ledger-reads.js';

/**
 * Each entry dated `from`…`to` with its booking instant and its events with their amounts, through the links
 * (entry_events, migration 0017): two reads, the entries' and their events', whatever the window's size in entries.
 * Example: je:smm-panel:2026-03-02 → booked 2026-03-03T02:00:01.000Z, [order_charge 2.70 USD, order_refund 0.14 USD].
 */
export async function entryBookings(
  store: StoreHandle,
  window: { from?: string | undefined; to?: string | undefined },
): Promise<Map<string, EntryBooking>> {
  const db = queryBuilder(store);
  let entries = db.selectFrom('journal_entries').select(['id', 'created_at']);
  if (window.from !== undefined) entries = entries.where('date', '>=', window.from);
  if (window.to !== undefined) entries = entries.where('date', '<=', window.to);
  const bookings = new Map<string, EntryBooking>();
  for (const row of await store.all(entries)) bookings.set(row.id, { bookedAt: row.created_at, events: [] });
  let events = db
    .selectFrom('entry_events')
    .innerJoin('journal_entries', 'journal_entries.id', 'entry_events.entry_id')
    .innerJoin('source_events', 'source_events.id', 'entry_events.event_id')
    .select([
      'entry_events.entry_id as entryId',
      'source_events.id as id',
      'source_events.kind as kind',
      'source_events.currency as currency',
      'source_events.amount_micros as amountMicros',
      'source_events.ref as ref',
    ]);
  if (window.from !== undefined) events = events.where('journal_entries.date', '>=', window.from);
  if (window.to !== undefined) events = events.where('journal_entries.date', '<=', window.to);
  for (const row of await store.all(events.orderBy('entry_events.entry_id').orderBy('source_events.id'))) {
    bookings.get(row.entryId)?.events.push({
      id: row.id,
      kind: row.kind,
      currency: row.currency,
      amountMicros: BigInt(row.amountMicros),
      ref: row.ref,
    });
  }
  return bookings;
}
