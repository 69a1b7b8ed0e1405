import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { InvariantViolation, LedgerIntegrityError } from '../../../../src/errors.js';
import type { Ledger } from '../../../../src/ledger/index.js';
import type { BackfillBooksReads } from '../../../../src/pipeline/backfill/books/backfill-books.js';
import type { SyncBooks } from '../../../../src/pipeline/sync/books/sync-books.js';
import type { OrderLedgerState } from '../../../../src/kinds/panel/rules/order-ledger-state.js';
import { finding, type JournalEntry, type SourceEvent } from '../../../../src/rules/index.js';
import { collect, openBooks, type Books } from '../../../support/books.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../../support/ledger-engines.js';
import { syncBooksInMemory } from '../../../support/sync-books-double.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { panelBooks, panelReads } from '../../../../src/kinds/panel/books/panel-books.js';
import { proxyBooks } from '../../../../src/kinds/panel/books/proxy-books-store.js';
import { runRecords } from '../../../../src/pipeline/runs/index.js';
import { landingBooks } from '../../../../src/pipeline/landing/index.js';
import { syncBooks } from '../../../../src/pipeline/sync/index.js';
import { backfillBooks } from '../../../../src/pipeline/backfill/index.js';

const tempDir = useTempDir('ledgerline-sync-books-');
const { fresh } = useLedgerEngines();
const opened: Books[] = [];
afterEach(async () => {
  for (const books of opened.splice(0)) await books.close();
});

/** What a spec plants beneath the port: on real books through the ports that write it, on the double through its seams. */
interface Subject {
  books: SyncBooks;
  /** The books' journal outside a unit. */
  ledger: Ledger;
  /** What a backfill's correction reads of the journal (correctDay). */
  dayReads: Pick<BackfillBooksReads, 'dayNetByAccount' | 'countEntriesWithIdPrefix'>;
  runWithSummary(summary: unknown): Promise<string>;
  delivery(row: { dedupeKey: string; receivedAt: string; status: 'stored' | 'invalid' }): Promise<bigint>;
  add(row: {
    requestId: string;
    receivedAt: string;
    answer?: { answeredAt: string; orderId: string | null };
  }): Promise<void>;
}

const SOURCE = 'smm-panel';
const body = (key: string) => `{"key":"${key}"}`;

