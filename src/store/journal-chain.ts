import { sql, type Compilable } from 'kysely';
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
  const { entries, lines, rendered } = chainQueries(store, entriesPerChunk);
  for (let after = 0n; after < through;) {
    const entryRows = (await store.allArrays(
      entries.bound([after, through, entriesPerChunk]),
    )) as ChainChunk['entries'];
    if (entryRows.length === 0) return;
    const upTo = BigInt(entryRows.at(-1)![0]);
    yield {
      entries: entryRows,
      lines: (await store.allArrays(lines.bound([after, upTo]))) as ChainChunk['lines'],
      rendered: (await store.allArrays(rendered.bound([after, upTo]))) as ChainChunk['rendered'],
    };
    after = upTo;
  }
}

/** A query compiled once, whose parameters (in the order its text takes them) each chunk binds anew: no query built per chunk. */
function compiledOnce(query: Compilable<unknown>): { bound(parameters: readonly unknown[]): Compilable<unknown> } {
  const compiled = query.compile();
  return { bound: (parameters) => ({ compile: () => ({ ...compiled, parameters }) }) };
}

/** The chain's three reads of a chunk (after, through or upTo: a range of seq), each compiled once. */
function chainQueries(store: LedgerStore, entriesPerChunk: number) {
  const db = queryBuilder(store);
  const range = { after: 0n, upTo: 0n };
  const entriesInRange = db
    .selectFrom('journal_entries as e')
    .where('e.seq', '>', range.after)
    .where('e.seq', '<=', range.upTo);
  return {
    entries: compiledOnce(
      db
        .selectFrom('journal_entries')
        .select([
          'seq',
          'id',
          'date',
          'source_id',
          'description',
          'event_ids',
          'chain_hash',
          'content_hash',
          'reclassification',
        ])
        .where('seq', '>', range.after)
        .where('seq', '<=', range.upTo)
        .orderBy('seq')
        .limit(entriesPerChunk),
    ),
    lines: compiledOnce(
      entriesInRange
        .crossJoin('journal_lines as l')
        .whereRef('l.entry_id', '=', 'e.id')
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
    ),
    rendered: compiledOnce(
      entriesInRange
        .crossJoin('rendered_lines as r')
        .whereRef('r.entry_id', '=', 'e.id')
        .select(['e.seq', 'r.account', 'r.currency', 'r.cents', 'r.description'])
        .orderBy('e.seq')
        .orderBy('r.line_no'),
    ),
  };
}
