import { CHAIN_GENESIS, type FiledReturn } from '../../../ledger/index.js';
import {
  filedReturns,
  journalBooksOver,
  journalReadsOver,
  queryBuilder,
  type StoreHandle,
  seals,
} from '../../../store/index.js';

/** What filing a return needs of the books (migration 0036): the filed returns, the chain's head, and the filing kept. */
export interface FilingBooks {
  /** Every filed return, oldest period first. */
  filedReturns(): Promise<FiledReturn[]>;
  /** The chain's head now (the link of the last record appended): what the return was worked from. */
  chainHead(): Promise<string>;
  /**
   * Keeps the filing, unless an entry was appended since the head the return was worked from: returns false then
   * and keeps nothing. Taken under the ledger's lock, so no append slips in between the check and the row, and
   * `refuse` is handed the returns filed by then, read under that lock (it throws to keep nothing): of two filings
   * at once, the second sees the first's (issue 84).
   */
  recordFiledReturn(
    filed: FiledReturn,
    headWhenWorked: string,
    refuse: (filedNow: readonly FiledReturn[]) => void,
  ): Promise<boolean>;
}

/** Filing returns' books over the store's handle (`books.of(filingBooks)`); the filed returns are the journal's lock, read by the store. */
export const filingBooks = (store: StoreHandle): FilingBooks => ({
  filedReturns: () => filedReturns(store),
  chainHead: async () => (await journalReadsOver(store).chainEnd()).head ?? CHAIN_GENESIS,
  recordFiledReturn: (filed, headWhenWorked, refuse) =>
    store.unitOfWork(async (tx) => {
      const seal = await journalBooksOver(tx).journalSeal();
      // Read under the lock the seal holds: a filing committed by another process meanwhile is seen here.
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
      await seals.rows(tx, 'filed_returns', { period: filed.period }, { fresh: true });
      return true;
    }),
});
