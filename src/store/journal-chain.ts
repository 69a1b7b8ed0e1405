import type { ChainLine } from '../ledger/index.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** The journal's hash chain (migration 0018) as `verify` and `close` read it: in append order (seq), the order it was computed in. */

/**
 * Every journal line with its entry's columns, entries in append order and each entry's lines in line order, a
 * chunk of rows at a time. CROSS JOIN keeps the entries outer on SQLite: they come in seq order off their key and
 * each one's lines off theirs, so nothing is sorted.
 */
export function chainRowChunks(store: LedgerStore, rowsPerChunk: number): AsyncIterable<ChainLine[]> {
  const query = queryBuilder(store)
    .selectFrom('journal_entries as e')
    .crossJoin('journal_lines as l')
    .whereRef('l.entry_id', '=', 'e.id')
    .select(['e.id', 'e.date', 'e.source_id', 'e.description', 'e.event_ids', 'e.chain_hash', 'l.account', 'l.currency', 'l.amount_micros', 'l.description as line_description'])
    .orderBy('e.seq')
    .orderBy('l.line_no');
  return store.iterateArrayChunks(query, rowsPerChunk) as AsyncIterable<ChainLine[]>;
}
