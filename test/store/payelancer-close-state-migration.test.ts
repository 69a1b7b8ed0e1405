import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CounterStateSchema } from '../../src/rules/index.js';
import { openBooks } from '../support/books.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { useTempDir } from '../support/temp-dir.js';
import { syncBooks } from '../../src/pipeline/sync/index.js';

const tempDir = useTempDir();

describe('upgrading a ledger whose ad network kept its counter under a key of its own', () => {
  it('carries the counter on as the staged close state, so the next close counts from 120.50', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBeforeMigration(path, '0031', (sqlite) => {
      sqlite
        .prepare("INSERT INTO source_state (source_id, key, value, updated_at) VALUES ('ads', 'counter', ?, ?)")
        .run('{"role":"publisher","valueMicros":"120500000","date":"2026-03-30"}', '2026-03-31T02:00:00Z');
    });
    const books = await openBooks(path);
    expect(await books.of(syncBooks).closeState('ads', CounterStateSchema)).toEqual({
      role: 'publisher',
      valueMicros: 120_500_000n,
      date: '2026-03-30',
    });
    await books.close();
  });
});
