import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerIntegrityError } from '../../src/errors.js';
import type { EventKind } from '../../src/rules/vocabulary.js';
import { unbalancedReason } from '../../src/rules/index.js';
import type { EventRules, EventSide } from '../../src/rules/event-rules.js';
import { JournalDraft, journalize } from '../../src/rules/journalize.js';
import type { SourceEvent } from '../../src/rules/source-event.js';
import { DEFAULT_CHART } from './default-chart.js';

/** The shipped kinds' event kinds, each of which the default chart rules. */
const EVENT_KINDS = Object.keys(DEFAULT_CHART);

const event = (id: string, kind: EventKind, amountMicros: bigint, fields: Partial<SourceEvent> = {}): SourceEvent => ({
  id,
  sourceId: 'smm-panel',
  kind,
  date: '2026-03-02',
  currency: 'USD',
  amountMicros,
  ref: id,
  detail: {},
  ...fields,
});

const panelDay = [
  event('c1', 'order_charge', 900_000n),
  event('c2', 'order_charge', 2_000_000n),
  event('r1', 'order_refund', 141_300n),
];

describe('journalize: one entry per source and day', () => {
  it('sums lines per account and direction, keeping charges and refunds apart', () => {
    expect(journalize(panelDay, DEFAULT_CHART, { granularity: 'day' })).toEqual([
      {
        id: 'je:smm-panel:2026-03-02',
        date: '2026-03-02',
        sourceId: 'smm-panel',
        description: 'smm-panel 2026-03-02: SMM order charges ×2, SMM order refunds ×1',
        eventIds: ['c1', 'c2', 'r1'],
        lines: [
          {
            account: 'smm_services_expense',
            currency: 'USD',
            amountMicros: 2_900_000n,
            description: 'SMM order charges',
          },
          { account: 'panel_prepaid', currency: 'USD', amountMicros: -2_900_000n, description: 'SMM order charges' },
          { account: 'panel_prepaid', currency: 'USD', amountMicros: 141_300n, description: 'SMM order refunds' },
          {
            account: 'smm_services_expense',
            currency: 'USD',
            amountMicros: -141_300n,
            description: 'SMM order refunds',
          },
        ],
      },
    ]);
  });

  it('makes one entry per source and date, in date order', () => {
    const entries = journalize(
      [
        event('late', 'order_charge', 1n, { date: '2026-03-03' }),
        event('ads', 'publisher_earnings', 5n, { sourceId: 'ads-publisher' }),
        event('early', 'order_charge', 2n),
      ],
      DEFAULT_CHART,
      { granularity: 'day' },
    );
    expect(entries.map((entry) => [entry.id, entry.eventIds])).toEqual([
      ['je:ads-publisher:2026-03-02', ['ads']],
      ['je:smm-panel:2026-03-02', ['early']],
      ['je:smm-panel:2026-03-03', ['late']],
    ]);
  });

  it('a day that already has an entry gets a revision entry: :r2, then :r3', () => {
    const once = new Set(['je:smm-panel:2026-03-02']);
    expect(journalize(panelDay, DEFAULT_CHART, { granularity: 'day', existingEntryIds: once })[0]!.id).toBe(
      'je:smm-panel:2026-03-02:r2',
    );
    const twice = new Set([...once, 'je:smm-panel:2026-03-02:r2']);
    expect(journalize(panelDay, DEFAULT_CHART, { granularity: 'day', existingEntryIds: twice })[0]!.id).toBe(
      'je:smm-panel:2026-03-02:r3',
    );
  });

  it('balances each currency on its own', () => {
    const [entry] = journalize(
      [event('usd', 'panel_topup', 50_000_000n), event('eur', 'panel_topup', 20_000_000n, { currency: 'EUR' })],
      DEFAULT_CHART,
      {
        granularity: 'day',
      },
    );
    expect(entry!.lines.map((line) => [line.account, line.currency, line.amountMicros])).toEqual([
      ['panel_prepaid', 'USD', 50_000_000n],
      ['topup_clearing', 'USD', -50_000_000n],
      ['panel_prepaid', 'EUR', 20_000_000n],
      ['topup_clearing', 'EUR', -20_000_000n],
    ]);
  });
});

describe('journalize: one entry per event', () => {
  it('names each entry after its event', () => {
    expect(journalize(panelDay.slice(2), DEFAULT_CHART, { granularity: 'event' })).toEqual([
      {
        id: 'je:r1',
        date: '2026-03-02',
        sourceId: 'smm-panel',
        description: 'SMM order refunds: r1',
        eventIds: ['r1'],
        lines: [
          { account: 'panel_prepaid', currency: 'USD', amountMicros: 141_300n, description: 'SMM order refunds' },
          {
            account: 'smm_services_expense',
            currency: 'USD',
            amountMicros: -141_300n,
            description: 'SMM order refunds',
          },
        ],
      },
    ]);
  });

  it('refuses to journalize an event twice', () => {
    expect(() =>
      journalize(panelDay, DEFAULT_CHART, { granularity: 'event', existingEntryIds: new Set(['je:c2']) }),
    ).toThrow(LedgerIntegrityError);
  });
});

