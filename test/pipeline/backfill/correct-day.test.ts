import { describe, expect, it } from 'vitest';
import { PeriodClosedError } from '../../../src/errors.js';
import { Ledger } from '../../../src/ledger/index.js';
import { correctDay } from '../../../src/pipeline/backfill/correct-day.js';
import { bookClose } from '../../../src/pipeline/sync/sync-sources.js';
import { type EventRules, type SourceEvent, type TaxBook } from '../../../src/rules/index.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../../rules/default-chart.js';
import { syncBooksInMemory, type SyncBooksDouble } from '../../support/sync-books-double.js';

const now = new Date('2026-03-03T02:30:00Z');

const charge = (order: string, micros: bigint): SourceEvent => ({
  id: `panel:smm-panel:order:${order}:charge:2026-03-02`,
  sourceId: 'smm-panel',
  kind: 'order_charge',
  date: '2026-03-02',
  currency: 'USD',
  amountMicros: micros,
  ref: order,
  detail: {},
});

const DAY_EVENTS = [charge('23501', 900_000n), charge('23502', 1_800_000n)];

/** In-memory books (sync-books-double.ts) with one day closed: the backfill's journal reads are its journal's. */
async function ledgerWithOneDay(): Promise<{
  ledger: Ledger;
  ledgerBooks: { backfillBooks: SyncBooksDouble['journal'] };
}> {
  const syncBooks = syncBooksInMemory();
  const ledger = syncBooks.ledger;
  await bookClose(
    { ledger, books: syncBooks, chart: DEFAULT_CHART, granularity: 'day', runId: 'run:1', now: () => now },
    { sourceId: 'smm-panel', events: DAY_EVENTS, findings: [], writeProgress: async () => undefined },
  );
  return { ledger, ledgerBooks: { backfillBooks: syncBooks.journal } };
}

const REMAPPED: EventRules = {
  ...DEFAULT_CHART,
  order_charge: { debit: 'client_costs', credit: 'panel_prepaid', description: 'SMM order charges' },
};

