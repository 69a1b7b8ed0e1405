import type { Migration } from 'kysely';
import * as ledger from './0001-ledger.js';

/** Every migration, by name; kysely's Migrator applies them in name order. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-ledger': ledger,
};
