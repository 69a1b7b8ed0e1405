import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { useTempDir } from '../support/temp-dir.js';
import { queryBuilder } from '../../src/store/query-builder.js';

const tempDir = useTempDir();

/** A ledger made before the close log existed: only migration 0001, with two committed runs on 03-10. */
async function legacyLedger(path: string): Promise<void> {
  await ledgerBeforeMigration(path, '0002', (sqlite) => {
    const raw = sqlite.prepare(
      `INSERT INTO raw_observations (id, source_id, action, request, as_of, fetched_at, http_status, body, content_hash, run_id)
       VALUES (?, 'smm-panel', ?, '{"method":"POST","path":"/api/v2","params":{}}', ?, '2026-03-11T02:00:00Z', 200, '{}', 'h', ?)`,
    );
    raw.run(1, 'balance', '2026-03-10', 'run:A');
    raw.run(2, 'multiStatus', '2026-03-10', 'run:A');
    raw.run(3, 'balance', '2026-03-10', 'run:B');
    raw.run(4, 'balance', '2026-03-11', 'run:C');
    raw.run(5, 'balance', '2026-03-10', 'run:failed');
    sqlite
      .prepare(
        `INSERT INTO source_events (id, source_id, kind, date, currency, amount_micros, ref, detail, entry_id, run_id, created_at)
         VALUES ('panel:smm-panel:order:500:charge:2026-03-10', 'smm-panel', 'order_charge', '2026-03-10', 'USD', 1000000, '500', '{}', NULL, 'run:A', '2026-03-11T02:00:00Z')`,
      )
      .run();
    const close = sqlite.prepare(
      `INSERT INTO source_closes (source_id, date, metric, value_micros, currency, raw_observation_id, taken_at) VALUES ('smm-panel', ?, 'balance', ?, 'USD', ?, ?)`,
    );
    close.run('2026-03-10', 79_100_000, 3, '2026-03-11T03:00:00Z');
    close.run('2026-03-11', 78_200_000, 4, '2026-03-12T02:00:00Z');
  });
}

describe('upgrading a ledger made before the close log', () => {
  it('rebuilds every committed close: the recorded one of each day, after the earlier run that booked from its own replies', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await legacyLedger(path);
    const store = await LedgerStore.open(path);
    const rows = await store.all(
      queryBuilder(store)
        .selectFrom('close_log')
        .select(['date', 'run_id', 'value_micros', 'raw_observation_id'])
        .orderBy('id'),
    );
    expect(rows).toEqual([
      { date: '2026-03-10', run_id: 'run:A', value_micros: 79_100_000n, raw_observation_id: null },
      { date: '2026-03-10', run_id: 'run:B', value_micros: 79_100_000n, raw_observation_id: 3n },
      { date: '2026-03-11', run_id: 'run:C', value_micros: 78_200_000n, raw_observation_id: 4n },
    ]);
    await store.close();
  });
});
