import { CHAIN_GENESIS, type ClosedPeriod } from '../../ledger/index.js';
import { verifyChain, type ChainVerification } from './chain-verification.js';
import { certificateFileChanges, closeRowChanges, type CloseRecordChange } from './close-records.js';
import type { SealBooks } from './books/seal-books.js';

/** A closed period whose entries no longer give the chain head its certificate holds: an action item for reconcile. */
interface ClosedPeriodChange {
  id: string;
  kind: 'closed_period_changed';
  source: 'ledger';
  date: string;
  /** The entry named: the first that breaks the chain, else the last of the period as the chain now ends there. */
  ref: string;
  message: string;
}

/**
 * Each night's re-verification of the closed periods (issue 42, item 3): the chain recomputed from every entry's bytes,
 * through each closed period's end, against the head its certificate holds. A period is changed when the chain breaks
 * at or before its last entry, or when the recomputed head through its end is another hash (entries and their kept
 * hashes rewritten together, or an entry of the month removed). Example: 2024-02 closed on head 9f…; a line of
 * je:test:0002 (2024-02-29) edited → "closed period 2024-02 … breaks at entry je:test:0002 (…): certified head 9f…, recomputed 3c…".
 * The closes' own records come first (closeRecordChanges): a row deleted or rewritten, a certificate file changed.
 */
export async function closedPeriodChanges(
  books: Pick<SealBooks, 'chainChunks' | 'chainRecords' | 'closedPeriods' | 'closedPeriodRows'>,
  certificateFolder: string,
): Promise<(ClosedPeriodChange | CloseRecordChange)[]> {
  const closed = await books.closedPeriods();
  const records = await closeRecordChanges(books, closed, certificateFolder);
  if (closed.length === 0) return records;
  return [
    ...records,
    ...closedPeriodChangesIn(
      closed,
      await verifyChain(
        books,
        closed.map((period) => period.periodEnd),
      ),
    ),
  ];
}

/** The closes' rows against the chain's records of them, and each certificate file against its recorded hash (close-records.ts). */
export async function closeRecordChanges(
  books: Pick<SealBooks, 'chainRecords' | 'closedPeriodRows'>,
  closed: readonly ClosedPeriod[],
  certificateFolder: string,
): Promise<CloseRecordChange[]> {
  const { closes } = await books.chainRecords();
  return [
    ...closeRowChanges(closes, await books.closedPeriodRows()),
    ...certificateFileChanges(closed, certificateFolder),
  ];
}

/** closedPeriodChanges over a chain already recomputed through each closed period's end. */
export function closedPeriodChangesIn(closed: readonly ClosedPeriod[], chain: ChainVerification): ClosedPeriodChange[] {
  return closed.flatMap((period) => {
    const head = chain.headsThrough.get(period.periodEnd);
    const certificate = `${period.period} (certificate sha256:${period.certificateSha256}, closed ${period.closedAt} by ${period.closedBy})`;
    const item = (ref: string, what: string): ClosedPeriodChange[] => [
      {
        id: `closed_period_changed:${period.period}`,
        kind: 'closed_period_changed',
        source: 'ledger',
        date: period.periodEnd,
        ref,
        message: `closed period ${certificate}: ${what}; run ledgerline verify and compare the ledger with a backup from before the change`,
      },
    ];
    if (chain.broken !== undefined && head !== undefined && chain.broken.position <= head.position) {
      const heads = `certified head ${period.chainHead}, recomputed ${head.hash}`;
      return item(
        chain.broken.entryId,
        `the journal's hash chain breaks at entry ${chain.broken.entryId} (${chain.broken.date}, source ${chain.broken.sourceId}): ${heads}`,
      );
    }
    const recomputed = head?.hash ?? CHAIN_GENESIS;
    if (recomputed === period.chainHead) return [];
    return item(
      head?.entryId ?? 'none',
      `the chain recomputed through ${period.periodEnd} ends at entry ${head?.entryId ?? '(none)'} ` +
        `with ${recomputed}, not the certified head ${period.chainHead}`,
    );
  });
}
