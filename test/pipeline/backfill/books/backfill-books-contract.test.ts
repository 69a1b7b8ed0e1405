import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackfillBooks } from '../../../../src/pipeline/backfill/books/backfill-books.js';
import type { SyncBooks } from '../../../../src/pipeline/sync/books/sync-books.js';
import type { OrderLedgerState } from '../../../../src/kinds/panel/rules/order-ledger-state.js';
import type { SourceEvent } from '../../../../src/rules/index.js';
import { backfillBooksInMemory } from '../../../support/backfill-books-double.js';
import { openBooks, type Books } from '../../../support/books.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../../support/ledger-engines.js';
import { syncBooksInMemory } from '../../../support/sync-books-double.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { panelBooks, panelReads, type OrderFacts } from '../../../../src/kinds/panel/books/panel-books.js';
import { syncBooks } from '../../../../src/pipeline/sync/index.js';
import { backfillBooks } from '../../../../src/pipeline/backfill/index.js';

const tempDir = useTempDir('ledgerline-backfill-books-');
const { fresh } = useLedgerEngines();
const opened: Books[] = [];
afterEach(async () => {
  for (const books of opened.splice(0)) await books.close();
});

/** The double and the store's adapter on each engine: one spec, so the double the unit tier uses cannot drift. */
const SUBJECTS: { name: string; open: () => Promise<{ sync: SyncBooks; backfill: BackfillBooks }> }[] = [
  {
    name: 'the in-memory double',
    open: async () => {
      const sync = syncBooksInMemory();
      return { sync, backfill: backfillBooksInMemory(sync) };
    },
  },
  ...LEDGER_ENGINES.map((engine) => ({
    name: engine,
    open: async () => {
      const books = await openBooks((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
      opened.push(books);
      return { sync: books.of(syncBooks), backfill: books.of(backfillBooks) };
    },
  })),
];

const SOURCE = 'smm-panel';
const now = new Date('2026-03-05T02:30:00Z');
const close = (date: string, runId: string, valueMicros: bigint, rawObservationId?: bigint | number) => ({
  sourceId: SOURCE,
  date,
  runId,
  metric: 'balance',
  valueMicros,
  currency: 'USD',
  rawObservationId,
  now,
});
const reply = (runId: string, params: Record<string, string>, sourceId = SOURCE) => ({
  sourceId,
  action: 'status',
  request: { method: 'POST', path: '/api/v2', params },
  asOf: '2026-03-02',
  fetchedAt: '2026-03-03T01:00:00Z',
  httpStatus: 200,
  body: JSON.stringify(params),
  contentHash: 'sha256:00',
  runId,
});
const state = (orderId: string, bookedNetMicros: bigint, lastObservedOn: string): OrderLedgerState => ({
  orderId,
  currency: 'USD',
  bookedNetMicros,
  terminal: false,
  baseline: false,
  lastObservedOn,
});
const order = (orderId: string, quantity: bigint | null, createdAt: string | null) => ({
  orderId,
  service: '1',
  quantity,
  createdAt,
  discoveredVia: 'orders-file' as const,
});
const event = (kind: 'order_charge' | 'order_refund', orderId: string, date: string, micros: bigint): SourceEvent => ({
  id: `panel:${SOURCE}:order:${orderId}:${kind}:${date}`,
  sourceId: SOURCE,
  kind,
  date,
  currency: 'USD',
  amountMicros: micros,
  ref: orderId,
  detail: {},
});

describe.each(SUBJECTS)('the BackfillBooks contract: $name', ({ open }) => {
  it('reads the close log by day, then in commit order (a history day committed after a later close comes first), with the figures replays re-read, and each close run’s replies', async () => {
    const { sync, backfill } = await open();
    const ids = await sync.unit(async (tx) => [
      await tx.landRawReply(reply('run:1', { action: 'balance' })),
      await tx.landRawReply(reply('run:2', { action: 'status', orders: '1,2' })),
      await tx.landRawReply(reply('run:2', { action: 'balance' })),
      await tx.landRawReply(reply('run:2', { action: 'balance' }, 'other-panel')),
    ]);
    await sync.unit(async (tx) => {
      await tx.logClose(close('2026-03-02', 'run:2', 90n, ids[2]));
      await tx.logClose(close('2026-03-01', 'run:1', 100n, ids[0]));
      await tx.logClose(close('2026-03-02', 'run:3', 80n));
      await tx.logClose(close('2026-03-03', 'run:4', 70n));
    });
    const logged = await backfill.loggedCloses(SOURCE, '2026-03-02');
    expect(logged.map(({ date, runId, valueMicros }) => [date, runId, valueMicros])).toEqual([
      ['2026-03-01', 'run:1', 100n],
      ['2026-03-02', 'run:2', 90n],
      ['2026-03-02', 'run:3', 80n],
    ]);
    await backfill.unit(async (tx) => {
      await tx.recordReread({ closeId: logged[1]!.closeId, valueMicros: 91n, runId: 'run:9', now });
      await tx.recordReread({ closeId: logged[1]!.closeId, valueMicros: 92n, runId: 'run:10', now });
    });
    expect((await backfill.loggedCloses(SOURCE, '2026-03-02'))[1]).toMatchObject({
      closeId: logged[1]!.closeId,
      valueMicros: 92n,
    });
    expect(await backfill.closeCount(SOURCE, { to: '2026-03-02' })).toBe(3);
    expect(await backfill.closeCount(SOURCE, { from: '2026-03-02', to: '2026-03-03' })).toBe(3);
    expect(await backfill.closeCount('other-panel', { to: '2026-03-03' })).toBe(0);
    expect(await backfill.latestClose(SOURCE)).toBe('2026-03-03');
    expect(await backfill.closeReplies(SOURCE, 'run:2')).toEqual([
      {
        id: BigInt(ids[1]!),
        action: 'status',
        params: { action: 'status', orders: '1,2' },
        httpStatus: 200,
        body: '{"action":"status","orders":"1,2"}',
      },
      {
        id: BigInt(ids[2]!),
        action: 'status',
        params: { action: 'balance' },
        httpStatus: 200,
        body: '{"action":"balance"}',
      },
    ]);
    expect(await backfill.closeReplies(SOURCE, 'run:9')).toEqual([]);
  });

  it("reads each order's state as it stood after a close, its facts and whether it reads back unchanged", async () => {
    const { sync, backfill } = await open();
    const seen = { firstSeenDate: '2026-03-01', now };
    await sync.unit(async (tx) => {
      await tx
        .of(panelBooks)
        .registerOrders(
          SOURCE,
          [order('1', 400n, '2026-02-28T23:10:00.000+00:00'), order('2', null, null), order('3', 5n, null)],
          seen,
        );
      await tx
        .of(panelBooks)
        .saveOrderStates(
          SOURCE,
          [{ orderId: '1', state: state('1', 900n, '2026-03-01'), lastObservedDate: '2026-03-01' }],
          now,
        );
    });
    await sync.unit((tx) =>
      tx
        .of(panelBooks)
        .saveOrderStates(
          SOURCE,
          [{ orderId: '1', state: state('1', 1_350n, '2026-03-03'), lastObservedDate: '2026-03-03' }],
          now,
        ),
    );
    await sync.unit((tx) =>
      tx.of(panelBooks).registerFoundOrders(
        SOURCE,
        [
          {
            order: order('2', 9n, null),
            next: { orderId: '2', state: state('2', 10n, '2026-03-02'), lastObservedDate: '2026-03-02' },
          },
        ],
        seen,
      ),
    );
    const asOf = async (date: string, ids?: string[]) =>
      Object.fromEntries(
        [...(await backfill.of(panelReads).orderStatesAsOf(SOURCE, date, ids))].map(([id, held]) => [
          id,
          held.bookedNetMicros,
        ]),
      );
    expect(await asOf('2026-02-28')).toEqual({});
    expect(await asOf('2026-03-01')).toEqual({ '1': 900n });
    expect(await asOf('2026-03-02')).toEqual({ '1': 900n, '2': 10n });
    expect(await asOf('2026-03-04')).toEqual({ '1': 1_350n, '2': 10n });
    expect(await asOf('2026-03-04', ['2', '9'])).toEqual({ '2': 10n });
    // A replay of an earlier date moves the later state aside and drops a kept state of its own date.
    await backfill.unit((tx) =>
      tx
        .of(panelBooks)
        .saveOrderStates(
          SOURCE,
          [{ orderId: '1', state: state('1', 950n, '2026-03-01'), lastObservedDate: '2026-03-01' }],
          now,
        ),
    );
    expect(await asOf('2026-03-01')).toEqual({ '1': 950n });
    expect(await asOf('2026-03-04')).toEqual({ '1': 1_350n, '2': 10n });

    const facts: OrderFacts = { quantities: new Map([['8', 1n]]), placingDates: new Map() };
    await backfill.of(panelReads).readOrderFacts(SOURCE, ['1', '2', '7'], facts);
    expect(facts).toEqual({
      quantities: new Map([
        ['8', 1n],
        ['1', 400n],
      ]),
      placingDates: new Map([['1', '2026-02-28']]),
    });
    const all = await backfill
      .of(panelReads)
      .readOrderFacts(SOURCE, undefined, { quantities: new Map(), placingDates: new Map() });
    expect(new Map([...all.quantities].sort())).toEqual(
      new Map([
        ['1', 400n],
        ['3', 5n],
      ]),
    );

    const held = await backfill.of(panelReads).orderState(SOURCE, '1');
    expect(held?.state).toEqual(state('1', 950n, '2026-03-01'));
    expect(held?.unchangedBy(state('1', 950n, '2026-03-01'))).toBe(true);
    expect(held?.unchangedBy(state('1', 951n, '2026-03-01'))).toBe(false);
    expect((await backfill.of(panelReads).orderState(SOURCE, '3'))?.state).toBeUndefined();
    expect(await backfill.of(panelReads).orderState(SOURCE, '9')).toBeUndefined();
  });

  it('reads the amounts booked per order with corrections, quarantines, balances by close and the staged state', async () => {
    const { sync, backfill } = await open();
    await sync.unit(async (tx) => {
      await tx.recordNewEvents(
        [
          event('order_charge', '1', '2026-03-01', 900n),
          event('order_refund', '1', '2026-03-02', 300n),
          event('order_charge', '2', '2026-03-03', 50n),
        ],
        { runId: 'run:1', now },
      );
      await tx.quarantine({ sourceId: SOURCE, itemRef: 'order 2', reason: 'unreadable', asOf: '2026-03-02' }, now);
      const panel = tx.of(panelBooks);
      await panel.saveBalanceState(SOURCE, { date: '2026-03-01', balance: { openedOn: '2026-03-01' } }, now);
      await panel.saveBalanceState(
        SOURCE,
        { date: '2026-03-02', balance: { openedOn: '2026-03-01', ordersInFlight: ['4'] } },
        now,
      );
    });
    await backfill.unit(async (tx) => {
      await tx
        .of(panelBooks)
        .recordOrderCorrections(SOURCE, [{ orderId: '1', date: '2026-03-02', amountMicros: -20n }], {
          entryId: undefined,
          runId: 'run:2',
          now,
        });
      await tx.saveCloseState(SOURCE, { cursor: 7n }, now);
    });
    const booked: string[] = [];
    await backfill
      .of(panelReads)
      .forEachBookedOrderAmount(SOURCE, { from: '2026-03-02', before: '2026-03-03' }, (date, orderId, micros) =>
        booked.push(`${date} ${orderId} ${micros}`),
      );
    expect(booked.sort()).toEqual(['2026-03-02 1 -20', '2026-03-02 1 -300']);
    const everything: string[] = [];
    await backfill
      .of(panelReads)
      .forEachBookedOrderAmount(SOURCE, { before: '2026-03-09' }, (date, orderId, micros) =>
        everything.push(`${date} ${orderId} ${micros}`),
      );
    expect(everything.sort()).toEqual(['2026-03-01 1 900', '2026-03-02 1 -20', '2026-03-02 1 -300', '2026-03-03 2 50']);
    expect(await backfill.of(panelReads).wasQuarantined(SOURCE, '2026-03-02', '2')).toBe(true);
    expect(await backfill.of(panelReads).wasQuarantined(SOURCE, '2026-03-03', '2')).toBe(false);
    expect(
      await backfill.of(panelReads).balanceStatesByClose(SOURCE, ['2026-03-02', '2026-03-05', '2026-03-02']),
    ).toEqual(new Map([['2026-03-02', { openedOn: '2026-03-01', ordersInFlight: ['4'] }]]));
    expect(await backfill.closeState(SOURCE, z.object({ cursor: z.coerce.bigint() }))).toEqual({ cursor: 7n });
    expect(await backfill.closeState('other-panel', z.unknown())).toBeUndefined();
    expect(await backfill.interruptedCloseDates(SOURCE, { fromDate: '2026-03-02', runId: 'run:9' })).toEqual([
      '2026-03-02',
      '2026-03-03',
    ]);

    const broken = new Error('the replay failed');
    await expect(
      backfill.unit(async (tx) => {
        await tx
          .of(panelBooks)
          .recordOrderCorrections(SOURCE, [{ orderId: '2', date: '2026-03-03', amountMicros: 5n }], {
            entryId: undefined,
            runId: 'run:3',
            now,
          });
        await tx.saveCloseState(SOURCE, { cursor: 8n }, now);
        throw broken;
      }),
    ).rejects.toBe(broken);
    expect(await backfill.closeState(SOURCE, z.object({ cursor: z.coerce.bigint() }))).toEqual({ cursor: 7n });
  });
});
