import type { Config } from '../../config/index.js';
import type { AdjustmentRecord } from '../../ledger/index.js';
import { reconcileReport, sourceSeries, type LedgerReads, type ReconcileReads } from '../../reads/index.js';
import { sourceKinds } from '../kinds/index.js';
import { findingsFolder } from '../runs/index.js';
import { transitTerms, unsettledTransit, type TransitBooks } from '../transit/index.js';

/** What a close's blockers are read from: reconcile's reads, the adjusting entries, the transit. */
interface CloseBlockerBooks {
  reconcileReads: ReconcileReads;
  ledgerReads: Pick<LedgerReads, 'adjustingEntries'>;
  transitBooks: TransitBooks;
}

/**
 * What a close's blockers are read from besides the ledger, as of `today`: the action items nobody acknowledged
 * (`reconcile --as-of <period end>`) and the payouts and top-ups nothing settled, judged with `documents` (what
 * the destinations say of their bank-side documents; `close` asks them, the console passes none).
 */
export function closeBlockerReads(
  books: CloseBlockerBooks,
  config: Config,
  { today, now }: { today: string; now: Date },
  documents: () => Promise<Map<string, { documentId: string; reconciled: boolean }>>,
) {
  const { stuckAfterDays } = sourceSeries(config.sources, sourceKinds.reportFacts);
  return {
    openActionItems: async (periodEnd: string) =>
      withAdjustmentSteps(
        (
          await reconcileReport(books.reconcileReads, periodEnd, today, stuckAfterDays, findingsFolder(config))
        ).items.filter((item) => item.class === 'action' && item.acknowledged === null),
        (await books.ledgerReads.adjustingEntries?.()) ?? [],
      ),
    transfersInTransit: async (periodEnd: string) =>
      unsettledTransit(books.transitBooks, {
        asOf: today,
        periodEnd,
        terms: transitTerms(config),
        record: false,
        now,
        documents: await documents(),
      }),
  };
}

/**
 * An adjusting entry a destination held back for its approval is settled by the approval and a post, not by
 * `reconcile ack` (which would leave it unposted): its blocker names both commands. Every other item keeps
 * reconcile's own step. Example: refused:xero:je:adjustment:2026-03-30:1 → "ledgerline adjust approve
 * je:adjustment:2026-03-30:1" (as another OS user), then "ledgerline post xero".
 */
function withAdjustmentSteps<T extends { id: string; kind: string; ref: string; message: string }>(
  items: readonly T[],
  adjustments: readonly AdjustmentRecord[],
): (T & { nextStep?: string })[] {
  const waiting = new Map(
    adjustments.filter((adjustment) => adjustment.needsApproval).map((adjustment) => [adjustment.entryId, adjustment]),
  );
  return items.map((item) => {
    const adjustment = item.kind === 'refused_entry' ? waiting.get(item.ref) : undefined;
    if (adjustment === undefined) return item;
    const destination = item.id.slice('refused:'.length, item.id.length - item.ref.length - 1);
    const post = `ledgerline post ${destination}`;
    if (adjustment.approval !== null)
      return {
        ...item,
        message: `${destination} holds back adjusting entry ${item.ref}, approved by ${adjustment.approval.by} since`,
        nextStep: `run ${post}`,
      };
    return {
      ...item,
      message: `${destination} holds back adjusting entry ${item.ref}: it waits for a second person's approval (adjustments.requireApproval)`,
      nextStep: `a second person runs ledgerline adjust approve ${item.ref} (as another OS user), then ${post}; reconcile ack would not post it`,
    };
  });
}
