import type { Config } from '../../config/index.js';
import { reconcileReport, sourceSeries, type ReconcileReads, type ReconcileReport } from '../../reads/index.js';
import { sourceKinds } from '../kinds/index.js';
import { certificateFolder, closedPeriodChanges, sealBooks } from '../operations/index.js';
import { findingsFolder } from '../runs/index.js';
import type { BooksOf } from '../../store/index.js';

/** What listing reconcile's items reads: reconcile's reads of the books, and the closed periods' seals. */
export interface ListingBooks extends BooksOf {
  reconcileReads: ReconcileReads;
}

/**
 * The items `reconcile` lists as of `asOf`, and the one count of what is open: an action item nobody has
 * acknowledged, a closed period the night's re-verification found changed included. `status` counts the
 * same report, so the two never disagree (issue 51: status said 14 where reconcile said 3).
 */
export async function listedReconcileItems(
  books: ListingBooks,
  config: Config,
  days: { asOf: string; today: string },
): Promise<ReconcileReport> {
  const { stuckAfterDays } = sourceSeries(config.sources, sourceKinds.reportFacts);
  const report = await reconcileReport(
    books.reconcileReads,
    days.asOf,
    days.today,
    stuckAfterDays,
    findingsFolder(config),
  );
  const changes = await closedPeriodChanges(books.of(sealBooks), certificateFolder(config));
  if (changes.length === 0) return report;
  const items = changes.map((change) => ({
    ...change,
    class: 'action' as const,
    acknowledged: null,
    history: [],
    explanation: null,
    amount: null,
    currency: null,
  }));
  return { ...report, clean: false, open: report.open + items.length, items: [...report.items, ...items] };
}

/**
 * A reconcile report's open action items (status's `discrepancies`, and per source and kind `openBySource`: the
 * fleet's and the metrics' open items), and its items for the record, counted by kind as `reconcile` counts them (a
 * group is one). Example: two balance_mismatch items of panel-01 and one of panel-02 → discrepancies
 * [{ balance_mismatch, 3 }], openBySource [{ panel-01, balance_mismatch, 2 }, { panel-02, balance_mismatch, 1 }].
 */
export function openItemsByKind(report: ReconcileReport): {
  discrepancies: { kind: string; open: number }[];
  openBySource: { source: string; kind: string; open: number }[];
  forTheRecord: { kind: string; count: number }[];
} {
  const open = new Map<string, number>();
  const bySource = new Map<string, { source: string; kind: string; open: number }>();
  const forTheRecord = new Map<string, number>();
  for (const item of report.items) {
    if (item.class === 'action' && item.acknowledged === null) {
      open.set(item.kind, (open.get(item.kind) ?? 0) + 1);
      if (item.source !== '') {
        const key = `${item.source}\u0000${item.kind}`;
        const row = bySource.get(key) ?? { source: item.source, kind: item.kind, open: 0 };
        row.open += 1;
        bySource.set(key, row);
      }
    }
    // A balance fall explained whole by late orders has its own line in status.
    if (item.class === 'information' && item.explanation === null)
      forTheRecord.set(item.kind, (forTheRecord.get(item.kind) ?? 0) + 1);
  }
  const sorted = <T>(counts: Map<string, number>, row: (kind: string, n: number) => T) =>
    [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => row(kind, n));
  return {
    discrepancies: sorted(open, (kind, n) => ({ kind, open: n })),
    openBySource: [...bySource.values()].sort(
      (a, b) => a.source.localeCompare(b.source) || a.kind.localeCompare(b.kind),
    ),
    forTheRecord: sorted(forTheRecord, (kind, count) => ({ kind, count })),
  };
}
