import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { join } from 'node:path';
import type { Compilable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { insertNewEvents, type SourceEventRow } from '../../src/pipeline/sync/books/close-writes.js';
import { interruptedCloseEvents } from '../../src/pipeline/landing/books/close-progress.js';
import { queryBuilder } from '../../src/store/query-builder.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const now = new Date('2026-03-03T02:00:00Z');

function charge(orderId: string): SourceEventRow {
  return {
    id: `panel:smm-panel:order:${orderId}:charge:2026-03-02`,
    sourceId: 'smm-panel',
    kind: 'order_charge',
    date: '2026-03-02',
    currency: 'USD',
    amountMicros: 900_000n,
    ref: orderId,
    detail: '{}',
  };
}

const LINES = [
  { account: 'smm_services_expense', currency: 'USD', amountMicros: 900_000n },
  { account: 'panel_prepaid', currency: 'USD', amountMicros: -900_000n },
];

describe.each(LEDGER_ENGINES)('the link from an event to its entry (%s)', (engine) => {
  it('is a row of its own that nothing changes, and an event with none is what an interrupted close left', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      await store.unitOfWork((tx) =>
        insertNewEvents(tx, [charge('7'), charge('8')], { runId: 'run:stopped', now: now.toISOString() }),
      );
      await new Ledger(journalBooksOver(store)).appendEntry(
        {
          id: 'je:smm-panel:2026-03-02',
          date: '2026-03-02',
          sourceId: 'smm-panel',
          description: 'charges',
          eventIds: [charge('7').id],
          lines: LINES,
        },
        { now },
      );

      expect(await store.all(queryBuilder(store).selectFrom('entry_events').selectAll())).toEqual([
        { event_id: charge('7').id, entry_id: 'je:smm-panel:2026-03-02' },
      ]);
      const unjournaled = await interruptedCloseEvents(store, 'smm-panel', {
        fromDate: '2026-03-02',
        runId: 'run:next',
      });
      expect(unjournaled.map((event) => event.id)).toEqual([charge('8').id]);

      const q = queryBuilder(store);
      const attempt = (query: Compilable<unknown>) => store.unitOfWork((tx) => tx.run(query));
      await expect(
        attempt(q.updateTable('source_events').set({ detail: '{"x":1}' }).where('id', '=', charge('8').id)),
      ).rejects.toThrow(/source events are immutable: UPDATE refused/);
      await expect(
        attempt(q.updateTable('entry_events').set({ entry_id: 'je:other' }).where('event_id', '=', charge('7').id)),
      ).rejects.toThrow(/entry links are append-only: UPDATE refused/);
      await expect(attempt(q.deleteFrom('entry_events').where('event_id', '=', charge('7').id))).rejects.toThrow(
        /entry links are append-only: DELETE refused/,
      );
      await expect(
        attempt(q.insertInto('entry_events').values({ event_id: charge('9').id, entry_id: 'je:smm-panel:2026-03-02' })),
      ).rejects.toThrow(/foreign key/i);
      await expect(
        attempt(q.insertInto('entry_events').values({ event_id: charge('8').id, entry_id: 'je:never-booked' })),
      ).rejects.toThrow(/foreign key/i);
      expect(await store.all(q.selectFrom('entry_events').selectAll())).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('upgrading a ledger to links kept apart (0017)', () => {
  it('moves every link an event held to its own row, leaves an unlinked event with none, and drops the column', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBeforeMigration(path, '0017', (sqlite) =>
      sqlite.transaction(() => {
        const insertEvent = sqlite.prepare(
          `INSERT INTO source_events (id, source_id, kind, date, currency, amount_micros, ref, detail, run_id, created_at) VALUES (?, 'smm-panel', 'order_charge', '2026-03-02', 'USD', 900000, ?, '{}', 'run:1', 'then')`,
        );
        insertEvent.run(charge('7').id, '7');
        insertEvent.run(charge('8').id, '8');
        const line = sqlite.prepare(
          `INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ('je:smm-panel:2026-03-02', ?, ?, 'USD', ?)`,
        );
        line.run(1, 'smm_services_expense', 900_000);
        line.run(2, 'panel_prepaid', -900_000);
        sqlite
          .prepare(
            `INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES ('je:smm-panel:2026-03-02', '2026-03-02', 'smm-panel', 'charges', ?, 'h', 'then')`,
          )
          .run(JSON.stringify([charge('7').id]));
        sqlite
          .prepare(`UPDATE source_events SET entry_id = 'je:smm-panel:2026-03-02' WHERE id = ?`)
          .run(charge('7').id);
      })(),
    );
    const store = await LedgerStore.open(path);
    try {
      expect(store.sqlite.prepare('SELECT event_id, entry_id FROM entry_events').all()).toEqual([
        { event_id: charge('7').id, entry_id: 'je:smm-panel:2026-03-02' },
      ]);
      expect(
        (store.sqlite.prepare('PRAGMA table_info(source_events)').all() as { name: string }[]).map(
          (column) => column.name,
        ),
      ).not.toContain('entry_id');
      expect(store.sqlite.prepare('SELECT COUNT(*) FROM source_events').pluck().get()).toBe(2n);
      expect(
        (await interruptedCloseEvents(store, 'smm-panel', { fromDate: undefined, runId: 'run:2' })).map(
          (event) => event.id,
        ),
      ).toEqual([charge('8').id]);
    } finally {
      await store.close();
    }
  });
});
