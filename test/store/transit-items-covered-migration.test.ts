import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSIT_KINDS_INDEXED } from '../../migrations/0034-transit-indexes.js';
import { LedgerStore } from '../../src/store/index.js';
import { transitBooksOver } from '../../src/store/transit-books-store.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();

/** 0039 forgotten: the index as 0034 made it, of the day and id alone. */
const BEFORE_0039 = [
  'DROP INDEX source_events_in_transit',
  `CREATE INDEX source_events_in_transit ON source_events (date, id)
     WHERE kind IN (${TRANSIT_KINDS_INDEXED.map((kind) => `'${kind}'`).join(', ')})`,
  "DELETE FROM kysely_migration WHERE name = '0039-transit-items-covered'",
];

/** A payout, a top-up and an order of one panel's day: the order is no item of the transit. */
const EVENTS = [
  ['pub:payout:7', 'pub', 'payout_wire', '2026-11-12', 'EUR', 312_400_000],
  ['smm:topup:3', 'smm', 'panel_topup', '2026-11-11', 'USD', 40_000_000],
  ['smm:order:9', 'smm', 'order_completed', '2026-11-11', 'USD', 5_000_000],
].map(
  ([id, source, kind, date, currency, micros]) =>
    `INSERT INTO source_events (id, source_id, kind, date, currency, amount_micros, ref, detail, run_id, created_at)
       VALUES ('${id}', '${source}', '${kind}', '${date}', '${currency}', ${micros}, 'r', '{}', NULL, '2026-11-13T02:00:00.000Z')`,
);

/** The index's definition as the engine keeps it. */
async function transitIndexDefinition(location: string): Promise<string> {
  const rows = location.startsWith('postgres')
    ? ((await readBooks(location, (books) => books.rows('pg_indexes', 'indexname'))) as {
        indexname: string;
        indexdef: string;
      }[])
    : (
        (await readBooks(location, (books) => books.rows('sqlite_master', 'name'))) as { name: string; sql: string }[]
      ).map((row) => ({ indexname: row.name, indexdef: row.sql }));
  return rows.find((row) => row.indexname === 'source_events_in_transit')?.indexdef ?? '';
}

describe.each(LEDGER_ENGINES)(
  'the transit items index holding what the transit reads (0039) on a %s ledger',
  (engine) => {
    it('remakes the index with the kind, source, currency and amount after the day and id; the items read are as before', async () => {
      const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
      await (await LedgerStore.openAt(location)).close();
      await rawTransaction(location, [...EVENTS, ...BEFORE_0039]);

      const store = await LedgerStore.openAt(location);
      try {
        expect(await transitBooksOver(store).transitItems()).toEqual([
          {
            id: 'smm:topup:3',
            kind: 'topup',
            eventKind: 'panel_topup',
            sourceId: 'smm',
            amountMicros: 40_000_000n,
            currency: 'USD',
            reportedOn: '2026-11-11',
            cleared: false,
          },
          {
            id: 'pub:payout:7',
            kind: 'payout',
            eventKind: 'payout_wire',
            sourceId: 'pub',
            amountMicros: 312_400_000n,
            currency: 'EUR',
            reportedOn: '2026-11-12',
            cleared: false,
          },
        ]);
      } finally {
        await store.close();
      }
      expect(await transitIndexDefinition(location)).toMatch(/\(date, id, kind, source_id, currency, amount_micros\)/);
    });
  },
);
