import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { forgetAfter0035 } from '../support/forget-after-0035.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();

/** 0035 forgotten, with a run holding the lock as a ledger before it recorded it: pid and host only. */
const BEFORE_0035 = [
  'ALTER TABLE run_lock DROP COLUMN pid_started',
  "DELETE FROM kysely_migration WHERE name = '0035-run-lock-holder-start'",
  `INSERT INTO run_lock (name, run_id, pid, host, acquired_at, heartbeat_at)
     VALUES ('ledger', 'run:before', 4194304, 'host-a', '2026-03-01T02:00:00.000Z', '2026-03-01T02:00:00.000Z')`,
];

describe.each(LEDGER_ENGINES)('upgrading a %s ledger to the run lock holder start (0035)', (engine) => {
  it('keeps the holder it had, its start unknown (null), so its pid alone decides as before', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    await (await LedgerStore.openAt(location)).close();
    await rawTransaction(location, [...forgetAfter0035(location), ...BEFORE_0035]);
    await (await LedgerStore.openAt(location)).close();
    expect(await readBooks(location, (books) => books.rows('run_lock', 'name'))).toEqual([
      expect.objectContaining({ run_id: 'run:before', host: 'host-a', pid_started: null }),
    ]);
  });
});
