import { addDays } from '../calendar/index.js';
import type { DestinationClient } from '../destinations/index.js';
import type { ClosedPeriod } from '../ledger/index.js';
import type { HeldJournals } from './certified-journals.js';
import type { TieOutItem } from './destination-tie-out.js';
import type { LedgerReads } from './books/ledger-reads.js';

/**
 * The destination as the ledger's witness (issue 52, item 4): each journal ledgerline posted names its entry's chain
 * hash (destinations/journal-narration.ts), which whoever rewrites the ledger file cannot rewrite there. Each journal
 * read back, and each the destination lists dated after the last closed period (those of closed periods are listed by
 * their certificates' check), whose witness names an entry the ledger no longer holds, or holds with another chain
 * hash, is a chain_witness_differs item naming the journal, the entry and both hashes: entries deleted from the
 * ledger's end behind its back (which `verify` cannot see: the chain of what is left is whole) are named here.
 * A journal posted before journals carried the hash, or one a person entered, witnesses nothing.
 * Example: je:smm-panel:2026-04-02 (the newest entry) deleted with the triggers dropped → "Xero journal 5a… carries
 * entry je:smm-panel:2026-04-02 at chain sha256:3c9a…, which the ledger no longer holds …".
 */
export async function chainWitnessChanges(
  reads: Pick<LedgerReads, 'chainHashes' | 'journalDateSpan'>,
  client: DestinationClient,
  options: { held: HeldJournals; asOf: string; closed: readonly ClosedPeriod[] },
): Promise<TieOutItem[]> {
  const listed = await datedSinceLastClose(reads, client, options);
  const journals = new Map([...options.held, ...listed]);
  const witnessed = [...journals].flatMap(([journalId, journal]) =>
    journal.state === 'present' && journal.witness !== undefined ? [{ journalId, ...journal.witness }] : [],
  );
  if (witnessed.length === 0) return [];
  const kept = await reads.chainHashes(witnessed.map((witness) => witness.entryId));
  return witnessed.flatMap(({ journalId, entryId, chainHash }) => {
    const ledger = kept.get(entryId);
    if (ledger === chainHash) return [];
    const now = ledger === undefined ? 'which the ledger no longer holds' : `where the ledger now has sha256:${ledger}`;
    const message =
      `${client.name} journal ${journalId} carries entry ${entryId} at chain sha256:${chainHash}, ` +
      `${now}: the ledger was changed behind its back after it was posted; run ledgerline verify ` +
      `and restore the ledger from a backup`;
    return [
      {
        kind: 'chain_witness_differs' as const,
        source: client.kind,
        date: options.asOf,
        amount: '0.00',
        currency: client.baseCurrency,
        ref: entryId,
        remoteId: journalId,
        ledger: ledger ?? 'none',
        destination: chainHash,
        message,
      },
    ];
  });
}

/**
 * The journals the destination lists dated from the day after the last closed period (or the ledger's first
 * entry) to `asOf`; none where it cannot list them.
 */
async function datedSinceLastClose(
  reads: Pick<LedgerReads, 'journalDateSpan'>,
  client: DestinationClient,
  options: { asOf: string; closed: readonly ClosedPeriod[] },
): Promise<HeldJournals> {
  if (client.journalsDated === undefined) return new Map();
  const lastEnd = options.closed.at(-1)?.periodEnd;
  const from = lastEnd === undefined ? (await reads.journalDateSpan())?.first : addDays(lastEnd, 1);
  return from === undefined || from > options.asOf ? new Map() : client.journalsDated(from, options.asOf);
}
