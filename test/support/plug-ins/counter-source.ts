import { z } from 'zod';
import { configFields, type ConfiguredSource } from '../../../src/config/index.js';
import { AuthError, InvalidReplyError, UpstreamError, linkRawObservation } from '../../../src/errors.js';
import { readJson, readWire } from '../../../src/http/wire-readers.js';
import { createLandedExchange } from '../../../src/http/landed-exchange.js';
import { parseMicros } from '../../../src/money/index.js';
import { stagedReplayer } from '../../../src/pipeline/backfill/index.js';
import type { SourceKind } from '../../../src/pipeline/kinds/index.js';
import type { StagedSource } from '../../../src/pipeline/runs/index.js';
import { stagedCloser } from '../../../src/pipeline/sync/index.js';
import {
  ACKNOWLEDGE_WITH_A_NOTE,
  MicrosSchema,
  finding,
  type Finding,
  type SourceEvent,
} from '../../../src/rules/index.js';
import { formatMicros } from '../../../src/money/index.js';

/**
 * A source kind added from outside src/, as a plug-in author would: `kind: counter` reads a lifetime
 * earnings counter (test/support/plug-ins/counter-api-fake.ts) and books each day's rise as counter
 * earnings, a fall as a counter clawback: event kinds and accounts of its own, which it declares with their
 * rules and a default csv-journal mapping (its vocabulary), and findings of its own with their title and next step:
 * counter_below_zero, for a person, and counter_fell, for the record (`class: 'information'`). Everything it needs
 * is here; use-counter-source.ts registers it in one line.
 */

/** What the counter's accounts are called in a CSV journal when csv-journal.yaml does not name them. */
export const COUNTER_JOURNAL_ACCOUNTS = {
  counter_receivable: '1310 Counter receivable',
  counter_revenue: '4310 Counter revenue',
} as const;

const vocabulary: NonNullable<SourceKind['vocabulary']> = {
  events: {
    counter_earnings: { debit: 'counter_receivable', credit: 'counter_revenue', description: 'Counter earnings' },
    counter_clawback: {
      debit: 'counter_revenue',
      credit: 'counter_receivable',
      description: 'Counter earnings clawed back',
    },
  },
  accounts: {
    counter_receivable: { type: 'asset', name: 'Counter earnings receivable' },
    counter_revenue: { type: 'revenue', name: 'Counter revenue' },
  },
  mappings: {
    'csv-journal': {
      counter_receivable: { account: COUNTER_JOURNAL_ACCOUNTS.counter_receivable },
      counter_revenue: { account: COUNTER_JOURNAL_ACCOUNTS.counter_revenue },
    },
  },
};

