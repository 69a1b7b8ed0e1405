import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { JournalEntry, JournalLine, Ledger } from '../../ledger/index.js';
import { journalize, SourceEventSchema, type EventRules, type SourceEvent } from '../../rules/index.js';

export interface RejournalizedDay {
  sourceId: string;
  date: string;
  /** The correcting entry booked, when what the day's events make under today's chart differs from what is booked. */
  correction?: JournalEntry;
}

/**
 * Replays a window of the books: every stored source event of each day is
 * journalized again with today's chart, and where that differs from what the
 * day's entries booked, a correcting entry dated that day books the
 * difference (entries are never edited). Example: order charges were mapped
 * to `smm_services_expense` and the chart now sends them to `client_costs`;
 * a day that booked Dr smm_services_expense 2.70 gets a correction Dr
 * client_costs 2.70, Cr smm_services_expense 2.70. Run twice, the second run
 * finds nothing to correct. The nightly cursor (closes, order states) is not
 * touched.
 */
export function rejournalizeDay(ledger: Ledger, options: { sourceId: string; date: string; chart: EventRules; runId: string; now: Date; dryRun: boolean }): RejournalizedDay {
  const { store } = ledger;
  const { db } = store;
  const events: SourceEvent[] = store
    .all(db.selectFrom('source_events').selectAll().where('source_id', '=', options.sourceId).where('date', '=', options.date).orderBy('created_at').orderBy('id'))
    .map((row) =>
      SourceEventSchema.parse({
        id: row.id,
        sourceId: row.source_id,
        kind: row.kind,
        date: row.date,
        currency: row.currency,
        amountMicros: BigInt(row.amount_micros),
        ref: row.ref,
        detail: JSON.parse(row.detail) as Record<string, string>,
      }),
    );
  const expected = netByAccount(journalize(events, options.chart, { granularity: 'event' }).flatMap((entry) => entry.lines));
  const booked = new Map<string, bigint>();
  for (const row of store.all(
    db
      .selectFrom('journal_lines as l')
      .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
      .select(['l.account', 'l.currency', sql<bigint>`SUM(l.amount_micros)`.as('net')])
      .where('e.source_id', '=', options.sourceId)
      .where('e.date', '=', options.date)
      .groupBy(['l.account', 'l.currency']),
  )) {
    booked.set(JSON.stringify([row.account, row.currency]), BigInt(row.net));
  }
  const lines: JournalLine[] = [];
  for (const key of [...new Set([...expected.keys(), ...booked.keys()])].sort()) {
    const difference = (expected.get(key) ?? 0n) - (booked.get(key) ?? 0n);
    if (difference === 0n) continue;
    const [account, currency] = JSON.parse(key) as [string, string];
    lines.push({ account, currency, amountMicros: difference, description: 'Correction from a replay of the stored events' });
  }
  if (lines.length === 0) return { sourceId: options.sourceId, date: options.date };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(lines.map((line) => [line.account, line.currency, line.amountMicros.toString()])))
    .digest('hex')
    .slice(0, 12);
  const correction: JournalEntry = {
    id: `je:${options.sourceId}:${options.date}:replay:${fingerprint}`,
    date: options.date,
    sourceId: options.sourceId,
    description: `Replay correction of ${options.date} (chart or rules changed since it was booked)`,
    eventIds: [],
    lines,
  };
  if (!options.dryRun) ledger.appendEntry(correction, { runId: options.runId, now: options.now });
  return { sourceId: options.sourceId, date: options.date, correction };
}

/** The dates in [from, to] on which a source has events or entries, ascending. */
export function datesWithActivity(ledger: Ledger, sourceId: string, from: string, to: string): string[] {
  const { store } = ledger;
  const { db } = store;
  const dates = new Set<string>();
  for (const row of store.all(db.selectFrom('source_events').select('date').distinct().where('source_id', '=', sourceId).where('date', '>=', from).where('date', '<=', to))) dates.add(row.date);
  for (const row of store.all(db.selectFrom('journal_entries').select('date').distinct().where('source_id', '=', sourceId).where('date', '>=', from).where('date', '<=', to))) dates.add(row.date);
  return [...dates].sort();
}

function netByAccount(lines: readonly JournalLine[]): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const line of lines) {
    const key = JSON.stringify([line.account, line.currency]);
    net.set(key, (net.get(key) ?? 0n) + line.amountMicros);
  }
  return net;
}
