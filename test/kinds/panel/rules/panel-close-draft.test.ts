import { describe, expect, it } from 'vitest';
import type { OpenFall } from '../../../../src/kinds/panel/rules/balance-reconciliation.js';
import type { OrderLedgerState } from '../../../../src/kinds/panel/rules/order-ledger-state.js';
import type { OrderObservation } from '../../../../src/kinds/panel/rules/order-observation.js';
import {
  PanelCloseDraft,
  panelCloseEvents,
  type OrdersBeforeClose,
  type PanelCloseStart,
} from '../../../../src/kinds/panel/rules/panel-close-draft.js';
import type { SourceEvent } from '../../../../src/rules/source-event.js';
import { accountBalance, DEFAULT_CHART } from '../../../rules/default-chart.js';

const sourceId = 'smm-panel';
const fallOf0303: OpenFall = {
  date: '2026-03-03',
  findingId: 'finding:smm-panel:balance_fall:2026-03-03:2026-03-03',
  currency: 'USD',
  remainingMicros: 180_000n,
};

/** Order 400: 1000 units charged 1.00 on 03-01, booked at 1.00, in progress since. */
const order400: OrderLedgerState = {
  orderId: '400',
  currency: 'USD',
  bookedNetMicros: 1_000_000n,
  firstChargeMicros: 1_000_000n,
  statusNormalized: 'open',
  statusRaw: 'In progress',
  terminal: false,
  baseline: false,
  lastObservedOn: '2026-03-01',
};

function start(fields: Partial<PanelCloseStart> = {}): PanelCloseStart {
  return {
    sourceId,
    date: '2026-03-05',
    chart: DEFAULT_CHART,
    granularity: 'day',
    isBaselineSync: false,
    openFalls: [],
    interruptedEvents: [],
    ...fields,
  };
}

function status(orderId: string, statusRaw: string, chargeMicros: bigint, remainsRaw?: string): OrderObservation {
  return { kind: 'status', orderId, statusRaw, chargeMicros, remainsRaw, currency: 'USD' };
}

/** What the ledger held before the close: order 400 and its 1000 units; 502 was placed on 03-03, the others on 03-05. */
const before: OrdersBeforeClose = {
  stateOf: (orderId) => (orderId === '400' ? order400 : undefined),
  quantityOf: (orderId) => (orderId === '400' ? 1000n : undefined),
  placedOn: (orderId) => (orderId === '502' ? '2026-03-03' : '2026-03-05'),
};

const summary = (events: readonly SourceEvent[]) => events.map((event) => [event.kind, event.ref, event.amountMicros]);

/** Drafts the close as the nightly sync does: each chunk's events all new to the ledger. */
function draftInChunks(draft: PanelCloseDraft, chunks: readonly OrderObservation[][]): SourceEvent[][] {
  return chunks.map((chunk) => {
    const { events } = draft.orders(chunk, before);
    draft.journalize(events);
    return events;
  });
}