/** What the counter raises for a person, in its own words: reconcile, the report and the console say them. */
const findings: NonNullable<SourceKind['findings']> = {
  counter_below_zero: {
    title: 'The counter reads below zero',
    nextStep: `Ask the counter's vendor how lifetime earnings went negative, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  counter_fell: {
    title: 'The counter fell: earnings clawed back',
    nextStep: 'Nothing to do: the clawback is booked as the counter reads it.',
    class: 'information',
  },
};

const counterEntry = z.strictObject({
  id: configFields.sourceId,
  kind: z.literal('counter'),
  /** The API root; the kind adds /counter. */
  url: configFields.httpUrl,
  apiKey: configFields.secret,
});
type CounterSource = z.output<typeof counterEntry>;

const CounterReplySchema = z.object({
  total: z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount such as "112.50"'),
  currency: z.string(),
});
const CounterStateSchema = z.object({ totalMicros: MicrosSchema });
type CounterReading = { totalMicros: bigint; currency: string };
type CounterState = z.output<typeof CounterStateSchema>;

/** The source as this kind's own entry: the registry hands the kind only sources that name it. */
function counterOf(source: ConfiguredSource): CounterSource {
  return source as CounterSource;
}

const staged: StagedSource<CounterReading, CounterState> = {
  kind: 'counter',
  stateSchema: CounterStateSchema,
  async extract({ source, http, clock, onRawReply }) {
    const counter = counterOf(source);
    const exchange = createLandedExchange({
      sourceId: counter.id,
      http,
      clock,
      apiKey: counter.apiKey,
      ...(onRawReply === undefined ? {} : { onRawReply }),
    });
    const reply = await exchange.send({
      action: 'counter',
      method: 'GET',
      url: `${counter.url.replace(/\/+$/, '')}/counter`,
      params: {},
      headers: { 'x-counter-key': counter.apiKey, accept: 'application/json' },
      idempotent: true,
    });
    if (reply.status === 401)
      throw linkRawObservation(
        new AuthError(counter.id, 'the counter API refused the key (401)'),
        reply.rawObservationId,
      );
    if (reply.status !== 200)
      throw linkRawObservation(
        new UpstreamError(counter.id, `the counter API answered HTTP ${reply.status}`),
        reply.rawObservationId,
      );
    const json = readJson(reply.bodyText);
    const wire = json.ok ? readWire(CounterReplySchema, json.value) : json;
    if (!wire.ok)
      throw linkRawObservation(new InvalidReplyError(counter.id, 'counter', wire.reason), reply.rawObservationId);
    return {
      reading: { totalMicros: parseMicros(wire.value.total), currency: wire.value.currency },
      rawObservationId: reply.rawObservationId,
    };
  },
  normalize({ source, date, reading, previous }) {
    const change = reading.totalMicros - (previous?.totalMicros ?? 0n);
    const events: SourceEvent[] =
      change === 0n
        ? []
        : [
            {
              id: `counter:${source.id}:${date}`,
              sourceId: source.id,
              kind: change > 0n ? 'counter_earnings' : 'counter_clawback',
              date,
              currency: reading.currency,
              amountMicros: change > 0n ? change : -change,
              ref: `counter ${date}`,
              detail: { total: String(reading.totalMicros) },
            },
          ];
    return {
      events,
      findings: belowZero(source.id, date, reading),
      next: { totalMicros: reading.totalMicros },
      figure: { metric: 'counter', valueMicros: reading.totalMicros },
    };
  },
};

/** A lifetime total never goes below zero: the clawback is booked as read, and a person is asked to look. */
function belowZero(sourceId: string, date: string, reading: CounterReading): Finding[] {
  if (reading.totalMicros >= 0n) return [];
  return [
    finding({
      kind: 'counter_below_zero',
      sourceId,
      date,
      amountMicros: -reading.totalMicros,
      currency: reading.currency,
      ref: `counter ${date}`,
      message: `the counter reads ${formatMicros(reading.totalMicros, 2)} ${reading.currency}`,
    }),
  ];
}

/**
 * The counter kind's own close: a fall that leaves the total at or above zero is an ordinary clawback, kept for the
 * record (counter_fell, declared `class: 'information'`): 10.00 then 7.50 books a 2.50 clawback and needs nobody;
 * 10.00 then -2.00 is counter_below_zero, for a person. (The tip jar reads the same counter, its fall a payout.)
 */
const counterClose: typeof staged = {
  ...staged,
  normalize(input) {
    const day = staged.normalize(input);
    const { source, date, reading, previous } = input;
    const fallMicros = (previous?.totalMicros ?? 0n) - reading.totalMicros;
    if (fallMicros <= 0n || reading.totalMicros < 0n) return day;
    const fell = finding({
      kind: 'counter_fell',
      sourceId: source.id,
      date,
      amountMicros: fallMicros,
      currency: reading.currency,
      ref: `counter ${date}`,
      message: `the counter fell to ${formatMicros(reading.totalMicros, 2)} ${reading.currency}`,
    });
    return { ...day, findings: [...day.findings, fell] };
  },
};

export const counterSourceKind: SourceKind = {
  ...stagedCloser(counterClose),
  ...stagedReplayer(counterClose),
  kind: 'counter',
  entrySchema: counterEntry,
  vocabulary,
  findings,
  resolve: (entry) => entry,
  probeSubject: 'counter',
  addressField: 'url',
  async probe(source, io) {
    const { reading } = await staged.extract({ source, ...io });
    return `the counter answered ${reading.currency} ${reading.totalMicros} micro-units`;
  },
  reportFacts: () => ({}),
};
export { staged as counterStaged };