describe('journalize: splits and refusals', () => {
  const split = (debit: EventSide): EventRules => ({
    ...DEFAULT_CHART,
    order_charge: { debit, credit: 'panel_prepaid' },
  });

  it('1.00 split three ways is 0.333334 + 0.333333 + 0.333333, exactly 1.00', () => {
    const chart = split([
      { account: 'a', share: 1n },
      { account: 'b', share: 1n },
      { account: 'c', share: 1n },
    ]);
    const [entry] = journalize([event('c', 'order_charge', 1_000_000n)], chart, { granularity: 'event' });
    expect(entry!.lines.map((line) => [line.account, line.amountMicros])).toEqual([
      ['a', 333_334n],
      ['b', 333_333n],
      ['c', 333_333n],
      ['panel_prepaid', -1_000_000n],
    ]);
  });

  it('decimal shares are read exactly: 0.5 and 0.25 split 2:1', () => {
    const chart = split([
      { account: 'a', share: 0.5 },
      { account: 'b', share: 0.25 },
    ]);
    const [entry] = journalize([event('c', 'order_charge', 900_000n)], chart, { granularity: 'event' });
    expect(entry!.lines.map((line) => [line.account, line.amountMicros])).toEqual([
      ['a', 600_000n],
      ['b', 300_000n],
      ['panel_prepaid', -900_000n],
    ]);
  });

  it('a piece too small to exist is left out rather than written as a zero line', () => {
    const chart = split([
      { account: 'a', share: 1 },
      { account: 'b', share: 1 },
    ]);
    const [entry] = journalize([event('c', 'order_charge', 1n)], chart, { granularity: 'event' });
    expect(entry!.lines.map((line) => [line.account, line.amountMicros])).toEqual([
      ['a', 1n],
      ['panel_prepaid', -1n],
    ]);
  });

  it('refuses an event without a positive amount', () => {
    expect(() => journalize([event('z', 'order_charge', 0n)], DEFAULT_CHART, { granularity: 'day' })).toThrow(
      LedgerIntegrityError,
    );
  });
});

describe('journalize: properties', () => {
  const accounts = ['a', 'b', 'c', 'panel_prepaid'];
  const side: fc.Arbitrary<EventSide> = fc.oneof(
    fc.constantFrom(...accounts),
    fc.array(
      fc.record({
        account: fc.constantFrom(...accounts),
        share: fc.oneof(
          fc.bigInt({ min: 1n, max: 1000n }),
          fc.integer({ min: 1, max: 1000 }),
          fc.constantFrom(0.5, 0.125, 33.3, 0.001),
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  );
  const chart: fc.Arbitrary<EventRules> = fc
    .array(fc.record({ debit: side, credit: side }), { minLength: EVENT_KINDS.length, maxLength: EVENT_KINDS.length })
    .map((rules) => Object.fromEntries(EVENT_KINDS.map((kind, index) => [kind, rules[index]!])) as EventRules);
  const events = fc
    .array(
      fc.record({
        kind: fc.constantFrom(...EVENT_KINDS),
        sourceId: fc.constantFrom('smm-panel', 'ads-publisher'),
        date: fc.constantFrom('2026-03-01', '2026-03-02'),
        currency: fc.constantFrom('USD', 'EUR'),
        amountMicros: fc.bigInt({ min: 1n, max: 10_000_000_000n }),
      }),
      { maxLength: 20 },
    )
    .map((drafts) => drafts.map((draft, index): SourceEvent => ({ ...draft, id: `e${index}`, ref: '', detail: {} })));

  it('every entry balances per currency, every event lands in exactly one entry, and splits sum exactly', () => {
    fc.assert(
      fc.property(events, chart, fc.constantFrom('day' as const, 'event' as const), (drafts, rules, granularity) => {
        const entries = journalize(drafts, rules, { granularity });
        for (const entry of entries) expect(unbalancedReason(entry)).toBeUndefined();
        expect(entries.flatMap((entry) => entry.eventIds).sort()).toEqual(drafts.map((draft) => draft.id).sort());
        // Debits are never netted against credits, so each entry's debits in a currency are its events' amounts, to the micro-unit.
        for (const entry of entries) {
          for (const currency of ['USD', 'EUR']) {
            const debits = entry.lines
              .filter((line) => line.currency === currency && line.amountMicros > 0n)
              .reduce((sum, line) => sum + line.amountMicros, 0n);
            const amounts = drafts
              .filter((draft) => entry.eventIds.includes(draft.id) && draft.currency === currency)
              .reduce((sum, draft) => sum + draft.amountMicros, 0n);
            expect(debits).toBe(amounts);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a draft fed the events in chunks gives the same entries, and its net on an account is what the entries move it by', () => {
    fc.assert(
      fc.property(
        events,
        chart,
        fc.constantFrom('day' as const, 'event' as const),
        fc.integer({ min: 1, max: 7 }),
        (drafts, rules, granularity, chunk) => {
          const draft = new JournalDraft(rules, granularity, undefined);
          for (let start = 0; start < drafts.length; start += chunk)
            for (const one of drafts.slice(start, start + chunk)) draft.add(one);
          const entries = journalize(drafts, rules, {
            granularity,
            existingEntryIds: new Set(['je:smm-panel:2026-03-01']),
          });
          expect(draft.entries(new Set(['je:smm-panel:2026-03-01']))).toEqual(entries);
          expect(draft.eventCount).toBe(drafts.length);
          expect(draft.dates().sort()).toEqual([...new Set(drafts.map((one) => one.date))].sort());
          for (const currency of ['USD', 'EUR']) {
            const moved = entries
              .flatMap((entry) => entry.lines)
              .filter((line) => line.account === 'panel_prepaid' && line.currency === currency);
            expect(draft.netOf('panel_prepaid', currency)).toBe(
              moved.reduce((sum, line) => sum + line.amountMicros, 0n),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
