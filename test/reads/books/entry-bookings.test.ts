import { journalBooksOver } from '../../../src/store/journal-books-store.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/ledger/index.js';
import { LedgerStore } from '../../../src/store/index.js';
import { insertNewEvents, type SourceEventRow } from '../../../src/pipeline/sync/books/close-writes.js';
import { entryBookings } from '../../../src/reads/books/entry-bookings.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();

function event(orderId: string, kind: string, date: string, micros: bigint): SourceEventRow {
  return {
    id: `panel:smm-panel:order:${orderId}:${kind}:${date}`,
    sourceId: 'smm-panel',
    kind,
    date,
    currency: 'USD',
    amountMicros: micros,
    ref: orderId,
    detail: '{}',
  };
}

describe.each(LEDGER_ENGINES)("an entry's events with their amounts, through the links (%s)", (engine) => {
  it('gives each entry of the window its booking instant and the events it journalized, in event-id order', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      const charges = [
        event('R-2', 'order_charge', '2026-03-02', 1_300_000n),
        event('R-1', 'order_charge', '2026-03-02', 2_700_000n),
      ];
      const refund = event('R-1', 'order_refund', '2026-03-03', 500_000n);
      await store.unitOfWork((tx) =>
        insertNewEvents(tx, [...charges, refund], { runId: 'run:1', now: '2026-03-04T02:00:00.000Z' }),
      );
      const ledger = new Ledger(journalBooksOver(store));
      // A daily entry sums its two charges on one line a side; the events keep 2.70 and 1.30 apart.
      await ledger.appendEntry(
        {
          id: 'je:smm-panel:2026-03-02',
          date: '2026-03-02',
          sourceId: 'smm-panel',
          description: 'charges',
          eventIds: charges.map((charge) => charge.id),
          lines: [
            { account: 'smm_services_expense', currency: 'USD', amountMicros: 4_000_000n },
            { account: 'panel_prepaid', currency: 'USD', amountMicros: -4_000_000n },
          ],
        },
        { now: new Date('2026-03-03T02:00:01Z') },
      );
      await ledger.appendEntry(
        {
          id: 'je:smm-panel:2026-03-03',
          date: '2026-03-03',
          sourceId: 'smm-panel',
          description: 'refund',
          eventIds: [refund.id],
          lines: [
            { account: 'panel_prepaid', currency: 'USD', amountMicros: 500_000n },
            { account: 'smm_services_expense', currency: 'USD', amountMicros: -500_000n },
          ],
        },
        { now: new Date('2026-03-04T02:00:01Z') },
      );

      const march2 = await entryBookings(store, { from: '2026-03-02', to: '2026-03-02' });
      expect([...march2.keys()]).toEqual(['je:smm-panel:2026-03-02']);
      const booking = march2.get('je:smm-panel:2026-03-02')!;
      expect(booking.bookedAt.slice(0, 10)).toBe('2026-03-03');
      expect(booking.events.map((linked) => [linked.kind, linked.ref, linked.amountMicros, linked.currency])).toEqual([
        ['order_charge', 'R-1', 2_700_000n, 'USD'],
        ['order_charge', 'R-2', 1_300_000n, 'USD'],
      ]);
      const all = await entryBookings(store, {});
      expect(all.get('je:smm-panel:2026-03-03')!.events.map((linked) => linked.id)).toEqual([refund.id]);
    } finally {
      await store.close();
    }
  });
});