/** The double and the store's adapter on each engine: one spec, so the double the unit tier uses cannot drift. */
const SUBJECTS: { name: string; open: () => Promise<Subject> }[] = [
  {
    name: 'the in-memory double',
    open: async () => {
      const books = syncBooksInMemory();
      let runs = 0;
      return {
        books,
        ledger: books.ledger,
        dayReads: books.journal,
        runWithSummary: async (summary) => {
          const runId = `run:${(runs += 1)}`;
          books.plantRunSummary(runId, summary);
          return runId;
        },
        delivery: async (row) =>
          books.plantDelivery({ sourceId: SOURCE, kind: 'panel', body: body(row.dedupeKey), note: null, ...row }),
        add: async (row) => books.plantAdd({ sourceId: SOURCE, ...row }),
      };
    },
  },
  ...LEDGER_ENGINES.map((engine) => ({
    name: engine,
    open: async (): Promise<Subject> => {
      const books = await openBooks((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
      opened.push(books);
      return {
        books: books.of(syncBooks),
        ledger: books.ledger,
        dayReads: books.of(backfillBooks),
        runWithSummary: async (summary) => {
          const now = new Date('2026-03-03T02:00:00Z');
          const runId = await books.of(runRecords).unit((tx) => tx.recordStart('sync', '2026-03-02', now));
          await books.of(runRecords).unit((tx) => tx.recordEnd(runId, { outcome: 'ok', summary, now }));
          return runId;
        },
        delivery: async (row) =>
          (
            await books
              .of(landingBooks)
              .unit((tx) =>
                tx.recordDelivery({ sourceId: SOURCE, kind: 'panel', body: body(row.dedupeKey), note: null, ...row }),
              )
          ).id,
        add: async ({ requestId, receivedAt, answer }) => {
          await books.of(proxyBooks).recordAddRequest({
            requestId,
            sourceId: SOURCE,
            service: '1',
            quantity: 100n,
            requestedAt: receivedAt,
            receivedAt,
            keptVia: 'ledger',
          });
          if (answer !== undefined)
            await books.of(proxyBooks).recordAddOutcome({
              requestId,
              outcome: answer.orderId === null ? 'not_placed' : 'placed',
              orderId: answer.orderId,
              httpStatus: 200,
              rawObservationId: null,
              detail: null,
              answeredAt: answer.answeredAt,
              keptVia: 'ledger',
            });
        },
      };
    },
  })),
];

const now = new Date('2026-03-03T02:30:00Z');
const charge = (order: string, date: string, micros: bigint): SourceEvent => ({
  id: `panel:${SOURCE}:order:${order}:charge:${date}`,
  sourceId: SOURCE,
  kind: 'order_charge',
  date,
  currency: 'USD',
  amountMicros: micros,
  ref: order,
  detail: { order, micros: String(micros) },
});
const entry = (id: string, eventIds: string[], micros: bigint, credit = -micros): JournalEntry => ({
  id,
  date: '2026-03-02',
  sourceId: SOURCE,
  description: 'SMM order charges',
  eventIds,
  lines: [
    { account: 'smm_services_expense', currency: 'USD', amountMicros: micros },
    { account: 'panel_prepaid', currency: 'USD', amountMicros: credit },
  ],
});
const orderState = (orderId: string, terminal: boolean, unknownSince?: string): OrderLedgerState => ({
  orderId,
  currency: 'USD',
  bookedNetMicros: 900_000n,
  firstChargeMicros: 900_000n,
  terminal,
  baseline: false,
  lastObservedOn: '2026-03-02',
  ...(unknownSince === undefined ? {} : { unknownSince }),
});
const order = (orderId: string, quantity: bigint | null = 100n) => ({
  orderId,
  service: '1',
  quantity,
  createdAt: '2026-03-01T10:00:00.000+00:00',
  discoveredVia: 'orders-file' as const,
});

describe.each(SUBJECTS)('the SyncBooks contract: $name', ({ open }) => {
  it('keeps each event once and reads back the events of a close that stopped before its journal', async () => {
    const { books } = await open();
    const [a, b, c] = [
      charge('1', '2026-03-01', 900_000n),
      charge('2', '2026-03-02', 1_800_000n),
      charge('3', '2026-03-02', 500_000n),
    ];
    const first = await books.unit((tx) => tx.recordNewEvents([a, b, a], { runId: 'run:1', now }));
    expect(first.map((event) => event.id)).toEqual([a.id, b.id]);
    expect(await books.unit((tx) => tx.recordNewEvents([b, c], { runId: 'run:2', now }))).toEqual([c]);
    expect(await books.hasEvent(a.id)).toBe(true);
    expect(await books.hasEvent('panel:smm-panel:order:9:charge:2026-03-02')).toBe(false);
    // Another run's events no entry holds, from a date on, in id order, without their detail.
    expect(await books.interruptedCloseEvents(SOURCE, { fromDate: undefined, runId: 'run:2' })).toEqual([
      { ...a, detail: {} },
      { ...b, detail: {} },
    ]);
    expect(await books.interruptedCloseEvents(SOURCE, { fromDate: '2026-03-02', runId: 'run:3' })).toEqual([
      { ...b, detail: {} },
      { ...c, detail: {} },
    ]);
    await books.unit((tx) =>
      tx.ledger.appendEntries([entry('je:smm-panel:2026-03-02', [b.id, c.id], 2_300_000n)], { runId: 'run:3', now }),
    );
    expect(await books.interruptedCloseEvents(SOURCE, { fromDate: undefined, runId: 'run:3' })).toEqual([
      { ...a, detail: {} },
    ]);
    expect(await books.interruptedCloseEvents('other-panel', { fromDate: undefined, runId: 'run:3' })).toEqual([]);
    expect(await books.entryIdsOn(SOURCE, ['2026-03-02', '2026-03-05'])).toEqual(new Set(['je:smm-panel:2026-03-02']));
    expect(await books.entryIdsOn(SOURCE, [])).toEqual(new Set());
  });

  it("books a unit's journal with its events; an unbalanced entry is refused and the unit keeps nothing", async () => {
    const { books, ledger } = await open();
    const event = charge('1', '2026-03-02', 900_000n);
    const booked = await books.unit(async (tx) => {
      await tx.recordNewEvents([event], { runId: 'run:1', now });
      return tx.ledger.appendEntries([entry('je:1', [event.id], 900_000n)], { runId: 'run:1', now });
    });
    expect(booked).toEqual(['appended']);
    expect(
      await books.unit((tx) => tx.ledger.appendEntries([entry('je:1', [event.id], 900_000n)], { runId: 'run:2', now })),
    ).toEqual(['unchanged']);
    const refusedEvent = charge('2', '2026-03-02', 1_000_000n);
    for (const bad of [entry('je:2', [refusedEvent.id], 1_000_000n, -999_999n), entry('je:1', [event.id], 800_000n)]) {
      await expect(
        books.unit(async (tx) => {
          await tx.recordNewEvents([refusedEvent], { runId: 'run:2', now });
          await tx.recordNewFindings(
            [finding({ kind: 'unknown_order', sourceId: SOURCE, date: '2026-03-02', ref: '2', message: 'x' })],
            now,
          );
          await tx.ledger.appendEntries([entry('je:3', [], 5_000n), bad], { runId: 'run:2', now });
        }),
      ).rejects.toBeInstanceOf(LedgerIntegrityError);
    }
    expect(await books.hasEvent(refusedEvent.id)).toBe(false);
    expect(await ledger.hasEntry('je:3')).toBe(false);
    expect(await ledger.accountBalances()).toEqual([
      { account: 'panel_prepaid', currency: 'USD', balanceMicros: -900_000n },
      { account: 'smm_services_expense', currency: 'USD', balanceMicros: 900_000n },
    ]);
    // The rendered cents and the exact lines, in book order, as the exports read them.
    await ledger.appendEntries([{ ...entry('je:0', [], 333_333n), date: '2026-03-01' }], { runId: 'run:4', now });
    expect(
      (await collect(ledger.renderedEntries())).map((rendered) => [
        rendered.id,
        rendered.lines.map((line) => line.cents),
      ]),
    ).toEqual([
      ['je:0', [33n, -33n]],
      ['je:1', [90n, -90n]],
    ]);
    expect((await collect(ledger.exactEntries({ from: '2026-03-02' }))).map((exact) => exact.id)).toEqual(['je:1']);
  });

  it("reads a day's net per account and currency and counts its entries by id prefix, as a backfill's correction does", async () => {
    const { ledger, dayReads } = await open();
    const on = (id: string, date: string, micros: bigint): JournalEntry => ({ ...entry(id, [], micros), date });
    await ledger.appendEntries(
      [
        on('je:smm-panel:2026-03-02', '2026-03-02', 900_000n),
        on('je:smm-panel:2026-03-02:replay:1', '2026-03-02', 100_000n),
        on('je:smm-panel:2026-03-03:replay:1', '2026-03-03', 50_000n),
        { ...on('je:other:2026-03-02:replay:1', '2026-03-02', 7n), sourceId: 'other-panel' },
        {
          ...on('je:smm-panel:2026-03-02:back', '2026-03-02', 1_000_000n),
          lines: [
            { account: 'smm_services_expense', currency: 'USD', amountMicros: -1_000_000n },
            { account: 'client_costs', currency: 'USD', amountMicros: 1_000_000n },
          ],
        },
      ],
      { runId: 'run:1', now },
    );
    const nets = (await dayReads.dayNetByAccount(SOURCE, '2026-03-02')).sort((a, b) =>
      a.account.localeCompare(b.account),
    );
    expect(nets).toEqual([
      { account: 'client_costs', currency: 'USD', netMicros: 1_000_000n },
      { account: 'panel_prepaid', currency: 'USD', netMicros: -1_000_000n },
      { account: 'smm_services_expense', currency: 'USD', netMicros: 0n },
    ]);
    expect(await dayReads.dayNetByAccount(SOURCE, '2026-03-04')).toEqual([]);
    expect(await dayReads.countEntriesWithIdPrefix(SOURCE, '2026-03-02', 'je:smm-panel:2026-03-02:replay:')).toBe(1);
    expect(await dayReads.countEntriesWithIdPrefix(SOURCE, '2026-03-02', 'je:smm-panel:2026-03-02')).toBe(3);
    expect(await dayReads.countEntriesWithIdPrefix(SOURCE, '2026-03-03', 'je:smm-panel:2026-03-02')).toBe(0);
  });

  it('a unit that throws keeps none of its findings, closes, states, orders or replies', async () => {
    const { books } = await open();
    const broken = new Error('the close failed');
    await expect(
      books.unit(async (tx) => {
        await tx.recordNewFindings(
          [finding({ kind: 'unknown_order', sourceId: SOURCE, date: '2026-03-02', ref: '1', message: 'x' })],
          now,
        );
        await tx.logClose({
          sourceId: SOURCE,
          date: '2026-03-02',
          runId: 'run:1',
          metric: 'balance',
          valueMicros: 5n,
          currency: 'USD',
          rawObservationId: undefined,
          now,
        });
        await tx.of(panelBooks).saveCarriedState(SOURCE, 'batchMode', 'batch', now);
        await tx.of(panelBooks).registerOrders(SOURCE, [order('1')], { firstSeenDate: '2026-03-02', now });
        throw broken;
      }),
    ).rejects.toBe(broken);
    expect(await books.latestClose(SOURCE)).toBeUndefined();
    expect(await books.of(panelReads).carriedState(SOURCE, 'batchMode', z.string())).toBeUndefined();
    expect(await books.of(panelReads).knownOrderIds(SOURCE, ['1'])).toEqual(new Set());
    expect(await books.of(panelReads).holdsOrders(SOURCE)).toBe(false);
    const again = finding({ kind: 'unknown_order', sourceId: SOURCE, date: '2026-03-02', ref: '1', message: 'x' });
    expect(await books.unit((tx) => tx.recordNewFindings([again, again], now))).toEqual([again]);
    expect(await books.unit((tx) => tx.recordNewFindings([again], now))).toEqual([]);
  });

  it('a tx kept past its unit refuses as a bug, its journal too, and writes nothing', async () => {
    const { books, ledger } = await open();
    const kept = await books.unit(async (tx) => tx);
    const event = charge('1', '2026-03-02', 900_000n);
    await expect(kept.recordNewEvents([event], { runId: 'run:1', now })).rejects.toBeInstanceOf(InvariantViolation);
    await expect(kept.hasEvent(event.id)).rejects.toBeInstanceOf(InvariantViolation);
    await expect(
      kept.ledger.appendEntries([entry('je:1', [], 900_000n)], { runId: 'run:1', now }),
    ).rejects.toBeInstanceOf(InvariantViolation);
    expect(await books.hasEvent(event.id)).toBe(false);
    expect(await ledger.hasEntry('je:1')).toBe(false);
  });

  it('logs closes and reads the latest date; keeps carried states and reads them back through their schemas', async () => {
    const { books } = await open();
    const close = (date: string, valueMicros: bigint) => ({
      sourceId: SOURCE,
      date,
      runId: `run:${date}`,
      metric: 'balance',
      valueMicros,
      currency: 'USD',
      rawObservationId: undefined,
      now,
    });
    await books.unit(async (tx) => {
      await tx.logClose(close('2026-03-02', 10n));
      await tx.logClose(close('2026-03-01', 8n));
      await tx.logClose(close('2026-03-02', 12n));
    });
    expect(await books.latestClose(SOURCE)).toBe('2026-03-02');
    expect(await books.latestClose('other-panel')).toBeUndefined();

    const balance = { openedOn: '2026-03-01', openFalls: [] };
    await books.unit(async (tx) => {
      const panel = tx.of(panelBooks);
      await panel.saveBalanceState(SOURCE, { date: '2026-03-02', balance }, now);
      await tx.saveCloseState(SOURCE, { cursor: 7n, seen: ['a'] }, now);
      await panel.saveCarriedState(SOURCE, 'batchMode', 'batch', now);
      await panel.saveCarriedState(SOURCE, 'batchMode', 'single', now);
    });
    expect(await books.of(panelReads).balanceState(SOURCE)).toEqual(balance);
    expect(await books.of(panelReads).balanceState('other-panel')).toBeUndefined();
    // Kept as stored JSON: a bigint comes back as its text, which the reader's schema takes.
    const closeState = z.object({ cursor: z.coerce.bigint(), seen: z.array(z.string()) });
    expect(await books.closeState(SOURCE, closeState)).toEqual({ cursor: 7n, seen: ['a'] });
    expect(await books.closeState(SOURCE, z.unknown())).toEqual({ cursor: '7', seen: ['a'] });
    expect(
      await books.of(panelReads).carriedStates(SOURCE, {
        batchMode: z.string(),
        repollRequested: z.array(z.string()),
        balance: z.unknown(),
      }),
    ).toEqual({
      batchMode: 'single',
      balance,
    });
    await expect(books.of(panelReads).carriedState(SOURCE, 'batchMode', z.number())).rejects.toBeInstanceOf(
      LedgerIntegrityError,
    );
  });

  it('registers orders on first sight and keeps the states closes observe', async () => {
    const { books } = await open();
    await books.unit((tx) =>
      tx.of(panelBooks).registerOrders(SOURCE, [order('1'), order('2', null)], { firstSeenDate: '2026-03-01', now }),
    );
    await books.unit(async (tx) => {
      await tx.of(panelBooks).registerOrders(SOURCE, [order('1', 999n)], { firstSeenDate: '2026-03-02', now });
      await tx.of(panelBooks).registerFoundOrders(
        SOURCE,
        [
          { order: order('3'), next: { orderId: '3', state: orderState('3', true), lastObservedDate: '2026-03-02' } },
          { order: order('4'), next: undefined },
          {
            order: order('2', 5n),
            next: { orderId: '2', state: orderState('2', false, '2026-03-02'), lastObservedDate: '2026-03-02' },
          },
        ],
        { firstSeenDate: '2026-03-02', now },
      );
      await tx
        .of(panelBooks)
        .saveOrderStates(
          SOURCE,
          [{ orderId: '1', state: orderState('1', false), lastObservedDate: '2026-03-02' }],
          now,
        );
    });
    expect(await books.of(panelReads).knownOrderIds(SOURCE, ['1', '2', '1', '9'])).toEqual(new Set(['1', '2']));
    expect(await books.of(panelReads).knownOrderIds('other-panel', ['1'])).toEqual(new Set());
    expect(await books.of(panelReads).holdsOrders(SOURCE)).toBe(true);
    expect(await books.of(panelReads).holdsOrders('other-panel')).toBe(false);
    const named = (await books.of(panelReads).ordersNamed(SOURCE, ['4', '2', '1', '3', '9'])).sort((a, b) =>
      a.orderId.localeCompare(b.orderId),
    );
    expect(named).toEqual([
      { orderId: '1', quantity: 100n, createdAt: '2026-03-01T10:00:00.000+00:00', state: orderState('1', false) },
      {
        orderId: '2',
        quantity: null,
        createdAt: '2026-03-01T10:00:00.000+00:00',
        state: orderState('2', false, '2026-03-02'),
      },
      { orderId: '3', quantity: 100n, createdAt: '2026-03-01T10:00:00.000+00:00', state: orderState('3', true) },
      { orderId: '4', quantity: 100n, createdAt: '2026-03-01T10:00:00.000+00:00', state: undefined },
    ]);
    const heads = (await collect(books.of(panelReads).openOrderHeads(SOURCE)))
      .flat()
      .sort((a, b) => a.orderId.localeCompare(b.orderId));
    expect(heads).toEqual([
      { orderId: '1', createdAt: '2026-03-01T10:00:00.000+00:00', unknownSince: null },
      { orderId: '2', createdAt: '2026-03-01T10:00:00.000+00:00', unknownSince: '2026-03-02' },
      { orderId: '4', createdAt: '2026-03-01T10:00:00.000+00:00', unknownSince: null },
    ]);
    expect(await collect(books.of(panelReads).openOrderHeads('other-panel'))).toEqual([]);
  });

  it('reads webhooks, marks them processed, lands replies, reads run summaries and the adds across a balance read', async () => {
    const subject = await open();
    const { books } = subject;
    const stored = await subject.delivery({ dedupeKey: 'a', receivedAt: '2026-03-02T10:00:00Z', status: 'stored' });
    await subject.delivery({ dedupeKey: 'b', receivedAt: '2026-03-02T11:00:00Z', status: 'invalid' });
    const later = await subject.delivery({ dedupeKey: 'c', receivedAt: '2026-03-03T09:00:00Z', status: 'stored' });
    await books.unit((tx) => tx.markWebhooksProcessed([stored]));
    expect(await collect(books.readableWebhooks(SOURCE, 'panel'))).toEqual([
      { id: stored, status: 'processed', receivedAt: '2026-03-02T10:00:00Z', body: body('a') },
      { id: later, status: 'stored', receivedAt: '2026-03-03T09:00:00Z', body: body('c') },
    ]);
    expect(await collect(books.readableWebhooks(SOURCE, 'panel', '2026-03-03'))).toHaveLength(1);

    const reply = {
      sourceId: SOURCE,
      action: 'balance',
      request: {},
      asOf: '2026-03-02',
      fetchedAt: '2026-03-03T01:00:00Z',
      httpStatus: 200,
      body: '{}',
      contentHash: 'sha256:00',
      runId: 'run:1',
    };
    const [first, second] = await books.unit(async (tx) => [
      await tx.landRawReply(reply),
      await tx.landRawReply(reply),
    ]);
    expect(BigInt(second!) > BigInt(first!)).toBe(true);

    const withSummary = await subject.runWithSummary({ booked: 3n });
    expect(await books.runSummaries([withSummary, 'run:missing'])).toEqual(new Map([[withSummary, { booked: '3' }]]));

    await subject.add({ requestId: 'r1', receivedAt: '2026-03-03T00:59:00.000Z' });
    await subject.add({
      requestId: 'r2',
      receivedAt: '2026-03-03T00:58:00.000Z',
      answer: { answeredAt: '2026-03-03T01:00:01.000Z', orderId: '7' },
    });
    await subject.add({
      requestId: 'r3',
      receivedAt: '2026-03-03T00:58:30.000Z',
      answer: { answeredAt: '2026-03-03T00:59:30.000Z', orderId: '8' },
    });
    await subject.add({ requestId: 'r4', receivedAt: '2026-03-03T00:40:00.000Z' });
    await subject.add({
      requestId: 'r5',
      receivedAt: '2026-03-03T01:00:05.000Z',
      answer: { answeredAt: '2026-03-03T01:00:06.000Z', orderId: null },
    });
    const read = { sentAt: '2026-03-03T01:00:00.000Z', arrivedAt: '2026-03-03T01:00:10.000Z', lookBackMs: 5 * 60_000 };
    expect(await books.of(panelReads).addsAcrossBalanceRead(SOURCE, read)).toEqual([
      { receivedAt: '2026-03-03T00:58:00.000Z', answered: true, orderId: '7' },
      { receivedAt: '2026-03-03T00:59:00.000Z', answered: false, orderId: null },
      { receivedAt: '2026-03-03T01:00:05.000Z', answered: true, orderId: null },
    ]);
  });
});
