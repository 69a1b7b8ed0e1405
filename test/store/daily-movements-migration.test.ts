import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { dailyMovements } from '../../src/store/daily-movements.js';
import { LedgerStore } from '../../src/store/index.js';
import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { FORGET_AFTER_0022, SQLITE_TRIGGER_BEFORE_0026 } from '../../bench/support/forget-after-0022.mjs';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const now = new Date('2026-04-03T02:00:00Z');
// Every later migration is forgotten first (kysely refuses a ledger whose record skips one), 0025 applied again (it is idempotent).
const FORGET_0022 = [
  ...FORGET_AFTER_0022,
  'DROP TABLE daily_movements',
  "DELETE FROM kysely_migration WHERE name = '0022-daily-movements'",
];

/** The ledger at `location` as it stood before 0022: its daily movements, what came after, and the record of the migrations gone. */
async function asBefore0022(location: string): Promise<void> {
  if (!location.startsWith('postgres')) {
    const sqlite = new Database(location);
    for (const statement of SQLITE_TRIGGER_BEFORE_0026) sqlite.exec(statement);
    for (const statement of FORGET_0022) sqlite.exec(statement);
    sqlite.close();
    return;
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  for (const statement of FORGET_0022) await client.query(statement);
  await client.end();
}

const line = (account: string, amountMicros: bigint) => ({ account, currency: 'USD', amountMicros });

describe.each(LEDGER_ENGINES)('upgrading a %s ledger to daily movements (0022)', (engine) => {
  it("takes each day's movement from the lines, exact and in cents, rounding lines included", async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const store = await LedgerStore.openAt(location);
    const ledger = new Ledger(journalBooksOver(store));
    // Fees and advertising of 0.005 each against −0.01 render 0.00, 0.00 (half to even) and −0.01: a rounding line of +0.01 balances the cents;
    // fees then reach 2.005 (2.00) and the prepaid 2.01.
    await ledger.appendEntry(
      {
        id: 'je:a',
        date: '2026-03-02',
        sourceId: 'ads',
        description: 'a',
        eventIds: [],
        lines: [line('fees', 5_000n), line('advertising_expense', 5_000n), line('payelancer_prepaid', -10_000n)],
      },
      { now },
    );
    await ledger.appendEntry(
      {
        id: 'je:b',
        date: '2026-03-02',
        sourceId: 'ads',
        description: 'b',
        eventIds: [],
        lines: [line('fees', 2_000_000n), line('payelancer_prepaid', -2_000_000n)],
      },
      { now },
    );
    await ledger.appendEntry(
      {
        id: 'je:c',
        date: '2026-03-03',
        sourceId: 'smm-panel',
        description: 'c',
        eventIds: [],
        lines: [line('smm_services_expense', 1_004_000n), line('panel_prepaid', -1_004_000n)],
      },
      { now },
    );
    const kept = await dailyMovements(store, { from: '2026-03-01', to: '2026-03-31' });
    await store.close();
    await asBefore0022(location);

    const upgraded = await LedgerStore.openAt(location);
    const taken = await dailyMovements(upgraded, { from: '2026-03-01', to: '2026-03-31' });
    await upgraded.close();
    expect(taken).toEqual(kept);
    const row = (
      date: string,
      sourceId: string,
      account: string,
      micros: [bigint, bigint],
      cents: [bigint, bigint],
    ) => ({
      date,
      sourceId,
      account,
      currency: 'USD',
      debitMicros: micros[0],
      creditMicros: micros[1],
      debitCents: cents[0],
      creditCents: cents[1],
    });
    expect(taken).toEqual([
      row('2026-03-02', 'ads', 'advertising_expense', [5_000n, 0n], [0n, 0n]),
      row('2026-03-02', 'ads', 'fees', [2_005_000n, 0n], [200n, 0n]),
      row('2026-03-02', 'ads', 'payelancer_prepaid', [0n, 2_010_000n], [0n, 201n]),
      row('2026-03-02', 'ads', 'rounding', [0n, 0n], [1n, 0n]),
      row('2026-03-03', 'smm-panel', 'panel_prepaid', [0n, 1_004_000n], [0n, 100n]),
      row('2026-03-03', 'smm-panel', 'smm_services_expense', [1_004_000n, 0n], [100n, 0n]),
    ]);
    expect(await readBooks(location, (books) => books.movementsApartFromLines())).toEqual([]);
  });
});
