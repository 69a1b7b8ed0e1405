import { executionAsyncResource } from 'node:async_hooks';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { UnitOfWorkContext } from '../../src/store/unit-of-work-context.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();

/** The async-context tags the promise running this carries: Node adds one per AsyncLocalStorage ever entered. */
async function tagsOnAPromise(): Promise<number> {
  await Promise.resolve();
  return Object.getOwnPropertySymbols(executionAsyncResource()).length;
}

describe('a unit of work knows its own store', () => {
  it('sees its own unit inside run, the units of other stores around it, and none outside', async () => {
    const ledger = new UnitOfWorkContext<string>();
    const copy = new UnitOfWorkContext<string>();
    const seen = await ledger.run('ledger unit', () =>
      copy.run('copy unit', async () => [ledger.current(), copy.current()]),
    );
    expect(seen).toEqual(['ledger unit', 'copy unit']);
    expect([ledger.current(), copy.current()]).toEqual([undefined, undefined]);
  });

  it('costs every later promise nothing more for each store the process opened and closed', async () => {
    const openAndWork = async (count: number) => {
      for (let index = 0; index < count; index += 1) {
        const store = await LedgerStore.open(join(tempDir(), `ledger-${count}-${index}.sqlite`));
        await store.unitOfWork(async () => undefined);
        await store.close();
      }
      return tagsOnAPromise();
    };
    const afterOne = await openAndWork(1);
    expect(await openAndWork(4)).toBe(afterOne);
  });
});
