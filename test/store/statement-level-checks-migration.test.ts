import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryBuilder } from '../../src/store/query-builder.js';
import { LedgerStore } from '../../src/store/index.js';
import { insertNewEvents } from '../../src/pipeline/sync/books/close-writes.js';
import { registerObservedOrders, saveOrderStates } from '../../src/kinds/panel/books/panel-orders.js';
import { panelQueries } from '../../src/kinds/panel/books/panel-tables.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { ordersFileOrder, pendingOrderRow } from '../support/panel-order-rows.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const now = '2026-03-04T01:00:00.000Z';

const event = (id: string) => ({
  id,
  sourceId: 'smm-panel',
  kind: 'panel_charge',
  date: '2026-03-02',
  currency: 'USD',
  amountMicros: 1_000_000n,
  ref: id,
  detail: '{}',
});

// Migration 0025 checks PostgreSQL's rows once per statement; SQLite keeps its row triggers and keys. Both must
// keep and refuse the same rows when one statement carries many, as a close's writes do.
describe.each(LEDGER_ENGINES)('one statement over many rows (%s)', (engine) => {
  let store: LedgerStore;

  beforeAll(async () => {
    store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    const meta = { firstSeenDate: '2026-03-02', now };
    await store.unitOfWork((tx) =>
      registerObservedOrders(
        tx,
        'smm-panel',
        ['1', '2', '3'].map((id) => ({ order: ordersFileOrder(id), next: pendingOrderRow(id, 100n, '2026-03-02') })),
        meta,
      ),
    );
    await store.unitOfWork((tx) => saveOrderStates(tx, 'smm-panel', [pendingOrderRow('3', 300n, '2026-03-03')], now));
  });

  afterAll(async () => {
    await store?.close();
  });

  it('keeps each replaced state and drops each kept one its order takes back, row by row, in one UPDATE', async () => {
    // Order 1 moves on to 3 March (its 2 March state is kept apart), order 2 is saved again on its own date (nothing
    // kept), order 3 is replayed back to 2 March (its kept 2 March row goes, its 3 March state is kept apart).
    await store.unitOfWork((tx) =>
      saveOrderStates(
        tx,
        'smm-panel',
        [
          pendingOrderRow('1', 150n, '2026-03-03'),
          pendingOrderRow('2', 120n, '2026-03-02'),
          pendingOrderRow('3', 250n, '2026-03-02'),
        ],
        now,
      ),
    );
    const kept = await store.all(
      panelQueries(store)
        .selectFrom('order_states_by_close')
        .select(['order_id', 'date', 'state'])
        .orderBy('order_id')
        .orderBy('date'),
    );
    expect(kept).toEqual([
      { order_id: '1', date: '2026-03-02', state: pendingOrderRow('1', 100n, '2026-03-02').state },
      { order_id: '3', date: '2026-03-03', state: pendingOrderRow('3', 300n, '2026-03-03').state },
    ]);
  });

  it('refuses a statement of entry links when one names an event the ledger does not hold, keeping none of them', async () => {
    const q = queryBuilder(store);
    await store.unitOfWork((tx) => insertNewEvents(tx, [event('e:1')], { runId: 'run:1', now }));
    const links = q.insertInto('entry_events').values([
      { event_id: 'e:1', entry_id: 'je:none' },
      { event_id: 'e:missing', entry_id: 'je:none' },
    ]);
    await expect(store.unitOfWork((tx) => tx.run(links))).rejects.toThrow(/foreign key/i);
    expect(await store.all(q.selectFrom('entry_events').selectAll())).toEqual([]);
  });
});
