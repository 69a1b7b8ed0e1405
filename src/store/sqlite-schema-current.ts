import type Database from 'better-sqlite3';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * Whether every migration this build knows is recorded as run, read straight from the table kysely's Migrator
 * keeps. The Migrator's own answer first makes sure of its tables by introspecting every table of the schema
 * (a query and a pragma per table: ~40 at each open); this is one query. False when it cannot tell (a new file,
 * no such table yet): the Migrator then decides, as before.
 */
export function sqliteSchemaIsCurrent(sqlite: Database.Database): boolean {
  try {
    const ran = new Set(sqlite.prepare('SELECT name FROM kysely_migration').pluck().all() as string[]);
    return Object.keys(MIGRATIONS).every((name) => ran.has(name));
  } catch {
    return false;
  }
}
