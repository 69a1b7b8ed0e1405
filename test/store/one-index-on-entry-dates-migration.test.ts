import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();

/** How SQLite plans `query`: one line per step. */
function plan(sqlite: Database.Database, query: string): string[] {
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((step) => step.detail);
}

describe('one index on the entries dates (0014)', () => {
  it('keeps the index of book order and reads the latest date and a window of dates through it', async () => {
    const store = await LedgerStore.open(join(tempDir(), 'ledger.sqlite'));
    try {
      expect(
        store.sqlite
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'journal_entries' AND sql IS NOT NULL ORDER BY name",
          )
          .pluck()
          .all(),
      ).toEqual(['journal_entries_by_identity']);
      expect(plan(store.sqlite, 'SELECT MAX(date) FROM journal_entries')).toEqual([
        'SEARCH journal_entries USING COVERING INDEX journal_entries_by_identity',
      ]);
      expect(
        plan(
          store.sqlite,
          "SELECT e.id FROM journal_entries e WHERE e.date >= '2026-03-01' AND e.date <= '2026-03-31' ORDER BY e.date, e.source_id, e.id",
        ),
      ).toEqual(['SEARCH e USING COVERING INDEX journal_entries_by_identity (date>? AND date<?)']);
    } finally {
      await store.close();
    }
  });
});
