import { describe, expect, it } from 'vitest';
import type { OrderObservation } from '../../../../src/kinds/panel/rules/order-observation.js';
import {
  panelReplayResult,
  replayPanelClose,
  startPanelReplay,
  type PanelReplayInput,
  type PanelReplayResult,
  type ReplayedPanelClose,
} from '../../../../src/kinds/panel/rules/panel-replay.js';
import { DEFAULT_CHART } from '../../../rules/default-chart.js';

const status = (orderId: string, statusRaw: string, chargeMicros: bigint): OrderObservation => ({
  kind: 'status',
  orderId,
  statusRaw,
  chargeMicros,
  remainsRaw: undefined,
  currency: 'USD',
});

/** A close whose stored balance reply still reads what the books count from. */
function close(
  closeId: bigint,
  date: string,
  balanceMicros: bigint,
  observations: OrderObservation[],
): ReplayedPanelClose {
  return {
    closeId,
    date,
    currency: 'USD',
    bookedBalanceMicros: balanceMicros,
    reportedBalanceMicros: balanceMicros,
    roundedFigures: 0,
    observations,
  };
}

/** Folds the closes in order, as src/pipeline/backfill/replay-panel.ts does once it has read each one. */
function fold(
  input: PanelReplayInput,
  closes: readonly ReplayedPanelClose[],
  bookedInWindow: ReadonlyMap<string, ReadonlyMap<string, bigint>>,
): PanelReplayResult {
  const replay = startPanelReplay();
  for (const each of closes) replayPanelClose(replay, input, each);
  return panelReplayResult(replay, bookedInWindow);
}

const input = (booksBeforeWindow: PanelReplayInput['booksBeforeWindow']): PanelReplayInput => ({
  sourceId: 'smm-panel',
  chart: DEFAULT_CHART,
  from: '2026-03-02',
  placedOn: () => undefined,
  quantityOf: () => 1000n,
  booksBeforeWindow,
});

const summary = (events: readonly { kind: string; ref: string; amountMicros: bigint }[] | undefined) =>
  (events ?? []).map((event) => [event.kind, event.ref, event.amountMicros]);

describe('the panel replay fold: worked examples', () => {
  it("a day re-read with one order's charge changed gives one correcting amount for that order", () => {
    // March 1st: the baseline, 10.00 opening balance. March 2nd (the window): on the night 23501 was booked at 1.00
    // and 23502 at 0.50; today's reader reads 23501's charge as 0.90. 10.00 − 0.90 − 0.50 = 8.60, the reported
    // balance, so nothing else moves. Correction for 23501: 0.90 re-derived − 1.00 booked = −0.10; 23502: 0.
    const result = fold(
      input({ prepaidMicros: 10_000_000n, orderNetMicros: new Map() }),
      [
        close(1n, '2026-03-01', 10_000_000n, []),
        close(2n, '2026-03-02', 8_600_000n, [
          status('23501', 'Pending', 900_000n),
          status('23502', 'Pending', 500_000n),
        ]),
      ],
      new Map([
        [
          '2026-03-02',
          new Map([
            ['23501', 1_000_000n],
            ['23502', 500_000n],
          ]),
        ],
      ]),
    );
    expect(result.orderCorrections).toEqual([{ orderId: '23501', date: '2026-03-02', amountMicros: -100_000n }]);
    expect(summary(result.days.get('2026-03-02'))).toEqual([
      ['order_charge', '23501', 900_000n],
      ['order_charge', '23502', 500_000n],
    ]);
    expect([...result.days.keys()]).toEqual(['2026-03-02']);
    expect([result.closesInWindow, result.rereads]).toEqual([1, []]);
    expect([...result.orderStates.keys()]).toEqual(['23501', '23502']);
  });

  it('an order charged before the window starts from what the books hold: its cancellation refunds the 1.00 booked, not the 0.90 re-read', () => {
    // Feb 28th baseline (10.00); March 1st, before the window, 23501 re-reads at 0.90 but the books hold 1.00 and
    // panel_prepaid 9.00. March 2nd it is cancelled: refund 1.00, prepaid 9.00 + 1.00 = 10.00 as reported.
    // The night booked the same refund, so there is nothing to correct.
    const result = fold(
      input({ prepaidMicros: 9_000_000n, orderNetMicros: new Map([['23501', 1_000_000n]]) }),
      [
        close(1n, '2026-02-28', 10_000_000n, []),
        close(2n, '2026-03-01', 9_100_000n, [status('23501', 'Pending', 900_000n)]),
        close(3n, '2026-03-02', 10_000_000n, [status('23501', 'Canceled', 900_000n)]),
      ],
      new Map([['2026-03-02', new Map([['23501', -1_000_000n]])]]),
    );
    expect(summary(result.days.get('2026-03-02'))).toEqual([['order_refund', '23501', 1_000_000n]]);
    expect(result.orderCorrections).toEqual([]);
    expect(result.orderStates.get('23501')).toMatchObject({ bookedNetMicros: 0n, terminal: true });
  });

  it('a balance the stored reply now reads differently is reported as a re-read', () => {
    // Booked 10.00 at the baseline's close in the window; today's reader says 10.01.
    const reread = { ...close(7n, '2026-03-02', 10_000_000n, []), reportedBalanceMicros: 10_010_000n };
    const result = fold(input({ prepaidMicros: 0n, orderNetMicros: new Map() }), [reread], new Map());
    expect(result.rereads).toEqual([
      { closeId: 7n, date: '2026-03-02', bookedMicros: 10_000_000n, rereadMicros: 10_010_000n },
    ]);
  });
});
