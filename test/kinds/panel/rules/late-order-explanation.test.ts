import { describe, expect, it } from 'vitest';
import {
  explainOpenFalls,
  lateChargesOf,
  type OpenFall,
} from '../../../../src/kinds/panel/rules/balance-reconciliation.js';
import { panelCloseEvents, type PanelCloseInput } from '../../../../src/kinds/panel/rules/panel-close-draft.js';
import { reconcileBalance } from '../../../../src/kinds/panel/rules/balance-reconciliation.js';
import { accountBalance, DEFAULT_CHART } from '../../../rules/default-chart.js';
import { journalize } from '../../../../src/rules/journalize.js';
import type { SourceEvent } from '../../../../src/rules/source-event.js';

const sourceId = 'smm-panel';
const fallOf0303: OpenFall = {
  date: '2026-03-03',
  findingId: 'finding:smm-panel:balance_fall:2026-03-03:2026-03-03',
  currency: 'USD',
  remainingMicros: 540_000n,
};

/** The night of 03-04 with the forgotten file: 23501 (0.30) and 23502 (0.24) were placed on 03-03 and are seen now, Completed. */
function nightOf0304(fields: Partial<PanelCloseInput> = {}): PanelCloseInput {
  return {
    sourceId,
    date: '2026-03-04',
    currency: 'USD',
    chart: DEFAULT_CHART,
    isBaselineSync: false,
    observations: [
      {
        kind: 'status',
        orderId: '23501',
        statusRaw: 'Completed',
        chargeMicros: 300_000n,
        remainsRaw: '0',
        currency: 'USD',
      },
      {
        kind: 'status',
        orderId: '23502',
        statusRaw: 'Completed',
        chargeMicros: 240_000n,
        remainsRaw: '0',
        currency: 'USD',
      },
    ],
    stateOf: () => undefined,
    quantityOf: () => 100n,
    placedOn: () => '2026-03-03',
    previousBalance: { openedOn: '2026-03-01', openFalls: [fallOf0303] },
    // 03-03 booked the fall: panel_prepaid already equals the balance, 9.46.
    prepaidBeforeMicros: 9_460_000n,
    reportedBalanceMicros: 9_460_000n,
    roundedFigures: 0,
    ...fields,
  };
}

const kinds = (events: readonly SourceEvent[]) => events.map((event) => [event.kind, event.ref, event.amountMicros]);

