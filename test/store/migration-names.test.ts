import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, POSTGRES_MIGRATIONS } from '../../migrations/index.js';
import { MIGRATION_NAMES } from '../../migrations/names.js';

/** Each migration's file in migrations/, by name, in name order: what kysely applies. */
const FILES = readdirSync(join(import.meta.dirname, '..', '..', 'migrations'))
  .filter((file) => /^\d{4}-.*\.ts$/.test(file))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

describe('the migrations opening a ledger counts are the ones it would run', () => {
  it('names.ts lists every migration file, in order, and nothing else: add a new migration there too', () => {
    expect([...MIGRATION_NAMES], 'migrations/names.ts disagrees with the migration files').toEqual(FILES);
  });

  it("both engines' lists hold exactly those names, in that order", () => {
    expect(Object.keys(MIGRATIONS), "migrations/index.ts' MIGRATIONS").toEqual([...MIGRATION_NAMES]);
    expect(Object.keys(POSTGRES_MIGRATIONS), "migrations/index.ts' POSTGRES_MIGRATIONS").toEqual([...MIGRATION_NAMES]);
  });
});
