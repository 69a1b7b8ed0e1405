import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { locationOf, type Books } from './books.js';

/**
 * A connection of the test's own to a SQLite ledger file, as a person with a sqlite3 shell has one: to read or
 * plant a row synchronously beside the books the test opened (integers as bigint, as the books read them).
 */
export function openSqliteFile(path: string): Database.Database {
  const sqlite = new Database(path);
  sqlite.defaultSafeIntegers(true);
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

const opened = new Map<string, Database.Database>();
afterAll(() => {
  for (const sqlite of opened.values()) sqlite.close();
  opened.clear();
});

/** The file's own connection beside `books` (a SQLite ledger), opened once per file of tests and closed after it. */
export function sqliteOf(books: Books): Database.Database {
  const path = locationOf(books);
  const known = opened.get(path);
  if (known?.open === true) return known;
  const sqlite = openSqliteFile(path);
  opened.set(path, sqlite);
  return sqlite;
}