describe('late explanation of a balance fall', () => {
  it('the forgotten file: the fall of 0.54 is booked to suspense on 03-03 and remembered as open', () => {
    const reconciled = reconcileBalance(
      { openedOn: '2026-03-01' },
      {
        sourceId,
        date: '2026-03-03',
        currency: 'USD',
        reportedMicros: 9_460_000n,
        ledgerBalanceMicros: 10_000_000n,
        roundedFigures: 0,
        orderEvents: 0,
      },
    );
    expect(kinds(reconciled.events)).toEqual([['panel_unexplained_fall', '2026-03-03', 540_000n]]);
    expect(reconciled.next.openFalls).toEqual([fallOf0303]);
  });

  it('orders placed before the fall and learned on 03-04 clear suspense: Dr expense 0.54 / Cr suspense 0.54, no top-up', () => {
    const close = panelCloseEvents(nightOf0304());
    expect(kinds(close.events)).toEqual([
      ['order_charge', '23501', 300_000n],
      ['order_charge', '23502', 240_000n],
      ['panel_fall_explained', '23501', 300_000n],
      ['panel_fall_explained', '23502', 240_000n],
    ]);
    expect(close.findings).toEqual([]);
    expect(close.explanations.map((part) => [part.orderId, part.amountMicros, part.fallDate])).toEqual([
      ['23501', 300_000n, '2026-03-03'],
      ['23502', 240_000n, '2026-03-03'],
    ]);
    expect(close.nextBalance.openFalls).toBeUndefined();
    expect(close.prepaidAfterMicros).toBe(9_460_000n);
    const entries = journalize(close.events, DEFAULT_CHART, { granularity: 'day' });
    // Suspense had 0.54 on the debit side; these credits bring it to 0. Nothing reaches topup_clearing.
    expect(accountBalance(entries, 'suspense')).toBe(-540_000n);
    expect(accountBalance(entries, 'smm_services_expense')).toBe(540_000n);
    expect(accountBalance(entries, 'panel_prepaid')).toBe(0n);
    expect(accountBalance(entries, 'topup_clearing')).toBe(0n);
    // Dated on the night that learned the orders, never on the fall's (maybe posted) day.
    expect(new Set(close.events.map((event) => event.date))).toEqual(new Set(['2026-03-04']));
  });

  it('one order found of two: 0.30 explained, 0.24 of the fall stays open with its amount', () => {
    const close = panelCloseEvents(
      nightOf0304({
        observations: [
          {
            kind: 'status',
            orderId: '23501',
            statusRaw: 'Completed',
            chargeMicros: 300_000n,
            remainsRaw: '0',
            currency: 'USD',
          },
        ],
      }),
    );
    expect(kinds(close.events)).toEqual([
      ['order_charge', '23501', 300_000n],
      ['panel_fall_explained', '23501', 300_000n],
    ]);
    expect(close.findings).toEqual([]);
    expect(close.nextBalance.openFalls).toEqual([{ ...fallOf0303, remainingMicros: 240_000n }]);
  });

  it('a charge larger than the fall explains the fall whole; the rest is booked through panel_prepaid as before', () => {
    // 23501 cost 0.80: 0.54 explains the fall; the other 0.26 was inside the balance through a top-up of 0.26 the 03-03 close netted away.
    const close = panelCloseEvents(
      nightOf0304({
        observations: [
          {
            kind: 'status',
            orderId: '23501',
            statusRaw: 'Completed',
            chargeMicros: 800_000n,
            remainsRaw: '0',
            currency: 'USD',
          },
        ],
      }),
    );
    expect(kinds(close.events)).toEqual([
      ['order_charge', '23501', 800_000n],
      ['panel_fall_explained', '23501', 540_000n],
      ['panel_topup', '2026-03-04', 260_000n],
    ]);
  });

  it('an order placed after the fall, or one the ledger had seen before, explains nothing', () => {
    const placedLater = panelCloseEvents(
      nightOf0304({ placedOn: () => '2026-03-04', reportedBalanceMicros: 8_920_000n }),
    );
    expect(placedLater.events.some((event) => event.kind === 'panel_fall_explained')).toBe(false);
    expect(placedLater.nextBalance.openFalls).toEqual([fallOf0303]);
    const unknownDate = panelCloseEvents(nightOf0304({ placedOn: () => undefined, reportedBalanceMicros: 8_920_000n }));
    expect(unknownDate.events.some((event) => event.kind === 'panel_fall_explained')).toBe(false);
  });

  it('an order canceled after the fall: what it was charged explains the fall, its refund is in tonight’s balance', () => {
    // 23501 charged 0.54 before the 03-03 read (the fall), canceled on 03-04: refund 0.54 is in the 03-04 balance (10.00).
    const close = panelCloseEvents(
      nightOf0304({
        observations: [
          {
            kind: 'status',
            orderId: '23501',
            statusRaw: 'Canceled',
            chargeMicros: 540_000n,
            remainsRaw: '100',
            currency: 'USD',
          },
        ],
        reportedBalanceMicros: 10_000_000n,
      }),
    );
    // Canceled at first sight books no charge or refund; what it was charged explains the fall, and the refund's rise is no top-up.
    expect(kinds(close.events)).toEqual([['panel_fall_explained', '23501', 540_000n]]);
    // The panel still reporting the charge of a canceled order is a finding of its own; no balance finding.
    expect(close.findings.map((found) => found.kind)).toEqual(['charge_while_voided']);
    expect(close.nextBalance.openFalls).toBeUndefined();
  });

  it('explains the oldest open fall first, and only falls on or after the order was placed', () => {
    const falls: OpenFall[] = [
      { date: '2026-03-01', findingId: 'f1', currency: 'USD', remainingMicros: 100_000n },
      { date: '2026-03-02', findingId: 'f2', currency: 'USD', remainingMicros: 200_000n },
      { date: '2026-03-03', findingId: 'f3', currency: 'USD', remainingMicros: 300_000n },
    ];
    const explained = explainOpenFalls(falls, [{ orderId: '9', placedOn: '2026-03-02', amountMicros: 400_000n }], {
      sourceId,
      date: '2026-03-04',
      currency: 'USD',
      eventSequence: undefined,
    });
    expect(explained.explanations.map((part) => [part.findingId, part.amountMicros])).toEqual([
      ['f2', 200_000n],
      ['f3', 200_000n],
    ]);
    expect(explained.openFalls).toEqual([falls[0], { ...falls[2], remainingMicros: 100_000n }]);
    expect(explained.events.map((event) => event.id)).toEqual([
      'panel:smm-panel:fall_explained:2026-03-04',
      'panel:smm-panel:fall_explained:2026-03-04:2',
    ]);
  });

  it('only orders first learned now and placed on or before an open fall are late, by their charge or, canceled, by the charge reported', () => {
    const event = (kind: SourceEvent['kind'], ref: string, amountMicros: bigint): SourceEvent => ({
      id: `${kind}:${ref}`,
      sourceId,
      kind,
      date: '2026-03-04',
      currency: 'USD',
      amountMicros,
      ref,
      detail: {},
    });
    const seen = (orderId: string, statusRaw: string, chargeMicros: bigint) => ({
      kind: 'status' as const,
      orderId,
      statusRaw,
      chargeMicros,
      remainsRaw: '0',
      currency: 'USD',
    });
    const observations = [
      seen('1', 'Completed', 10n),
      seen('2', 'Completed', 20n),
      seen('3', 'Completed', 30n),
      seen('4', 'Canceled', 40n),
    ];
    const events = [
      event('order_charge', '1', 10n),
      event('order_charge', '2', 20n),
      event('order_refund', '1', 5n),
      event('order_charge', '3', 30n),
    ];
    const placedOn = (orderId: string) => (orderId === '3' ? '2026-03-04' : '2026-03-03');
    expect(
      lateChargesOf(observations, events, { learnedNow: (orderId) => orderId !== '2', placedOn }, [fallOf0303]),
    ).toEqual([
      { orderId: '1', placedOn: '2026-03-03', amountMicros: 10n },
      { orderId: '4', placedOn: '2026-03-03', amountMicros: 40n },
    ]);
    expect(lateChargesOf(observations, events, { learnedNow: () => true, placedOn: () => '2026-03-01' }, [])).toEqual(
      [],
    );
  });
});
