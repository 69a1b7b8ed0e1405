import { closeSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { sqliteAddon } from './sqlite-ledger-store.js';
import { storageErrorOf } from './storage-errors.js';

/** The first 16 bytes of every SQLite database file (its header string, NUL-terminated). */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** The tables that make a SQLite file a ledgerline ledger: the journal and the ledger's identity (migration 0009). */
const LEDGER_MARKS = ['journal_entries', 'ledger_identity'] as const;

/**
 * What a file handed to `restore --from` is: empty, not SQLite at all, a SQLite database of other tables, or a
 * ledgerline ledger with its identity (undefined for one older than migration 0009, which gave every ledger one).
 */
export type BackupFileKind =
  | { kind: 'empty' }
  | { kind: 'not-sqlite' }
  | { kind: 'foreign'; tables: string[] }
  | { kind: 'ledger'; identity: { id: string; createdAt: string } | undefined };

/**
 * Reads what the SQLite file at `path` is, opened read-only (nothing is written to it, its journal mode neither).
 * Example: a 0-byte file a failed backup job left → empty; a database whose one table is `photos` → foreign.
 */
export function backupFileKind(path: string): BackupFileKind {
  if (statSync(path).size === 0) return { kind: 'empty' };
  if (!readHeader(path).equals(SQLITE_HEADER)) return { kind: 'not-sqlite' };
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true, ...sqliteAddon() });
    const tables = (
      sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    ).map((row) => row.name);
    if (!tables.includes(LEDGER_MARKS[0])) return { kind: 'foreign', tables };
    if (!tables.includes(LEDGER_MARKS[1])) return { kind: 'ledger', identity: undefined };
    const row = sqlite.prepare('SELECT id, created_at FROM ledger_identity').get() as
      { id: string; created_at: string } | undefined;
    return { kind: 'ledger', identity: row === undefined ? undefined : { id: row.id, createdAt: row.created_at } };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') return { kind: 'not-sqlite' };
    throw storageErrorOf(error, path);
  } finally {
    sqlite?.close();
  }
}

function readHeader(path: string): Buffer {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  return header;
}
