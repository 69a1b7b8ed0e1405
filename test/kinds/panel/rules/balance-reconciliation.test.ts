import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerIntegrityError } from '../../../../src/errors.js';
import type { JournalEntry } from '../../../../src/rules/index.js';
import { journalize } from '../../../../src/rules/journalize.js';
import {
  reconcileBalance,
  roundingBoundMicros,
  type PanelBalanceState,
} from '../../../../src/kinds/panel/rules/balance-reconciliation.js';
import { orderEvents } from '../../../../src/kinds/panel/rules/order-events.js';
import type { OrderLedgerState } from '../../../../src/kinds/panel/rules/order-ledger-state.js';
import type { OrderStatusObservation } from '../../../../src/kinds/panel/rules/order-observation.js';
import type { Finding } from '../../../../src/rules/finding.js';
import { readMicros } from '../../../../src/money/index.js';
import { accountBalance, DEFAULT_CHART } from '../../../rules/default-chart.js';

const sourceId = 'smm-panel';
const close = (
  date: string,
  reportedMicros: bigint,
  ledgerBalanceMicros: bigint,
  rounding = { roundedFigures: 0, orderEvents: 0 },
) => ({
  sourceId,
  date,
  currency: 'USD',
  reportedMicros,
  ledgerBalanceMicros,
  ...rounding,
});

describe('panel balance reconciliation', () => {
  it('the first sync books the reported balance as the opening balance', () => {
    const result = reconcileBalance(undefined, close('2026-03-01', 100_842_920n, 0n));
    expect(result).toEqual({
      events: [
        {
          id: 'panel:smm-panel:opening_balance:2026-03-01',
          sourceId,
          kind: 'panel_opening_balance',
          date: '2026-03-01',
          currency: 'USD',
          amountMicros: 100_842_920n,
          ref: '2026-03-01',
          detail: { reportedBalance: '100.84292' },
        },
      ],
      findings: [],
      next: { openedOn: '2026-03-01', eventSequence: { date: '2026-03-01', count: 1 } },
    });
  });

  it('an empty panel at the first sync books nothing', () => {
    expect(reconcileBalance(undefined, close('2026-03-01', 0n, 0n))).toEqual({
      events: [],
      findings: [],
      next: { openedOn: '2026-03-01' },
    });
  });

  it('a rise the orders do not explain is a top-up, and is reported', () => {
    const opened: PanelBalanceState = { openedOn: '2026-03-01' };
    const { events, findings } = reconcileBalance(opened, close('2026-03-02', 140_000_000n, 90_000_000n));
    expect(events.map((event) => [event.id, event.kind, event.amountMicros, event.detail])).toEqual([
      [
        'panel:smm-panel:topup:2026-03-02',
        'panel_topup',
        50_000_000n,
        { reportedBalance: '140.00', ledgerBalance: '90.00' },
      ],
    ]);
    expect(findings.map((item) => [item.id, item.kind, item.amountMicros])).toEqual([
      ['finding:smm-panel:balance_rise:2026-03-02:2026-03-02', 'balance_rise', 50_000_000n],
    ]);
  });

  it('a fall the orders do not explain goes to suspense, and is reported', () => {
    const { events, findings } = reconcileBalance(
      { openedOn: '2026-03-01' },
      close('2026-03-02', 89_500_000n, 90_000_000n),
    );
    expect(events.map((event) => [event.kind, event.amountMicros])).toEqual([['panel_unexplained_fall', 500_000n]]);
    expect(findings.map((item) => [item.kind, item.amountMicros])).toEqual([['balance_fall', 500_000n]]);
  });

  it('a balance the ledger already explains books nothing', () => {
    expect(reconcileBalance({ openedOn: '2026-03-01' }, close('2026-03-02', 90_000_000n, 90_000_000n)).events).toEqual(
      [],
    );
  });

  it('a second move on a re-run of the same day gets its own id', () => {
    const first = reconcileBalance({ openedOn: '2026-03-01' }, close('2026-03-02', 140_000_000n, 90_000_000n));
    const second = reconcileBalance(first.next, close('2026-03-02', 150_000_000n, 140_000_000n));
    expect(second.events.map((event) => event.id)).toEqual(['panel:smm-panel:topup:2026-03-02:2']);
  });

  it('a panel that writes figures finer than a micro-unit: 1 µ of rounding within the bound is booked to rounding, not listed', () => {
    // The worked example of roundingBoundMicros: 100.0000000, two charges of 0.0000015 (read 0.000002 each), 99.9999970 reported.
    const opened = reconcileBalance(
      undefined,
      close('2026-03-01', 100_000_000n, 0n, { roundedFigures: 0, orderEvents: 0 }),
    ).next;
    const result = reconcileBalance(
      opened,
      close('2026-03-02', 99_999_997n, 99_999_996n, { roundedFigures: 2, orderEvents: 2 }),
    );
    expect(result).toEqual({
      events: [
        {
          id: 'panel:smm-panel:rounding:2026-03-02',
          sourceId,
          kind: 'panel_rounding_gain',
          date: '2026-03-02',
          currency: 'USD',
          amountMicros: 1n,
          ref: '2026-03-02',
          detail: { reportedBalance: '99.999997', ledgerBalance: '99.999996' },
        },
      ],
      findings: [],
      next: { openedOn: '2026-03-01', eventSequence: { date: '2026-03-02', count: 1 }, subMicroSince: '2026-03-02' },
    });
  });

  it('the rounding bound is 1 µ plus 1 µ per order event; a difference beyond it is a finding as before', () => {
    expect(roundingBoundMicros(0)).toBe(1n);
    expect(roundingBoundMicros(2)).toBe(3n);
    const state: PanelBalanceState = { openedOn: '2026-03-01', subMicroSince: '2026-03-01' };
    const loss = reconcileBalance(
      state,
      close('2026-03-02', 99_999_997n, 100_000_000n, { roundedFigures: 0, orderEvents: 2 }),
    );
    expect([loss.events.map((event) => [event.kind, event.amountMicros]), loss.findings]).toEqual([
      [['panel_rounding_loss', 3n]],
      [],
    ]);
    const beyond = reconcileBalance(
      state,
      close('2026-03-02', 99_999_996n, 100_000_000n, { roundedFigures: 0, orderEvents: 2 }),
    );
    expect(beyond.events.map((event) => [event.kind, event.amountMicros])).toEqual([['panel_unexplained_fall', 4n]]);
    expect(beyond.findings.map((item) => item.kind)).toEqual(['balance_fall']);
  });

  it('a panel that never wrote a figure finer than a micro-unit gets no tolerance: 1 µ is a finding', () => {
    const result = reconcileBalance(
      { openedOn: '2026-03-01' },
      close('2026-03-02', 90_000_001n, 90_000_000n, { roundedFigures: 0, orderEvents: 3 }),
    );
    expect(result.events.map((event) => [event.kind, event.amountMicros])).toEqual([['panel_topup', 1n]]);
    expect(result.next).toEqual({ openedOn: '2026-03-01', eventSequence: { date: '2026-03-02', count: 1 } });
  });

  it('refuses to open a balance on an account that already holds one', () => {
    expect(() => reconcileBalance(undefined, close('2026-03-01', 100_000_000n, 5_000_000n))).toThrow(
      LedgerIntegrityError,
    );
  });
});

