import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATION_NAMES } from '../../migrations/names.js';
import { SqliteLedgerStore } from '../../src/store/sqlite-ledger-store.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * A new SQLite ledger is written whole from the empty ledger its process migrated once in memory (writeNewLedger in
 * src/store/sqlite-ledger-store.ts), where it used to run the 40 migrations on each new file. A ledger made so must
 * be the ledger the migrations make, row for row, with an identity of its own.
 */
const tempDir = useTempDir();

type Row = Record<string, unknown>;

/** Every schema object with its SQL, and every table's rows, as the file holds them. */
function contents(store: SqliteLedgerStore): { schema: Row[]; rows: Record<string, Row[]> } {
  const schema = store.sqlite
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all() as Row[];
  const rows: Record<string, Row[]> = {};
  for (const { name } of schema.filter((object) => object.type === 'table'))
    rows[String(name)] = store.sqlite.prepare(`SELECT * FROM "${String(name)}" ORDER BY 1`).all() as Row[];
  return { schema, rows };
}

/** What differs between two new ledgers by right: which ledger it is, and when it and its migrations were made. */
function withoutWhenAndWho(books: ReturnType<typeof contents>): ReturnType<typeof contents> {
  const rows = { ...books.rows };
  rows.ledger_identity = rows.ledger_identity!.map((row) => ({ ...row, id: '…', created_at: '…' }));
  rows.kysely_migration = rows.kysely_migration!.map((row) => ({ ...row, timestamp: '…' }));
  return { schema: books.schema, rows };
}

describe('a new SQLite ledger', () => {
  it('holds what the migrations make, row for row, apart from its identity and its times', async () => {
    const migratedPath = join(tempDir(), 'migrated.sqlite');
    // An empty file, as SQLite makes one, is an existing ledger with no schema yet: `open` runs every migration on it.
    new Database(migratedPath).close();
    const migrated = await SqliteLedgerStore.open(migratedPath);
    const madePath = join(tempDir(), 'new.sqlite');
    const made = await SqliteLedgerStore.open(madePath);
    try {
      const migratedBooks = contents(migrated);
      const madeBooks = contents(made);
      expect(madeBooks.schema.length).toBeGreaterThan(100);
      expect(madeBooks.rows.kysely_migration!.map((row) => row.name)).toEqual([...MIGRATION_NAMES]);
      expect(withoutWhenAndWho(madeBooks)).toEqual(withoutWhenAndWho(migratedBooks));
      expect(made.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(made.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(statSync(madePath).mode & 0o777).toBe(statSync(migratedPath).mode & 0o777);
    } finally {
      await migrated.close();
      await made.close();
    }
  });

  it('gets an identity of its own and the time of its making, however many a process makes', async () => {
    const before = new Date().toISOString();
    const stores = [];
    for (const name of ['a', 'b', 'c']) stores.push(await SqliteLedgerStore.open(join(tempDir(), `${name}.sqlite`)));
    try {
      const identities = stores.map(
        (store) => store.sqlite.prepare('SELECT id, created_at FROM ledger_identity').get() as Row,
      );
      expect(new Set(identities.map((identity) => identity.id)).size).toBe(3);
      for (const [index, identity] of identities.entries()) {
        expect(identity.id).toMatch(/^[0-9a-f]{32}$/);
        expect(String(identity.created_at) >= before).toBe(true);
        const times = stores[index]!.sqlite.prepare('SELECT DISTINCT timestamp FROM kysely_migration').pluck().all();
        expect(times).toEqual([identity.created_at]);
      }
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('made twice at once on one path is one ledger, and leaves nothing beside it', async () => {
    const dir = tempDir();
    const path = join(dir, 'ledger.sqlite');
    const [first, second] = await Promise.all([SqliteLedgerStore.open(path), SqliteLedgerStore.open(path)]);
    try {
      const idOf = (store: SqliteLedgerStore) => store.sqlite.prepare('SELECT id FROM ledger_identity').pluck().get();
      expect(idOf(first)).toBe(idOf(second));
      expect(readdirSync(dir).filter((name) => !/^ledger\.sqlite(-wal|-shm)?$/.test(name))).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
