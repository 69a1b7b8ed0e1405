import type { FilingBooks } from '../pipeline/adjustments/filing-books.js';
import { CHAIN_GENESIS, type FiledReturn } from '../ledger/index.js';
import { chainEnd } from './chain-closes.js';
import { filedReturns } from './filed-returns.js';
import { journalSeal } from './journal.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import { sealRows } from './row-seals.js';

/** Keeps a filing unless the chain moved on since the return was worked (see FilingBooks.recordFiledReturn). */
export async function recordFiledReturn(
  store: LedgerStore,
  filed: FiledReturn,
  headWhenWorked: string,
  refuse: (filedNow: readonly FiledReturn[]) => void,
): Promise<boolean> {
  return store.unitOfWork(async (tx) => {
    const seal = await journalSeal(tx);
    // Read under the lock journalSeal holds: a filing committed by another process meanwhile is seen here.
    refuse(await filedReturns(tx));
    if (seal.head !== headWhenWorked) return false;
    await tx.run(
      queryBuilder(tx)
        .insertInto('filed_returns')
        .values({
          period: filed.period,
          period_start: filed.from,
          period_end: filed.to,
          form: filed.form,
          currency: filed.currency,
          boxes: JSON.stringify(filed.boxes),
          return_sha256: filed.returnSha256,
          filed_at: filed.filedAt,
          filed_by: filed.filedBy,
        }),
    );
    // Sealed with its row: verify names a filing deleted (its period unlocked) or edited behind ledgerline's back.
    await sealRows(tx, 'filed_returns', { period: filed.period }, { fresh: true });
    return true;
  });
}

/** Filing returns' port (pipeline/adjustments/filing-books.ts, FilingBooks) over one open store. */
export const filingBooksOver = (store: LedgerStore) =>
  ({
    filedReturns: () => filedReturns(store),
    chainHead: async () => (await chainEnd(store)).head ?? CHAIN_GENESIS,
    recordFiledReturn: (
      filed: FiledReturn,
      headWhenWorked: string,
      refuse: (filedNow: readonly FiledReturn[]) => void,
    ) => recordFiledReturn(store, filed, headWhenWorked, refuse),
  }) satisfies FilingBooks;
