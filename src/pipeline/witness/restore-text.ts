import type { Restored } from './ledger-restore.js';

/**
 * What the restore says, once: the head now witnessed, and what it removed, each with what to do; with `dryRun`,
 * what it would remove, before anything changed (issue 84).
 */
export function restoredText(
  from: string,
  witness: string,
  { head, removed, bookAgain, witnessedLost, carried }: Restored,
  dryRun = false,
): string[] {
  return [
    dryRun
      ? `would restore the ledger from ${from}: nothing was changed (--dry-run)`
      : `restored the ledger from ${from}; head ${headText(head)}, witnessed with the reason in ${witness}`,
    `${dryRun ? 'would remove' : 'removed'} ${removed.entries.length} entries, ${removed.deliveries.length} deliveries, ` +
      `${removed.acknowledgements.length} acknowledgements`,
    ...removed.entries.map((entry) => `  entry ${entry.id} (dated ${entry.date}, source ${entry.sourceId})`),
    ...witnessedLost.map(
      (lost) =>
        `  entry ${lost.entryId} (witnessed on ${lost.date} at position ${lost.position}; the books in place already lacked it)`,
    ),
    ...carried.map(
      (delivery) =>
        `  delivery of ${delivery.entryId} to ${delivery.destination} as ${delivery.remoteId}: carried into the restored books, not posted again`,
    ),
    ...removed.deliveries
      .filter((delivery) => !carried.includes(delivery))
      .map(
        (delivery) =>
          `  delivery of ${delivery.entryId} to ${delivery.destination} as ${delivery.remoteId}: it stays there; ` +
          'the next post finds it under that journal and records the entry booked again posted, not sent twice ' +
          `(check it still matches: ledgerline reconcile --with ${delivery.destination})`,
      ),
    ...removed.acknowledgements.map(
      (id) => `  acknowledgement of ${id}: acknowledge it again (ledgerline reconcile ack)`,
    ),
    ...bookAgain.map(
      (adjustment) =>
        `book again: ${adjustment.entryId} (dated ${adjustment.date}, "${adjustment.reason}", by ${adjustment.madeBy}): ledgerline adjust …`,
    ),
    ...witnessedLost
      .filter((lost) => lost.entryId.startsWith('je:adjustment:'))
      .map(
        (lost) =>
          `book again: ${lost.entryId} (an adjusting entry a person booked; its lines and reason are in the newer ` +
          'ledger and at each destination it was posted to): ledgerline adjust …',
      ),
    'the next night books again what the sources still say',
  ];
}

/** The restored books' head as the restore names it, or that they are empty. */
function headText(head: Restored['head']): string {
  return head === undefined ? 'none (empty)' : `${head.entryId} sha256:${head.hash} at position ${head.position}`;
}
