import type { AccountMovementRow, JournalEntry, RenderedLine } from '../../rules/index.js';
import { formatCents, formatMicros } from '../../money/index.js';
import { accountMovementTable } from '../../rules/index.js';
import { itemClass, type FindingClasses } from './findings-listed.js';
import type { SourceMoneyView } from './last-sync.js';
import type { RunRecords } from './books/run-records.js';
import type { SourceSyncReport, SyncReport } from './sync-report.js';

/** What a sync booked for one source, in money: what the nightly output, `status` and alerts say. */
type SourceMoney = Pick<SourceMoneyView, 'booked' | 'payouts' | 'actionItems' | 'informationItems'>;

/**
 * Net movement per source, account and currency of what a sync booked: read
 * back from the ledger for a real run (the cents stored beside the entries),
 * or, for a dry run, from the plan and the cents `plannedCents` holds for each of its entries.
 */
export async function bookedMovements(
  runs: RunRecords,
  report: SyncReport,
  runId: string,
  plannedCents: readonly (readonly RenderedLine[])[],
): Promise<AccountMovementRow[]> {
  if (!report.dryRun) return await runs.runMovements(runId);
  return plannedMovements(
    report.sources.flatMap((source) => source.entries),
    plannedCents,
  );
}

/** The movements a dry run's entries would make; `cents[i]` is the rendering of `entries[i]`. */
function plannedMovements(
  entries: readonly JournalEntry[],
  cents: readonly (readonly RenderedLine[])[],
): AccountMovementRow[] {
  const table = accountMovementTable();
  entries.forEach((entry, index) => {
    for (const line of entry.lines) table.add(entry.sourceId, line.account, line.currency, line.amountMicros, 0n);
    for (const line of cents[index] ?? []) table.add(entry.sourceId, line.account, line.currency, 0n, line.cents);
  });
  return table.rows();
}

/** One source's money from its report and the run's movements; accounts that moved neither exactly nor in cents are left out. */
export function sourceMoney(
  source: SourceSyncReport,
  movements: readonly AccountMovementRow[],
  findingWords: FindingClasses,
): SourceMoney {
  const classed = source.findings.map((found) => ({ found, class: itemClass(found.kind, findingWords) }));
  return {
    booked: movements
      .filter((row) => row.sourceId === source.sourceId && (row.exactMicros !== 0n || row.cents !== 0n))
      .map((row) => ({
        account: row.account,
        currency: row.currency,
        net: formatMicros(row.exactMicros),
        netCents: formatCents(row.cents),
      })),
    payouts: (source.payouts ?? []).map((payout) => ({
      date: payout.date,
      method: payout.method,
      currency: payout.currency,
      amount: formatMicros(payout.amountMicros),
    })),
    actionItems: classed
      .filter((item) => item.class === 'action')
      .map(({ found }) => ({
        id: found.id,
        kind: found.kind,
        date: found.date,
        amount: found.amountMicros === undefined ? null : formatMicros(found.amountMicros),
        currency: found.currency ?? null,
        ref: found.ref,
        message: found.message,
      })),
    informationItems: classed.filter((item) => item.class === 'information').length,
  };
}
