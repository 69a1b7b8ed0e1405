import { copyLedgerToPostgres, entryLineRows, ledgerTableCounts, type LedgerCopy } from './copy-ledger.js';
import { debitCreditTotals } from './journal.js';
import type { LedgerStore } from './ledger-store.js';

/**
 * One side of a copy as `migrate --to`'s port (pipeline/operations/ledger-move-reads.ts) reads it. An arrow: it
 * does no I/O itself, and the architecture test holds every `export function` taking the store to be async.
 */
export const ledgerMoveReadsOver = (store: LedgerStore) => ({
  tableCounts: () => ledgerTableCounts(store),
  debitsAndCredits: () => debitCreditTotals(store),
  entryLines: () => entryLineRows(store),
});

type MoveReads = ReturnType<typeof ledgerMoveReadsOver>;

/** copyLedgerToPostgres, its proof handed each side's reads rather than the stores, which stay here. */
export async function copyLedgerProvenBy<Proof>(
  from: string,
  to: string,
  prove: (source: MoveReads, target: MoveReads) => Promise<{ proof: Proof; equal: boolean }>,
): Promise<LedgerCopy<Proof>> {
  return await copyLedgerToPostgres(from, to, (source, target) => prove(ledgerMoveReadsOver(source), ledgerMoveReadsOver(target)));
}
