import { sql } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import { rowsOfIds } from './id-lists.js';
import { queryBuilder } from './query-builder.js';

/**
 * The chain hash the ledger keeps for each of these entries (journal_entries.chain_hash, src/ledger/entry-chain.ts),
 * by entry id; an entry the ledger does not hold, or holds unchained, is absent. What a posted journal carries as
 * the ledger's witness, and what reconcile --with compares that witness with.
 */
export async function entryChainHashes(store: LedgerStore, entryIds: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const rows = rowsOfIds(store, [...new Set(entryIds)], (ids) =>
    queryBuilder(store).selectFrom('journal_entries').select(['id', 'chain_hash']).where('id', 'in', ids),
  );
  for await (const row of rows) if (row.chain_hash !== null) found.set(row.id, row.chain_hash);
  return found;
}

/** The newest entry appended (the highest seq: the chain's head) and its chain hash; undefined for an empty ledger. */
export async function chainHead(store: LedgerStore): Promise<{ entryId: string; hash: string } | undefined> {
  const row = await store.first(
    queryBuilder(store).selectFrom('journal_entries').select(['id', 'chain_hash']).orderBy('seq', 'desc').limit(1),
  );
  return row === undefined || row.chain_hash === null ? undefined : { entryId: row.id, hash: row.chain_hash };
}

/** The chain's head with its position (how many entries the chain holds) and its date; undefined for an empty ledger. */
export async function chainPosition(
  store: LedgerStore,
): Promise<{ entryId: string; hash: string; date: string; position: number } | undefined> {
  const db = queryBuilder(store);
  const row = await store.first(
    db.selectFrom('journal_entries').select(['id', 'chain_hash', 'date']).orderBy('seq', 'desc').limit(1),
  );
  if (row === undefined || row.chain_hash === null) return undefined;
  const count = await store.first(db.selectFrom('journal_entries').select(sql<bigint>`COUNT(*)`.as('entries')));
  return { entryId: row.id, hash: row.chain_hash, date: row.date, position: Number(count?.entries ?? 0) };
}