describe('a panel close drafted a chunk at a time: worked examples', () => {
  it('charges, a pro-rata refund, a late order explaining an open fall, and a top-up: panel_prepaid 100.00 ends at the reported 149.71', () => {
    const draft = new PanelCloseDraft(start({ openFalls: [fallOf0303] }));
    const [first, second] = draftInChunks(draft, [
      [status('501', 'Pending', 360_000n)],
      [status('502', 'In progress', 180_000n), status('400', 'Partial', 1_000_000n, '250')],
    ]);
    // 501 is charged 0.36; 502 is charged 0.18; 400 keeps 750 of 1000 units: net 0.75, refund 1.00 − 0.75 = 0.25.
    expect(summary(first!)).toEqual([['order_charge', '501', 360_000n]]);
    expect(summary(second!)).toEqual([
      ['order_charge', '502', 180_000n],
      ['order_refund', '400', 250_000n],
    ]);

    // Orders: 100.00 − 0.36 − 0.18 + 0.25 = 99.71; 502, placed on 03-03, explains the fall of 0.18: 99.89; 149.71 − 99.89 = 49.82 topped up.
    const balance = draft.balance({
      currency: 'USD',
      previousBalance: { openedOn: '2026-03-01', openFalls: [fallOf0303] },
      prepaidBeforeMicros: 100_000_000n,
      reportedBalanceMicros: 149_710_000n,
      roundedFigures: 0,
    });
    expect(summary(balance.events)).toEqual([
      ['panel_fall_explained', '502', 180_000n],
      ['panel_topup', '2026-03-05', 49_820_000n],
    ]);
    expect(balance.explanations).toEqual([
      {
        findingId: fallOf0303.findingId,
        fallDate: '2026-03-03',
        orderId: '502',
        currency: 'USD',
        amountMicros: 180_000n,
      },
    ]);
    expect(balance.findings.map((found) => [found.kind, found.amountMicros])).toEqual([['balance_rise', 49_820_000n]]);
    expect(balance.nextBalance.openFalls).toBeUndefined();
    expect(balance.prepaidAfterMicros).toBe(149_710_000n);

    draft.journalize(balance.events);
    const entries = draft.journal.entries(new Set());
    expect(entries.map((entry) => entry.id)).toEqual(['je:smm-panel:2026-03-05']);
    // panel_prepaid moves by −0.36 − 0.18 + 0.25 + 0.18 + 49.82 = +49.71; suspense is cleared by the 0.18 explained.
    expect(accountBalance(entries, 'panel_prepaid')).toBe(49_710_000n);
    expect(accountBalance(entries, 'suspense')).toBe(-180_000n);
    expect(accountBalance(entries, 'smm_services_expense')).toBe(290_000n);
  });

  it('a fall the orders do not explain: 100.00 − 0.36 − 0.18 = 99.46 explained, 99.00 reported, 0.46 to suspense and left open', () => {
    const draft = new PanelCloseDraft(start());
    draftInChunks(draft, [[status('501', 'Pending', 360_000n), status('503', 'Pending', 180_000n)]]);
    const balance = draft.balance({
      currency: 'USD',
      previousBalance: { openedOn: '2026-03-01' },
      prepaidBeforeMicros: 100_000_000n,
      reportedBalanceMicros: 99_000_000n,
      roundedFigures: 0,
    });
    expect(summary(balance.events)).toEqual([['panel_unexplained_fall', '2026-03-05', 460_000n]]);
    const [fall] = balance.findings;
    expect([fall?.kind, fall?.amountMicros]).toEqual(['balance_fall', 460_000n]);
    expect(balance.nextBalance.openFalls).toEqual([
      { date: '2026-03-05', findingId: fall?.id, currency: 'USD', remainingMicros: 460_000n },
    ]);
    expect(balance.prepaidAfterMicros).toBe(99_000_000n);
  });

  it("the baseline close books its orders' charges as inside the opening balance: only panel_opening_balance 100.00", () => {
    const draft = new PanelCloseDraft(start({ isBaselineSync: true }));
    const [events] = draftInChunks(draft, [[status('501', 'Pending', 360_000n), status('503', 'Pending', 180_000n)]]);
    expect(events).toEqual([]);
    const balance = draft.balance({
      currency: 'USD',
      previousBalance: undefined,
      prepaidBeforeMicros: 0n,
      reportedBalanceMicros: 100_000_000n,
      roundedFigures: 0,
    });
    expect(summary(balance.events)).toEqual([['panel_opening_balance', '2026-03-05', 100_000_000n]]);
    expect(balance.prepaidAfterMicros).toBe(100_000_000n);
  });

  it('an event the ledger already held is not journalized again, so it does not move the balance step twice', () => {
    // The 0.36 charge of 501 was stored and booked before: panel_prepaid 99.64 already holds it, and the panel reports 99.64.
    const draft = new PanelCloseDraft(start());
    const { events } = draft.orders([status('501', 'Pending', 360_000n)], before);
    expect(summary(events)).toEqual([['order_charge', '501', 360_000n]]);
    draft.journalize([]);
    const balance = draft.balance({
      currency: 'USD',
      previousBalance: { openedOn: '2026-03-01' },
      prepaidBeforeMicros: 99_640_000n,
      reportedBalanceMicros: 99_640_000n,
      roundedFigures: 0,
    });
    expect(balance.events).toEqual([]);
    expect(draft.journal.eventCount).toBe(0);
  });
});

