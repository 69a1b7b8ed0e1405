import type { LedgerStore, LedgerTx } from './ledger-store.js';

/**
 * The store's handle as books are handed it (a use case's `books/`, a kind's `src/kinds/<kind>/books/`), as a
 * kysely dialect is handed `db`: reads on it, and writes only on a unit's `tx`.
 */
export type StoreHandle = LedgerStore;
export type StoreTx = LedgerTx;

/**
 * A use case's or a kind's books: its port over the store's handle, typed by that port (`sealBooks`). Books that
 * write are written over a unit's `tx` (`Over` is `StoreTx`, as the panel's `panelBooks`): the handle cannot open them.
 */
type UseCaseBooks<Port, Args extends unknown[] = [], Over extends StoreHandle = StoreHandle> = (
  handle: Over,
  ...args: Args
) => Port;

/**
 * What hands books over one ledger (`books.of(sealBooks)`): the composition root, a use case's port, or a unit
 * (`tx.of(panelBooks)`), which alone opens books written over its `tx` (`BooksOf<StoreTx>`).
 */
export interface BooksOf<Over extends StoreHandle = StoreHandle> {
  of<Port, Args extends unknown[]>(open: UseCaseBooks<Port, Args, Over>, ...args: Args): Port;
}
