import type { AccountMovementRow, JournalEntry, RenderedLine } from '../../rules/index.js';
import { formatCents, formatMicros } from '../../money/index.js';
import { accountMovementTable } from '../../rules/index.js';
import { itemClass, type FindingClasses } from './findings-listed.js';
import type { RunRecords } from './run-records.js';
import type { SourceSyncReport, SyncReport } from './sync-report.js';

/** One account's movement in a sync: debits − credits, exact and as rendered for destinations, both decimal text. */
interface BookedAccount {
  account: string;
  currency: string;
  /** Exact, the ledger's full precision. */
  net: string;
  /** In cents, as Xero, QuickBooks and the exports receive it. */
  netCents: string;
}

interface BookedPayoutText {
  date: string;
  method: string;
  currency: string;
  /** Exact: the whole receivable paid out. */
  amount: string;
}

/** A new finding that needs a person, as `reconcile` lists it (its id is what `reconcile ack` takes). */
interface ActionItem {
  id: string;
  kind: string;
  date: string;
  amount: string | null;
  currency: string | null;
  ref: string;
  message: string;
}

/** What a sync booked for one source, in money: what the nightly output, `status` and alerts say. */
interface SourceMoney {
  booked: BookedAccount[];
  payouts: BookedPayoutText[];
  actionItems: ActionItem[];
  /** New findings listed for the record only (a computed refund, a payout carried forward): `reconcile` shows them. */
  informationItems: number;
}

/** One source of a recorded sync with its money, as `status` reads it back and the nightly output prints it. */
export interface SourceMoneyView extends SourceMoney {
  sourceId: string;
  outcome: string;
  events: number;
  entries: number;
  quarantined: number;
  polled?: number | undefined;
  error?: string | undefined;
}

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