describe('correcting a day from its re-derived events', () => {
  it('finds nothing to correct when the chart has not changed', async () => {
    const { ledger, ledgerBooks } = await ledgerWithOneDay();
    const day = await correctDay(ledgerBooks.backfillBooks, ledger, {
      sourceId: 'smm-panel',
      date: '2026-03-02',
      events: DAY_EVENTS,
      granularity: 'day',
      chart: DEFAULT_CHART,
      runId: 'run:2',
      now,
      dryRun: false,
    });
    expect(day.correction).toBeUndefined();
    await ledger.close();
  });

  it('books the difference a chart change makes as a correction dated on the day, once', async () => {
    const { ledger, ledgerBooks } = await ledgerWithOneDay();
    const first = await correctDay(ledgerBooks.backfillBooks, ledger, {
      sourceId: 'smm-panel',
      date: '2026-03-02',
      events: DAY_EVENTS,
      granularity: 'day',
      chart: REMAPPED,
      runId: 'run:2',
      now,
      dryRun: false,
    });
    expect(first.correction?.date).toBe('2026-03-02');
    expect(first.correction?.lines.map((line) => [line.account, line.amountMicros])).toEqual([
      ['client_costs', 2_700_000n],
      ['smm_services_expense', -2_700_000n],
    ]);
    expect(await ledger.balanceOf('smm_services_expense', 'USD')).toBe(0n);
    expect(await ledger.balanceOf('client_costs', 'USD')).toBe(2_700_000n);
    expect(await ledger.balanceOf('panel_prepaid', 'USD')).toBe(-2_700_000n);
    const again = await correctDay(ledgerBooks.backfillBooks, ledger, {
      sourceId: 'smm-panel',
      date: '2026-03-02',
      events: DAY_EVENTS,
      granularity: 'day',
      chart: REMAPPED,
      runId: 'run:3',
      now,
      dryRun: false,
    });
    expect(again.correction).toBeUndefined();
    await ledger.close();
  });

  it('a chart changed, changed back and changed again books all three corrections (same lines, new entry each time)', async () => {
    const { ledger, ledgerBooks } = await ledgerWithOneDay();
    const ids: (string | undefined)[] = [];
    for (const [index, chart] of [REMAPPED, DEFAULT_CHART, REMAPPED].entries()) {
      ids.push(
        (
          await correctDay(ledgerBooks.backfillBooks, ledger, {
            sourceId: 'smm-panel',
            date: '2026-03-02',
            events: DAY_EVENTS,
            granularity: 'day',
            chart,
            runId: `run:${index}`,
            now,
            dryRun: false,
          })
        ).correction?.id,
      );
    }
    expect(ids).toEqual([
      'je:smm-panel:2026-03-02:replay:1',
      'je:smm-panel:2026-03-02:replay:2',
      'je:smm-panel:2026-03-02:replay:3',
    ]);
    expect(await ledger.balanceOf('smm_services_expense', 'USD')).toBe(0n);
    expect(await ledger.balanceOf('client_costs', 'USD')).toBe(2_700_000n);
    await ledger.close();
  });

  it('a dry run shows the correction and books nothing', async () => {
    const { ledger, ledgerBooks } = await ledgerWithOneDay();
    const planned = await correctDay(ledgerBooks.backfillBooks, ledger, {
      sourceId: 'smm-panel',
      date: '2026-03-02',
      events: DAY_EVENTS,
      granularity: 'day',
      chart: REMAPPED,
      runId: 'run:2',
      now,
      dryRun: true,
    });
    expect(planned.correction).toBeDefined();
    expect(await ledger.hasEntry(planned.correction!.id)).toBe(false);
    expect(await ledger.balanceOf('client_costs', 'USD')).toBe(0n);
    await ledger.close();
  });

  it('a dry run is refused as the booking would be: a correction dated in a closed month names the period, books nothing', async () => {
    const { ledgerBooks } = await ledgerWithOneDay();
    const journal = ledgerBooks.backfillBooks;
    // March closed: its certificate stands, so 2026-03-02 takes no entry, and the dry run must not say "would book".
    const sealed = new Ledger({
      ...journal,
      journalSeal: async () => ({
        ...(await journal.journalSeal()),
        lastClosed: { period: '2026-03', periodEnd: '2026-03-31', certificateSha256: 'c'.repeat(64) },
      }),
    });
    await expect(
      correctDay(journal, sealed, {
        sourceId: 'smm-panel',
        date: '2026-03-02',
        events: DAY_EVENTS,
        granularity: 'day',
        chart: REMAPPED,
        runId: 'run:2',
        now,
        dryRun: true,
      }),
    ).rejects.toThrow(
      new PeriodClosedError('je:smm-panel:2026-03-02:replay:1', '2026-03-02', '2026-03', 'c'.repeat(64)),
    );
    expect(await sealed.balanceOf('client_costs', 'USD')).toBe(0n);
  });

  it('issue 82: a re-map between two reverse-charged accounts corrects each line with the treatment of the lines it corrects', async () => {
    const taxed = (rules: EventRules): TaxBook => ({
      flows: { order_charge: [{ code: 'REVERSECHARGES', rate: '20', reverseCharge: true }] },
      chart: {
        events: rules,
        profitAndLoss: new Set(['smm_services_expense', 'client_costs']),
        taxable: DEFAULT_TAXABLE,
      },
      revenue: new Set(),
    });
    const syncBooks = syncBooksInMemory();
    const ledger = syncBooks.ledger;
    await bookClose(
      {
        ledger,
        books: syncBooks,
        chart: DEFAULT_CHART,
        taxBook: taxed(DEFAULT_CHART),
        granularity: 'day',
        runId: 'run:1',
        now: () => now,
      },
      { sourceId: 'smm-panel', events: DAY_EVENTS, findings: [], writeProgress: async () => undefined },
    );
    const day = await correctDay(syncBooks.journal, ledger, {
      sourceId: 'smm-panel',
      date: '2026-03-02',
      events: DAY_EVENTS,
      granularity: 'day',
      chart: REMAPPED,
      taxBook: taxed(REMAPPED),
      runId: 'run:2',
      now,
      dryRun: false,
    });
    // 2.70 moved from smm_services_expense to client_costs: both REVERSECHARGES (order_charge), so a destination that
    // maps both to one account gets lines that net to nothing under that code; the VAT legs, alike, are not corrected.
    const reverseCharged = (baseMicros: bigint) => ({
      flow: 'order_charge',
      code: 'REVERSECHARGES',
      rate: '20',
      side: 'purchases',
      reverseCharge: true,
      baseMicros,
    });
    expect(day.correction?.lines.map((line) => [line.account, line.amountMicros, line.tax])).toEqual([
      ['client_costs', 2_700_000n, reverseCharged(2_700_000n)],
      ['smm_services_expense', -2_700_000n, reverseCharged(-2_700_000n)],
    ]);
    await ledger.close();
  });
});
