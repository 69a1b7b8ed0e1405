import type { LedgerStore, LedgerTx } from './ledger-store.js';

/**
 * The store's handle as a kind's own books are handed it (`src/kinds/<kind>/books/`), as a kysely dialect is
 * handed `db`: reads on it, and writes only on a unit's `tx`.
 */
export type StoreHandle = LedgerStore;
export type StoreTx = LedgerTx;

/** A kind's own books: its reads over the store's handle, its reads and writes over a unit's `tx`. */
export interface KindBooks<Reads, Writes extends Reads> {
  reads(handle: StoreHandle): Reads;
  writes(tx: StoreTx): Writes;
}

/** A port that hands a kind its books bound to itself: on the port its reads, on a unit's `tx` its writes too. */
export interface KindBooksOf<Side extends 'reads' | 'writes'> {
  booksOf<Reads, Writes extends Reads>(kind: KindBooks<Reads, Writes>): Side extends 'writes' ? Writes : Reads;
}

/** `booksOf` over the store's handle: the kind's reads. */
export const kindBooksOn = (handle: StoreHandle): KindBooksOf<'reads'> => ({
  booksOf: (kind) => kind.reads(handle),
});

/** `booksOf` over a unit's `tx`: the kind's reads and writes, bound to the unit. */
export const kindBooksIn = (tx: StoreTx): KindBooksOf<'writes'> => ({
  booksOf: (kind) => kind.writes(tx),
});

/** A use case's books (`src/pipeline/<use case>/books/`): its port over the store's handle, typed by that port. */
export type UseCaseBooks<Port, Args extends unknown[] = []> = (handle: StoreHandle, ...args: Args) => Port;

/** What hands a use case its books over one ledger (`books.of(sealBooks)`): the composition root, or a unit's `tx`. */
export interface BooksOf {
  of<Port, Args extends unknown[]>(open: UseCaseBooks<Port, Args>, ...args: Args): Port;
}
