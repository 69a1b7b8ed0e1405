import { BANK_LEG_PREFIX } from '../rules/index.js';
import type { LedgerStore } from './ledger-store.js';
import { closedPeriods } from './period-close.js';
import { queryBuilder } from './query-builder.js';

/** The items whose bank leg the journal holds: entries je:bank-leg:<item id> (no "_" or "%" in the prefix, so LIKE reads it as it is). */
export async function bankLegItems(store: LedgerStore): Promise<Set<string>> {
  const rows = await store.all(queryBuilder(store).selectFrom('journal_entries').select('id').where('id', 'like', `${BANK_LEG_PREFIX}%`));
  return new Set(rows.map((row) => row.id.slice(BANK_LEG_PREFIX.length)));
}

/** The end of the last closed period, when one is: the journal takes nothing dated on or before it. */
export async function closedThrough(store: LedgerStore): Promise<string | undefined> {
  return (await closedPeriods(store)).at(-1)?.periodEnd;
}
