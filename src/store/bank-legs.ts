import { BANK_LEG_PREFIX } from '../rules/index.js';
import type { LedgerStore } from './ledger-store.js';
import { closedPeriods } from './period-close.js';
import { queryBuilder } from './query-builder.js';

/** The items whose bank leg the journal holds: entries je:bank-leg:<item id> (no "_" or "%" in the prefix, so LIKE reads it as it is). */
export async function bankLegItems(store: LedgerStore): Promise<Set<string>> {
  const rows = await store.all(queryBuilder(store).selectFrom('journal_entries').select('id').where('id', 'like', `${BANK_LEG_PREFIX}%`));
  return new Set(rows.map((row) => row.id.slice(BANK_LEG_PREFIX.length)));
}

/**
 * What each bank leg the journal holds moved, by item id: its date and its debit (the leg is one debit and one
 * credit of the same amount). Example: je:bank-leg:P of Dr bank 73.54 / Cr payout_clearing_paypal 73.54 on 04-02
 * → P: { date: 2026-04-02, amountMicros: 73540000n }.
 */
export async function bankLegMoves(store: LedgerStore): Promise<Map<string, { date: string; amountMicros: bigint }>> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('journal_entries')
      .innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id')
      .select(['journal_entries.id', 'journal_entries.date', 'journal_lines.amount_micros'])
      .where('journal_entries.id', 'like', `${BANK_LEG_PREFIX}%`)
      .where('journal_lines.amount_micros', '>', 0n),
  );
  return new Map(rows.map((row) => [row.id.slice(BANK_LEG_PREFIX.length), { date: row.date, amountMicros: BigInt(row.amount_micros) }]));
}

/** The end of the last closed period, when one is: the journal takes nothing dated on or before it. */
export async function closedThrough(store: LedgerStore): Promise<string | undefined> {
  return (await closedPeriods(store)).at(-1)?.periodEnd;
}
