import { sql } from 'kysely';
import type { ChainChunk } from '../ledger/index.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** The journal's hash chain (migrations 0018 and 0026) as `verify` and `close` read it: in append order (seq), the order it was computed in. */

/**
 * Every entry with its lines (see ChainChunk), in append order, up to `entriesPerChunk` entries a chunk: one read of
 * the entries' columns (once an entry, not once a line: issue 56 measured reading them per line as 59 % of verify),
 * then one of their exact lines and one of their rendered_lines, each a range of seq off its key, rows as arrays.
 * The entries are those appended when the read starts (seq up to the last one then): what one statement would see.
 * On SQLite the lines CROSS JOIN their entries with the entries outer, so they come in seq order off the entries'
 * key and each entry's off theirs, unsorted.
 */
export async function* chainChunks(store: LedgerStore, entriesPerChunk: number): AsyncGenerator<ChainChunk> {
  const db = queryBuilder(store);
  const last = await store.first(db.selectFrom('journal_entries').select(sql<bigint | null>`MAX(seq)`.as('seq')));
  const through = last?.seq === null || last?.seq === undefined ? 0n : BigInt(last.seq);
  for (let after = 0n; after < through;) {
    const entries = (await store.allArrays(
      db
        .selectFrom('journal_entries')
        .select(['seq', 'id', 'date', 'source_id', 'description', 'event_ids', 'chain_hash', 'content_hash'])
        .where('seq', '>', after)
        .where('seq', '<=', through)
        .orderBy('seq')
        .limit(entriesPerChunk),
    )) as ChainChunk['entries'];
    if (entries.length === 0) return;
    const upTo = BigInt(entries.at(-1)![0]);
    const lines = (await store.allArrays(
      db
        .selectFrom('journal_entries as e')
        .crossJoin('journal_lines as l')
        .whereRef('l.entry_id', '=', 'e.id')
        .where('e.seq', '>', after)
        .where('e.seq', '<=', upTo)
        .select([
          'e.seq',
          'l.account',
          'l.currency',
          'l.amount_micros',
          'l.description',
          sql<bigint | null>`l.cents`.as('cents'),
        ])
        .orderBy('e.seq')
        .orderBy('l.line_no'),
    )) as ChainChunk['lines'];
    const rendered = (await store.allArrays(
      db
        .selectFrom('journal_entries as e')
        .crossJoin('rendered_lines as r')
        .whereRef('r.entry_id', '=', 'e.id')
        .where('e.seq', '>', after)
        .where('e.seq', '<=', upTo)
        .select(['e.seq', 'r.account', 'r.currency', 'r.cents', 'r.description'])
        .orderBy('e.seq')
        .orderBy('r.line_no'),
    )) as ChainChunk['rendered'];
    yield { entries, lines, rendered };
    after = upTo;
  }
}