describe('a close that resumes an interrupted one', () => {
  it("journalizes the interrupted close's events with its own in polling order (9, 23502, 23510) and counts them against the balance", () => {
    const interrupted: SourceEvent = {
      id: 'panel:smm-panel:order:23510:2026-03-05:charge',
      sourceId,
      kind: 'order_charge',
      date: '2026-03-05',
      currency: 'USD',
      amountMicros: 500_000n,
      ref: '23510',
      detail: { charge: '0.50' },
    };
    const draft = new PanelCloseDraft(start({ interruptedEvents: [interrupted] }));
    const [events] = draftInChunks(draft, [[status('9', 'Pending', 100_000n), status('23502', 'Pending', 200_000n)]]);
    // 10.00 − 0.10 − 0.20 − 0.50 (the interrupted close's charge, stored but never journalized) = 9.20, as reported: nothing more.
    const balance = draft.balance({
      currency: 'USD',
      previousBalance: { openedOn: '2026-03-01' },
      prepaidBeforeMicros: 10_000_000n,
      reportedBalanceMicros: 9_200_000n,
      roundedFigures: 0,
    });
    expect(balance.events).toEqual([]);
    const [entry] = draft.journal.entries(new Set());
    expect(entry?.eventIds).toEqual([events![0]!.id, events![1]!.id, interrupted.id]);
    expect(accountBalance([entry!], 'smm_services_expense')).toBe(800_000n);
  });
});

describe('the replay drafts through the same draft', () => {
  it('a close drafted in two chunks books what panelCloseEvents books for the whole close, late explanation included', () => {
    const observations = [
      status('501', 'Pending', 360_000n),
      status('502', 'In progress', 180_000n),
      status('400', 'Partial', 1_000_000n, '250'),
    ];
    const previousBalance = { openedOn: '2026-03-01', openFalls: [fallOf0303] };
    const figures = {
      currency: 'USD',
      previousBalance,
      prepaidBeforeMicros: 100_000_000n,
      reportedBalanceMicros: 149_710_000n,
      roundedFigures: 0,
    };
    const whole = panelCloseEvents({ ...start(), ...before, ...figures, observations });

    const draft = new PanelCloseDraft(start({ openFalls: previousBalance.openFalls }));
    const chunks = [observations.slice(0, 2), observations.slice(2)];
    const nextStates = new Map<string, OrderLedgerState>();
    const events: SourceEvent[] = [];
    const findings = [];
    for (const chunk of chunks) {
      const drafted = draft.orders(chunk, before);
      draft.journalize(drafted.events);
      events.push(...drafted.events);
      findings.push(...drafted.findings);
      for (const [orderId, state] of drafted.nextStates) nextStates.set(orderId, state);
    }
    const balance = draft.balance(figures);
    expect([...events, ...balance.events]).toEqual(whole.events);
    expect([...findings, ...balance.findings]).toEqual(whole.findings);
    expect(nextStates).toEqual(whole.nextStates);
    expect(balance.nextBalance).toEqual(whole.nextBalance);
    expect(balance.prepaidAfterMicros).toBe(whole.prepaidAfterMicros);
    expect(balance.explanations).toEqual(whole.explanations);
  });
});

describe('a close with orders in flight at its balance read (panelCloseEvents, as a replay drafts it)', () => {
  const input = (reportedBalanceMicros: bigint) => ({
    ...before,
    sourceId,
    date: '2026-03-05',
    chart: DEFAULT_CHART,
    isBaselineSync: false,
    currency: 'USD',
    previousBalance: { openedOn: '2026-03-01', ordersInFlight: ['77'] },
    prepaidBeforeMicros: 8_560_000n,
    reportedBalanceMicros,
    roundedFigures: 0,
    observations: [status('501', 'Pending', 360_000n), status('601', 'Pending', 1_800_000n)],
    ordersInFlight: ['601'],
  });

  it('8.56 prepaid, 501 charged 0.36, 601 (1.80) in flight: a report of 6.40 holds 601, booked tonight with nothing unexplained', () => {
    const closed = panelCloseEvents(input(6_400_000n));
    expect(summary(closed.events)).toEqual([
      ['order_charge', '501', 360_000n],
      ['order_charge', '601', 1_800_000n],
    ]);
    expect([closed.findings, closed.prepaidAfterMicros, [...closed.nextStates.keys()]]).toEqual([
      [],
      6_400_000n,
      ['501', '601'],
    ]);
    // The previous close's orders in flight are its own; this close keeps its own.
    expect(closed.nextBalance.ordersInFlight).toEqual(['601']);
  });

  it('a report of 8.20 does not hold 601: it is left unobserved for the next close, and still nothing is a finding', () => {
    const closed = panelCloseEvents(input(8_200_000n));
    expect(summary(closed.events)).toEqual([['order_charge', '501', 360_000n]]);
    expect([closed.findings, closed.prepaidAfterMicros, [...closed.nextStates.keys()]]).toEqual([
      [],
      8_200_000n,
      ['501'],
    ]);
  });
});
