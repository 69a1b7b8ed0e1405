import { sql } from 'kysely';
import type { LedgerCounts, RecordedRun } from '../../ledger/index.js';
import { queryBuilder, type StoreHandle } from '../../store/index.js';
import { recentRuns } from '../../pipeline/runs/index.js';
import { deliverySummaries } from './delivery-summary.js';
import { latestCloseDates } from './open-items.js';

/**
 * A finding of the kinds late-learned orders explain (a panel's balance fall) whose amount their explanations cover
 * (src/kinds/panel/rules/late-order-explanation.ts); none such when no kind declares one.
 */
function explainedWhole(kinds: readonly string[]) {
  if (kinds.length === 0) return sql<boolean>`(1 = 0)`;
  return sql<boolean>`(kind IN (${sql.join(kinds)}) AND amount_micros <= COALESCE((SELECT SUM(x.amount_micros) FROM fall_explanations x WHERE x.finding_id = discrepancies.id), 0))`;
}

/** What status counts in the books: entries, recent runs, what each destination still lacks, findings, quarantine, closes (the orders are a kind's to count). */
export async function ledgerCounts(
  store: StoreHandle,
  options: { destinations: readonly string[]; runLimit?: number | undefined },
  explainedByLateOrders: readonly string[],
): Promise<Omit<LedgerCounts, 'openOrders'>> {
  const db = queryBuilder(store);
  const totals = await store.first(
    db
      .selectFrom('journal_entries')
      .select([sql<bigint>`COUNT(*)`.as('entries'), sql<string | null>`MAX(date)`.as('last_date')]),
  );
  const runs = (await recentRuns(store, options.runLimit ?? 5)).map(withoutSummary);
  const unposted = await unpostedByDestination(store, options.destinations);
  const findings = await openFindings(store, explainedWhole(explainedByLateOrders));
  const quarantined = await store.first(
    db
      .selectFrom('quarantine')
      .select(sql<bigint>`COUNT(*)`.as('n'))
      .where('resolved_at', 'is', null),
  );
  return {
    entries: Number(totals?.entries ?? 0n),
    lastEntryDate: totals?.last_date ?? null,
    runs,
    unposted,
    ...findings,
    quarantined: Number(quarantined?.n ?? 0n),
    lastCloses: await latestCloseDates(store),
  };
}

/** For each destination, the entries not yet posted (nor skipped) there, and of those the ones it refused. */
async function unpostedByDestination(
  store: StoreHandle,
  destinations: readonly string[],
): Promise<LedgerCounts['unposted']> {
  // Not posted nor skipped: not delivered yet, or refused.
  return (await deliverySummaries(store, { destinations })).map((summary) => ({
    destination: summary.destination,
    entries: summary.unposted + summary.refused,
    refused: summary.refused,
  }));
}

/**
 * The open findings by kind, but the balance falls the late-learned orders explain whole, which are counted apart
 * (`explainedFalls`, left out when there are none).
 */
async function openFindings(
  store: StoreHandle,
  isExplainedWhole: ReturnType<typeof explainedWhole>,
): Promise<Pick<LedgerCounts, 'discrepancies' | 'explainedFalls'>> {
  const db = queryBuilder(store);
  const discrepancies = await store.all(
    db
      .selectFrom('discrepancies')
      .select(['kind', sql<bigint>`COUNT(*)`.as('open')])
      .where('resolved_at', 'is', null)
      .where(sql<boolean>`NOT ${isExplainedWhole}`)
      .groupBy('kind')
      .orderBy('kind'),
  );
  const explained = await store.first(
    db
      .selectFrom('discrepancies')
      .select(sql<bigint>`COUNT(*)`.as('n'))
      .where('resolved_at', 'is', null)
      .where(isExplainedWhole),
  );
  return {
    discrepancies: discrepancies.map((row) => ({ kind: row.kind, open: Number(row.open) })),
    ...(Number(explained?.n ?? 0n) > 0 ? { explainedFalls: Number(explained?.n) } : {}),
  };
}

/** A recorded run without its summary, whose JSON text is the runs' own to read. */
export function withoutSummary({ summary: _summary, ...run }: RecordedRun & { summary: string | null }): RecordedRun {
  return run;
}
