import { sql } from 'kysely';
import type { SealedTableName, SealHead } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle, seals, statements } from '../../../store/index.js';

/**
 * What the proof of the side tables reads (issue 52, side-tables-proof.ts): the seals in the order written, each
 * sealed table's rows, the raw replies with their bodies, the entry-event links against the chained entries, and
 * the entries around a break of the chain.
 */
export interface SideTableBooks {
  /** Each seal as [position, table, row key, digest, link], in position order, a chunk at a time. */
  sealChunks(): AsyncIterable<unknown[][]>;
  /** Each row of `table` as its key columns then its sealed columns (ledger/row-seals.ts), in key order. */
  rowChunks(table: SealedTableName): AsyncIterable<unknown[][]>;
  /** Each raw reply as [id, source, as of, content hash, body], in id order. */
  replyChunks(): AsyncIterable<unknown[][]>;
  /** Each event whose entry_events link differs from the first chained entry listing it (null: no link, or listed by none). */
  eventLinkProblems(): Promise<{ eventId: string; linkedTo: string | null; listedBy: string | null }[]>;
  /** The entry's seq and the entry appended before it. */
  entriesAround(entryId: string): Promise<{ seq: bigint; before: { id: string; seq: bigint } | undefined } | undefined>;
  /** Each adjusting entry's record or approval whose entry is not in the journal. */
  recordsWithoutEntry(): Promise<{ table: 'adjustments' | 'adjustment_approvals'; entryId: string }[]>;
  sealHead(): Promise<SealHead>;
}

/** Rows read per chunk: one await per chunk. Replies carry bodies, so fewer of them a chunk. */
const ROWS_PER_CHUNK = 1000;
const REPLIES_PER_CHUNK = 100;

/** The side tables proof's books over the store's handle (`books.of(sideTableBooks)`). */
export const sideTableBooks = (store: StoreHandle): SideTableBooks => ({
  sealChunks: () =>
    store.iterateArrayChunks(
      seals
        .queries(store)
        .selectFrom('row_seals')
        .select(['position', 'table_name', 'row_key', 'digest', 'link'])
        .orderBy('position'),
      ROWS_PER_CHUNK,
    ),
  rowChunks: (table) => store.iterateArrayChunks(statements.boundTo(store, seals.rowsQuery(table)), ROWS_PER_CHUNK),
  replyChunks: () =>
    store.iterateArrayChunks(
      queryBuilder(store)
        .selectFrom('raw_observations')
        .select(['id', 'source_id', 'as_of', 'content_hash', 'body'])
        .orderBy('id'),
      REPLIES_PER_CHUNK,
    ),
  eventLinkProblems: () => eventLinkProblems(store),
  entriesAround: (entryId) => entriesAround(store, entryId),
  recordsWithoutEntry: () => recordsWithoutEntry(store),
  sealHead: () => seals.head(store),
});

/**
 * Where entry_events disagrees with the events each chained entry lists (journal_entries.event_ids): a link to an
 * entry that does not list its event (relinked or added), and an event an entry lists with no link at all
 * (deleted). The first entry to list an event keeps it, so a link to a later entry listing it too is also named.
 */
async function eventLinkProblems(
  store: StoreHandle,
): Promise<{ eventId: string; linkedTo: string | null; listedBy: string | null }[]> {
  const listed = statements.onSqlite(store)
    ? sql`SELECT j.value AS event_id, e.id AS entry_id, e.seq FROM journal_entries e, json_each(e.event_ids) j`
    : sql`SELECT j.event_id, e.id AS entry_id, e.seq FROM journal_entries e CROSS JOIN LATERAL json_array_elements_text(e.event_ids::json) AS j(event_id)`;
  const query = sql`WITH first AS (SELECT event_id, entry_id FROM (SELECT event_id, entry_id, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY seq) AS n FROM (${listed}) l) ranked WHERE n = 1)
    SELECT f.event_id, ee.entry_id AS linked_to, f.entry_id AS listed_by FROM first f LEFT JOIN entry_events ee ON ee.event_id = f.event_id
      WHERE ee.entry_id IS NULL OR ee.entry_id <> f.entry_id
    UNION ALL
    SELECT ee.event_id, ee.entry_id, NULL FROM entry_events ee WHERE NOT EXISTS (SELECT 1 FROM first f WHERE f.event_id = ee.event_id)
    ORDER BY 1`;
  const rows = (await store.allArrays(statements.boundTo(store, query))) as [string, string | null, string | null][];
  return rows.map(([eventId, linkedTo, listedBy]) => ({ eventId, linkedTo, listedBy }));
}

/** The entry `entryId` and the one appended before it, with their seqs (the ledger's numbering of appends). */
async function entriesAround(
  store: StoreHandle,
  entryId: string,
): Promise<{ seq: bigint; before: { id: string; seq: bigint } | undefined } | undefined> {
  const db = queryBuilder(store);
  const entry = await store.first(db.selectFrom('journal_entries').select('seq').where('id', '=', entryId));
  if (entry === undefined) return undefined;
  const before = await store.first(
    db.selectFrom('journal_entries').select(['id', 'seq']).where('seq', '<', entry.seq).orderBy('seq', 'desc').limit(1),
  );
  return { seq: BigInt(entry.seq), before: before && { id: before.id, seq: BigInt(before.seq) } };
}

/** Each adjusting entry's record (and approval) whose entry is not in the journal: the entry was deleted. */
async function recordsWithoutEntry(
  store: StoreHandle,
): Promise<{ table: 'adjustments' | 'adjustment_approvals'; entryId: string }[]> {
  const missing = (table: 'adjustments' | 'adjustment_approvals') =>
    sql`SELECT ${table} AS t, r.entry_id FROM ${sql.table(table)} r WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = r.entry_id)`;
  const rows = (await store.allArrays(
    statements.boundTo(
      store,
      sql`${missing('adjustments')} UNION ALL ${missing('adjustment_approvals')} ORDER BY 2, 1`,
    ),
  )) as ['adjustments' | 'adjustment_approvals', string][];
  return rows.map(([table, entryId]) => ({ table, entryId }));
}
