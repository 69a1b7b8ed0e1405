import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { insertNewEvents, type SourceEventRow } from '../../src/pipeline/sync/books/close-writes.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { queryBuilder } from '../../src/store/query-builder.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const now = new Date('2026-04-03T02:00:00Z');

function event(index: number): SourceEventRow {
  return {
    id: `ev:${index}`,
    sourceId: 'smm-panel',
    kind: 'order_charged',
    date: '2026-03-31',
    currency: 'USD',
    amountMicros: 1_000n,
    ref: String(index),
    detail: '{}',
  };
}

describe.each(LEDGER_ENGINES)('an entry links its events (%s)', (engine) => {
  // 1,201 events: two full statements of links and a partial third, whose spare slots repeat an id.
  it('links every event it names, however many, and leaves an event already linked to another entry as it was', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      const ledger = new Ledger(journalBooksOver(store));
      const events = Array.from({ length: 1_202 }, (_, index) => event(index));
      await store.unitOfWork((tx) => insertNewEvents(tx, events, { runId: 'run-1', now: now.toISOString() }));
      const lines = (micros: bigint) => [
        { account: 'smm_services_expense', currency: 'USD', amountMicros: micros },
        { account: 'panel_prepaid', currency: 'USD', amountMicros: -micros },
      ];
      await ledger.appendEntry(
        {
          id: 'je:first',
          date: '2026-03-31',
          sourceId: 'smm-panel',
          description: 'first',
          eventIds: ['ev:0'],
          lines: lines(1_000n),
        },
        { now },
      );
      const named = events.slice(0, 1_201).map((stored) => stored.id);
      await ledger.appendEntry(
        {
          id: 'je:day',
          date: '2026-03-31',
          sourceId: 'smm-panel',
          description: 'day',
          eventIds: named,
          lines: lines(1_201_000n),
        },
        { now },
      );

      const rows = await store.all(queryBuilder(store).selectFrom('entry_events').select(['event_id', 'entry_id']));
      const linked = new Map(rows.map((row) => [row.event_id, row.entry_id]));
      expect(linked.get('ev:0')).toBe('je:first');
      for (let index = 1; index < 1_201; index += 1) expect(linked.get(`ev:${index}`)).toBe('je:day');
      expect(linked.has('ev:1201')).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('links the events of entries listed out of event order, the first entry to name an event keeping it', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      await store.unitOfWork((tx) =>
        insertNewEvents(tx, [event(1), event(5), event(9)], { runId: 'run-1', now: now.toISOString() }),
      );
      const lines = [
        { account: 'smm_services_expense', currency: 'USD', amountMicros: 1_000n },
        { account: 'panel_prepaid', currency: 'USD', amountMicros: -1_000n },
      ];
      await new Ledger(journalBooksOver(store)).appendEntries(
        [
          {
            id: 'je:a',
            date: '2026-03-31',
            sourceId: 'smm-panel',
            description: 'a',
            eventIds: ['ev:9', 'ev:1'],
            lines,
          },
          {
            id: 'je:b',
            date: '2026-03-31',
            sourceId: 'smm-panel',
            description: 'b',
            eventIds: ['ev:5', 'ev:1'],
            lines,
          },
        ],
        { now },
      );
      const rows = await store.all(
        queryBuilder(store).selectFrom('entry_events').select(['event_id', 'entry_id']).orderBy('event_id'),
      );
      expect(rows).toEqual([
        { event_id: 'ev:1', entry_id: 'je:a' },
        { event_id: 'ev:5', entry_id: 'je:b' },
        { event_id: 'ev:9', entry_id: 'je:a' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('links each event to the first of many entries that names it, whatever order the entries list their events in', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      await store.unitOfWork((tx) =>
        insertNewEvents(
          tx,
          Array.from({ length: 300 }, (_, index) => event(index)),
          { runId: 'run-1', now: now.toISOString() },
        ),
      );
      const lines = [
        { account: 'smm_services_expense', currency: 'USD', amountMicros: 1_000n },
        { account: 'panel_prepaid', currency: 'USD', amountMicros: -1_000n },
      ];
      // 70 entries of 0 to 9 events each, drawn with repeats from 300 (a fixed linear congruential sequence), some in order, most not.
      let seed = 7;
      const draw = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % 300;
      const entries = Array.from({ length: 70 }, (_, index) => {
        const eventIds = Array.from({ length: index % 10 }, () => `ev:${draw()}`);
        if (index % 4 === 0) eventIds.sort();
        return {
          id: `je:${String(index).padStart(2, '0')}`,
          date: '2026-03-31',
          sourceId: 'smm-panel',
          description: 'day',
          eventIds,
          lines,
        };
      });
      await new Ledger(journalBooksOver(store)).appendEntries(entries, { now });

      const firstNamedBy = new Map<string, string>();
      for (const entry of entries)
        for (const eventId of entry.eventIds) if (!firstNamedBy.has(eventId)) firstNamedBy.set(eventId, entry.id);
      const rows = await store.all(queryBuilder(store).selectFrom('entry_events').select(['event_id', 'entry_id']));
      expect(new Map(rows.map((row) => [row.event_id, row.entry_id]))).toEqual(firstNamedBy);
      expect(rows).toHaveLength(firstNamedBy.size);
    } finally {
      await store.close();
    }
  });
});
