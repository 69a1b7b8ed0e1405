import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import type { LedgerTx } from '../../src/store/ledger-store.js';
import { landingBooks } from '../../src/pipeline/landing/index.js';
import { queryBuilder } from '../../src/store/query-builder.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();

const startRun = (store: LedgerTx, id: string) =>
  store.run(queryBuilder(store).insertInto('runs').values({ id, command: 'sync', started_at: '2026-03-01T00:00:00Z' }));
const runIds = async (store: LedgerStore) =>
  (await store.all(queryBuilder(store).selectFrom('runs').select('id').orderBy('id'))).map((row) => row.id);

describe.each(LEDGER_ENGINES)('a unit of work hands its work a tx bound to its transaction (%s)', (engine) => {
  it('commits what went through tx with the unit, a nested unit on tx with it, and keeps nothing of a unit that failed', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      await store.unitOfWork(async (tx) => {
        await startRun(tx, 'run:a');
        await tx.unitOfWork((nested) => startRun(nested, 'run:b'));
      });
      const failing = store.unitOfWork(async (tx) => {
        await startRun(tx, 'run:c');
        await tx.unitOfWork(async (nested) => {
          expect(nested).toBe(tx);
          await startRun(nested, 'run:d');
          throw new Error('the close failed');
        });
      });
      await expect(failing).rejects.toThrowError('the close failed');
      expect(await runIds(store)).toEqual(['run:a', 'run:b']);
    } finally {
      await store.close();
    }
  });

  it('refuses, as a bug, a statement through a tx whose unit has ended: it would commit alone', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      const kept = await store.unitOfWork(async (tx) => tx);
      await expect(startRun(kept, 'run:late')).rejects.toMatchObject({ name: 'InvariantViolation', exitCode: 70 });
      expect(await runIds(store)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses, as a bug, a write on the store itself, a unit open or not: it never runs alone nor waits for the unit', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    const outside = store as LedgerStore as LedgerTx;
    const refused = {
      name: 'InvariantViolation',
      exitCode: 70,
      message: expect.stringContaining('outside a unit of work'),
    };
    try {
      await expect(startRun(outside, 'run:no-unit')).rejects.toMatchObject(refused);
      const failing = store.unitOfWork(async (tx) => {
        await startRun(tx, 'run:in-unit');
        await expect(startRun(outside, 'run:beside')).rejects.toMatchObject(refused);
        throw new Error('the close failed');
      });
      await expect(failing).rejects.toThrowError('the close failed');
      await store.unitOfWork((tx) => startRun(tx, 'run:after'));
      expect(await runIds(store)).toEqual(['run:after']);
    } finally {
      await store.close();
    }
  });

  it("gives a port's unit the port's verbs bound to the unit: what they wrote is rolled back with it", async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      const landing = landingBooks(store);
      const reply = {
        sourceId: 'panel',
        action: 'balance',
        request: {},
        asOf: '2026-03-01',
        fetchedAt: '2026-03-02T00:00:00Z',
        httpStatus: 200,
        body: '{}',
        contentHash: 'h',
        runId: null,
      };
      const failing = landing.unit(async (tx) => {
        await tx.landRawReply(reply);
        throw new Error('the close failed');
      });
      await expect(failing).rejects.toThrowError('the close failed');
      await landing.unit((tx) => tx.landRawReply({ ...reply, contentHash: 'kept' }));
      const landed = await store.all(queryBuilder(store).selectFrom('raw_observations').select('content_hash'));
      expect(landed.map((row) => row.content_hash)).toEqual(['kept']);
    } finally {
      await store.close();
    }
  });
});