describe('panel balance invariant', () => {
  const order = (
    orderId: string,
    statusRaw: string,
    chargeMicros: bigint,
    remainsRaw: string,
  ): OrderStatusObservation => ({
    kind: 'status',
    orderId,
    statusRaw,
    chargeMicros,
    remainsRaw,
    currency: 'USD',
  });

  /** One sync: order events, then the balance, both journalized, as the pipeline does. */
  function sync(
    books: { entries: JournalEntry[]; orders: Map<string, OrderLedgerState>; balance: PanelBalanceState | undefined },
    date: string,
    observations: readonly OrderStatusObservation[],
    reportedMicros: bigint,
    roundedFigures = 0,
  ): Finding[] {
    const isBaselineSync = books.balance === undefined;
    const orderEventsToday = observations.flatMap((observation) => {
      const result = orderEvents(books.orders.get(observation.orderId), observation, {
        sourceId,
        date,
        isBaselineSync,
        quantity: 1000n,
      });
      books.orders.set(observation.orderId, result.next);
      return result.events;
    });
    // The expected balance counts this close's order events before anything is stored…
    const orderEffect = accountBalance(
      journalize(orderEventsToday, DEFAULT_CHART, { granularity: 'event' }),
      'panel_prepaid',
    );
    const ledgerBalanceMicros = accountBalance(books.entries, 'panel_prepaid') + orderEffect;
    const balance = reconcileBalance(books.balance, {
      sourceId,
      date,
      currency: 'USD',
      reportedMicros,
      ledgerBalanceMicros,
      roundedFigures,
      orderEvents: orderEventsToday.length,
    });
    books.balance = balance.next;
    // …and the sync's events are journalized together: one entry per source and day (a revision on a re-run).
    const existingEntryIds = new Set(books.entries.map((entry) => entry.id));
    books.entries.push(
      ...journalize([...orderEventsToday, ...balance.events], DEFAULT_CHART, { granularity: 'day', existingEntryIds }),
    );
    return balance.findings;
  }

  it('after every sync of a worked month, panel_prepaid equals the reported balance and expense is right', () => {
    const books = {
      entries: [] as JournalEntry[],
      orders: new Map<string, OrderLedgerState>(),
      balance: undefined as PanelBalanceState | undefined,
    };
    // Baseline: 100.84292 on the panel, one order already running (its 0.90 is inside that balance).
    sync(books, '2026-03-01', [order('1', 'In progress', 900_000n, '500')], 100_842_920n);
    expect(accountBalance(books.entries, 'panel_prepaid')).toBe(100_842_920n);
    // A new order charged 2.00; the panel balance fell by exactly that.
    sync(
      books,
      '2026-03-02',
      [order('1', 'In progress', 900_000n, '300'), order('2', 'Pending', 2_000_000n, '1000')],
      98_842_920n,
    );
    expect(accountBalance(books.entries, 'panel_prepaid')).toBe(98_842_920n);
    expect(books.entries.map((entry) => entry.id)).toEqual(['je:smm-panel:2026-03-01', 'je:smm-panel:2026-03-02']);
    // Order 1 ends Partial with 157 left (refund 0.14130 back to the balance) and a 50.00 top-up arrives.
    sync(
      books,
      '2026-03-03',
      [order('1', 'Partial', 900_000n, '157'), order('2', 'In progress', 2_000_000n, '600')],
      148_984_220n,
    );
    expect(accountBalance(books.entries, 'panel_prepaid')).toBe(148_984_220n);
    expect(accountBalance(books.entries, 'topup_clearing')).toBe(-50_000_000n);
    // A re-run of the same day finds 0.01 gone that no order explains.
    sync(books, '2026-03-03', [order('2', 'In progress', 2_000_000n, '600')], 148_974_220n);
    expect(accountBalance(books.entries, 'panel_prepaid')).toBe(148_974_220n);
    expect(accountBalance(books.entries, 'suspense')).toBe(10_000n);
    expect(books.entries.map((entry) => entry.id).slice(-2)).toEqual([
      'je:smm-panel:2026-03-03',
      'je:smm-panel:2026-03-03:r2',
    ]);
    // This period's expense: order 2's 2.00 less order 1's refund 0.14130 (its charge predates the books).
    expect(accountBalance(books.entries, 'smm_services_expense')).toBe(1_858_700n);
    expect(accountBalance(books.entries, 'opening_balance_equity')).toBe(-100_842_920n);
  });

  it('holds for any sequence of order moves and reported balances', () => {
    const day = fc.record({
      observations: fc.array(
        fc.record({
          orderId: fc.constantFrom('1', '2', '3'),
          statusRaw: fc.constantFrom('Pending', 'In progress', 'Partial', 'Completed', 'Canceled'),
          chargeMicros: fc.constantFrom(900_000n, 758_700n, 2_000_000n, 0n),
          remainsRaw: fc.constantFrom('0', '157', '1000', '+5'),
        }),
        { maxLength: 4 },
      ),
      reportedMicros: fc.bigInt({ min: 0n, max: 500_000_000n }),
      sameDay: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(day, { minLength: 1, maxLength: 8 }), (days) => {
        const books = {
          entries: [] as JournalEntry[],
          orders: new Map<string, OrderLedgerState>(),
          balance: undefined as PanelBalanceState | undefined,
        };
        let dayOfMonth = 1;
        for (const { observations, reportedMicros, sameDay } of days) {
          if (!sameDay) dayOfMonth += 1;
          const date = `2026-03-${String(dayOfMonth).padStart(2, '0')}`;
          sync(
            books,
            date,
            observations.map((fields) => ({ kind: 'status' as const, currency: 'USD', ...fields })),
            reportedMicros,
          );
          expect(accountBalance(books.entries, 'panel_prepaid')).toBe(reportedMicros);
        }
        expect(new Set(books.entries.map((entry) => entry.id)).size).toBe(books.entries.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a panel storing money as a DOUBLE: panel_prepaid equals the balance as carried after every close, and nothing is listed', () => {
    const books = {
      entries: [] as JournalEntry[],
      orders: new Map<string, OrderLedgerState>(),
      balance: undefined as PanelBalanceState | undefined,
    };
    const read = (text: string) => readMicros(text).micros;
    // Opening 100.3682311 (carried 100.368231).
    expect(sync(books, '2026-03-01', [], read('100.3682311'), 1)).toEqual([]);
    // Order 1 charged 0.0435789 (0.043579); 100.3682311 − 0.0435789 = 100.3246522 (100.324652).
    expect(
      sync(books, '2026-03-02', [order('1', 'Pending', read('0.0435789'), '1000')], read('100.3246522'), 2),
    ).toEqual([]);
    // Order 2 charged 1.2e-6 in exponent notation (0.000001); the balance 100.3246510 (100.324651).
    expect(sync(books, '2026-03-03', [order('2', 'Pending', read('1.2e-6'), '1000')], read('100.3246510'), 2)).toEqual(
      [],
    );
    // Order 1 Partial, charge lowered unrounded to 0.0435789 × 843 / 1000 = 0.0367370127; the refund 0.0068418873 back.
    expect(
      sync(books, '2026-03-04', [order('1', 'Partial', read('0.0367370127'), '157')], read('100.3314928873'), 2),
    ).toEqual([]);
    // Order 1's 0.036737 + order 2's 0.000001 booked: 100.368231 − 0.036738 = 100.331493 against 100.331493 carried.
    expect(accountBalance(books.entries, 'panel_prepaid')).toBe(100_331_493n);
    expect(accountBalance(books.entries, 'smm_services_expense')).toBe(36_738n);
    expect(accountBalance(books.entries, 'rounding')).toBe(0n);
  });

  it('holds for any sequence of DOUBLE charges, refunds and balances, within the rounding bound and with no finding', () => {
    const ten7 = 10_000_000n;
    const day = fc.array(
      fc.record({
        orderId: fc.constantFrom('1', '2', '3', '4'),
        action: fc.constantFrom('charge', 'cancel'),
        sevenths: fc.bigInt({ min: 1n, max: 9_999_999n }),
      }),
      {
        maxLength: 4,
      },
    );
    const seventhsText = (value: bigint) => `${value / ten7}.${String(value % ten7).padStart(7, '0')}`;
    fc.assert(
      fc.property(fc.array(day, { minLength: 1, maxLength: 8 }), (days) => {
        const books = {
          entries: [] as JournalEntry[],
          orders: new Map<string, OrderLedgerState>(),
          balance: undefined as PanelBalanceState | undefined,
        };
        const charged = new Map<string, bigint>();
        let balance = 1_000n * ten7 + 3n; // 1000.0000003, in ten-millionths
        sync(books, '2026-03-01', [], readMicros(seventhsText(balance)).micros, 1);
        days.forEach((moves, index) => {
          const date = `2026-03-${String(index + 2).padStart(2, '0')}`;
          const observations = new Map<string, OrderStatusObservation>();
          for (const move of moves) {
            if (observations.has(move.orderId) || (move.action === 'cancel' && !charged.has(move.orderId))) continue;
            if (move.action === 'charge' && !charged.has(move.orderId)) {
              charged.set(move.orderId, move.sevenths);
              balance -= move.sevenths;
              observations.set(
                move.orderId,
                order(move.orderId, 'Pending', readMicros(seventhsText(move.sevenths)).micros, '1000'),
              );
            } else if (move.action === 'cancel') {
              balance += charged.get(move.orderId)!;
              charged.delete(move.orderId);
              observations.set(move.orderId, order(move.orderId, 'Canceled', 0n, '1000'));
            }
          }
          const findings = sync(books, date, [...observations.values()], readMicros(seventhsText(balance)).micros, 1);
          expect(findings).toEqual([]);
          expect(accountBalance(books.entries, 'panel_prepaid')).toBe(readMicros(seventhsText(balance)).micros);
        });
      }),
      { numRuns: 300 },
    );
  });
});
