import { isPostgresUrl, type Config } from '../config/index.js';
import { UsageError } from '../errors.js';
import { readWholeNumber, wholeNumberRefusal } from './flags.js';

/** The queue lives in the ledger's PostgreSQL database: a SQLite ledger has none. */
export function requirePostgresLedger(config: Config, what: string): void {
  if (!isPostgresUrl(config.ledger)) {
    throw new UsageError(`${what} needs a PostgreSQL ledger, whose database holds the job queue: the \`ledger\` key of ${config.file} names a SQLite file (set it to postgres://user@host:5432/database)`);
  }
}

/** A whole number of at least 1 given as `flag`, or `fallback` when absent. */
export function positiveInteger(flag: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' ? readWholeNumber(value) : undefined;
  if (number === undefined || number < 1) throw new UsageError(wholeNumberRefusal(flag, value, 1));
  return number;
}

