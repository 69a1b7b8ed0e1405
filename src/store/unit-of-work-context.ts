import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Every store's units of work, by store, in one AsyncLocalStorage for the whole process. Node keeps each
 * AsyncLocalStorage ever entered in a list it walks for every promise made afterwards, and tags each promise
 * with each one's value: with one per store, a process that opens a store a night (`schedule`, `worker`,
 * `serve`, a test worker running hundreds of files) made every await slower by the stores it had ever opened
 * and kept them all reachable. Example: after 2,000 stores, each promise carried 2,000 tags; now one.
 */
const unitsByContext = new AsyncLocalStorage<ReadonlyMap<UnitOfWorkContext<unknown>, unknown>>();

/** Which unit of work of one store the current async context belongs to. */
export class UnitOfWorkContext<Unit> {
  current(): Unit | undefined {
    return unitsByContext.getStore()?.get(this) as Unit | undefined;
  }

  /** `work` and everything it awaits belong to `unit`; units of other stores around it stay theirs. */
  run<T>(unit: Unit, work: () => Promise<T>): Promise<T> {
    const units = new Map(unitsByContext.getStore());
    units.set(this, unit);
    return unitsByContext.run(units, work);
  }
}
