import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { sealLedger } from '../../src/store/ledger-identity.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { useTempDir } from '../support/temp-dir.js';
import { queryBuilder } from '../../src/store/query-builder.js';

const tempDir = useTempDir();
const engines = useLedgerEngines();

describe('a ledger created before identities', () => {
  it('gets one when it is next migrated, unsealed, and keeps it', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBeforeMigration(path, '0009'); // as an older ledgerline left it: no identity
    const first = await LedgerStore.open(path);
    const identity = await LedgerStore.identityOf(first).finally(() => first.close());
    expect(identity).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      seal: undefined,
    });
    const again = await LedgerStore.open(path);
    expect(await LedgerStore.identityOf(again).finally(() => again.close())).toEqual(identity);
  });
});

describe.each(LEDGER_ENGINES)('the identity of a new ledger (%s)', (engine) => {
  it('is its own, and a seal, once put on, is never lifted nor the row deleted', async () => {
    const location = (await engines.fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const other = join(tempDir(), 'other.sqlite');
    const store = await LedgerStore.openAt(location);
    const otherStore = await LedgerStore.open(other);
    try {
      const identity = await LedgerStore.identityOf(store);
      expect(identity.id).not.toBe((await LedgerStore.identityOf(otherStore)).id);
      await store.unitOfWork((tx) => sealLedger(tx, 'postgres://books@db:5432/ledger', '2026-03-04T09:00:00.000Z'));
      expect((await LedgerStore.identityOf(store)).seal).toEqual({
        movedTo: 'postgres://books@db:5432/ledger',
        movedAt: '2026-03-04T09:00:00.000Z',
      });
      await expect(
        store.unitOfWork((tx) =>
          tx.run(queryBuilder(store).updateTable('ledger_identity').set({ moved_to: null, moved_at: null })),
        ),
      ).rejects.toThrow(/sealed: its seal is never lifted/);
      await expect(store.unitOfWork((tx) => tx.run(queryBuilder(store).deleteFrom('ledger_identity')))).rejects.toThrow(
        /never deleted/,
      );
      expect((await LedgerStore.identityOf(store)).seal?.movedTo).toBe('postgres://books@db:5432/ledger');
    } finally {
      await store.close();
      await otherStore.close();
    }
  });
});
