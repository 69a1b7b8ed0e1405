import type { Compilable } from 'kysely';
import { InvariantViolation } from '../errors.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { onSqlite, queryBuilder, registerQueryBuilder } from './query-builder.js';

/** The statements of a unit of work, as its engine runs them on the unit's own connection and transaction. */
export type UnitStatements = Pick<
  LedgerTx,
  | 'all'
  | 'allArrays'
  | 'first'
  | 'run'
  | 'iterate'
  | 'iterateArrays'
  | 'iterateArrayChunks'
  | 'runEach'
  | 'returningEach'
>;

/**
 * The `tx` a PostgreSQL unit of work hands its work (LedgerStore.unitOfWork; SQLite's is SqliteTx, whose
 * statements check the unit inline): every statement runs through `statements`, in
 * the unit's transaction, whatever async context calls it, as kysely's `Transaction` does. A unit begun on it
 * joins this one (it commits with it; a failure in it fails the whole unless caught). Used once the unit has
 * ended, it refuses as the bug it is: its writes would otherwise commit alone, outside the unit they were
 * written for. Closing or migrating the ledger is not a statement of a unit, and is refused the same way. An
 * arrow: it does no I/O itself.
 */
export const unitBound = (store: LedgerStore, statements: UnitStatements, isOpen: () => boolean): LedgerTx => {
  const open = () => {
    if (!isOpen())
      throw new InvariantViolation(
        `a statement on ${store.path} was run through a unit of work that had already ended`,
      );
    return statements;
  };
  const tx: LedgerTx = {
    path: store.path,
    readOnly: store.readOnly,
    all: async (query) => open().all(query),
    allArrays: async (query) => open().allArrays(query),
    first: async (query) => open().first(query),
    run: async (query) => open().run(query),
    iterate: (query) => open().iterate(query),
    iterateArrays: (query) => open().iterateArrays(query),
    iterateArrayChunks: (query, rowsPerChunk) => open().iterateArrayChunks(query, rowsPerChunk),
    runEach: async (statement, rows) => open().runEach(statement, rows),
    returningEach: async (statement, rows) => open().returningEach(statement, rows),
    unitOfWork: async (work) => {
      open();
      return work(tx);
    },
    integrityProblem: () =>
      Promise.reject(new InvariantViolation(`the page check of ${store.path} was asked for inside a unit of work`)),
    migrate: () =>
      Promise.reject(new InvariantViolation(`a migration of ${store.path} was asked for inside a unit of work`)),
    close: () => Promise.reject(new InvariantViolation(`${store.path} was closed from inside a unit of work`)),
  };
  registerQueryBuilder(tx, queryBuilder(store), onSqlite(store) ? 'sqlite' : 'postgres');
  return tx;
};

/**
 * A write statement on the store itself, outside every unit of work: refused as the bug it is. It would commit
 * alone, or on SQLite wait for a unit open in the same work and never return; a write goes through a unit's `tx`.
 */
export const refusedOutsideUnit = (path: string): Promise<never> =>
  Promise.reject(
    new InvariantViolation(`a write on ${path} was asked for outside a unit of work; a write goes through a unit's tx`),
  );

/**
 * What the store itself answers outside every unit of work, on either engine: its reads through `reads` (SQLite's
 * wait for the open unit to finish, PostgreSQL's run on the pool, each alone), and every write refused
 * (refusedOutsideUnit): a write goes through a unit's `tx`. The writes are typed to take nothing, so the store is
 * not a LedgerTx to the compiler either.
 */
export abstract class StoreOutsideUnits {
  abstract readonly path: string;
  protected abstract readonly reads: UnitStatements;

  all<Row>(query: Compilable<Row>): Promise<Row[]> {
    return this.reads.all(query);
  }

  allArrays(query: Compilable<unknown>): Promise<unknown[][]> {
    return this.reads.allArrays(query);
  }

  first<Row>(query: Compilable<Row>): Promise<Row | undefined> {
    return this.reads.first(query);
  }

  iterate<Row>(query: Compilable<Row>): AsyncIterable<Row> {
    return this.reads.iterate(query);
  }

  iterateArrays(query: Compilable<unknown>): AsyncIterable<unknown[]> {
    return this.reads.iterateArrays(query);
  }

  iterateArrayChunks(query: Compilable<unknown>, rowsPerChunk: number): AsyncIterable<unknown[][]> {
    return this.reads.iterateArrayChunks(query, rowsPerChunk);
  }

  readonly run = (_refused: never): Promise<never> => refusedOutsideUnit(this.path);
  readonly runEach = (_refused: never): Promise<never> => refusedOutsideUnit(this.path);
  readonly returningEach = (_refused: never): Promise<never> => refusedOutsideUnit(this.path);
}
