import { sql } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import { LEDGER_TABLES } from './ledger-copy-tables.js';
import { boundTo, queryBuilder } from './query-builder.js';

/*
 * What `migrate --to` reads of both ledgers inside the copy's transaction to prove the copy equal (ledger-move-store.ts
 * hands them to the move's proof): each table's rows, and every entry's exact lines.
 */

/**
 * One journal line with its entry's columns, streamed by entry id then line (the same order on both engines).
 * A tuple, and the entry's event ids as the JSON text it was booked with: a move streams millions of lines,
 * and the proof parses that text once per entry.
 */
export type EntryLine = readonly [
  id: string,
  date: string,
  sourceId: string,
  description: string,
  eventIdsJson: string,
  contentHash: string,
  account: string,
  currency: string,
  amountMicros: bigint,
  lineDescription: string | null,
];

/** Rows in every ledger table, in LEDGER_TABLES order. */
export async function ledgerTableCounts(store: LedgerStore): Promise<{ table: string; rows: bigint }[]> {
  const counts: { table: string; rows: bigint }[] = [];
  for (const { name } of LEDGER_TABLES) {
    const row = await store.first(boundTo(store, sql<{ n: bigint }>`SELECT COUNT(*) AS n FROM ${sql.table(name)}`));
    counts.push({ table: name, rows: BigInt(row?.n ?? 0n) });
  }
  return counts;
}

/** Every entry with its exact lines, one row per line, by entry id then line: the same order on both engines. */
export function entryLineRows(store: LedgerStore): AsyncIterable<EntryLine> {
  const query = queryBuilder(store)
    .selectFrom('journal_entries as e')
    .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
    .select([
      'e.id',
      'e.date',
      'e.source_id',
      'e.description',
      'e.event_ids',
      'e.content_hash',
      'l.account',
      'l.currency',
      'l.amount_micros',
      'l.description as line_description',
    ])
    .orderBy('e.id')
    .orderBy('l.line_no');
  return store.iterateArrays(query) as AsyncIterable<EntryLine>;
}
