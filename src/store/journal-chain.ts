import { sql } from 'kysely';
import type { ChainLine } from '../ledger/index.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** The journal's hash chain (migrations 0018 and 0026) as `verify` and `close` read it: in append order (seq), the order it was computed in. */

/**
 * Every line of every entry with its entry's columns (see ChainLine), entries in append order; each entry's exact
 * lines in line order (part 0), then its lines kept in rendered_lines (part 1), a chunk of rows at a time. The
 * exact lines CROSS JOIN their entries with the entries outer, so on SQLite they come in seq order off their key
 * and each one's lines off theirs, unsorted; the rendered lines are few (an entry's rounding lines) but on a
 * ledger booked before migration 0015, and the engine merges the two parts.
 */
export function chainRowChunks(store: LedgerStore, rowsPerChunk: number): AsyncIterable<ChainLine[]> {
  const db = queryBuilder(store);
  const entryColumns = ['e.seq', 'e.id', 'e.date', 'e.source_id', 'e.description', 'e.event_ids', 'e.chain_hash', 'e.content_hash'] as const;
  const exact = db
    .selectFrom('journal_entries as e')
    .crossJoin('journal_lines as l')
    .whereRef('l.entry_id', '=', 'e.id')
    .select([...entryColumns, sql<number>`0`.as('part'), 'l.line_no', 'l.account', 'l.currency', sql<bigint | null>`l.amount_micros`.as('amount_micros'), 'l.description as line_description', sql<bigint | null>`l.cents`.as('cents')]);
  const rendered = db
    .selectFrom('rendered_lines as r')
    .crossJoin('journal_entries as e')
    .whereRef('e.id', '=', 'r.entry_id')
    .select([...entryColumns, sql<number>`1`.as('part'), 'r.line_no', 'r.account', 'r.currency', sql<bigint | null>`CAST(NULL AS BIGINT)`.as('amount_micros'), 'r.description as line_description', sql<bigint | null>`r.cents`.as('cents')]);
  const query = exact.unionAll(rendered).orderBy('seq').orderBy('part').orderBy('line_no');
  return store.iterateArrayChunks(query, rowsPerChunk) as AsyncIterable<ChainLine[]>;
}
