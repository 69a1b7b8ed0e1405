import { isPostgresUrl, type Config } from '../config/index.js';
import { UsageError } from '../errors.js';

/** The queue lives in the ledger's PostgreSQL database: a SQLite ledger has none. */
export function requirePostgresLedger(config: Config, what: string): void {
  if (!isPostgresUrl(config.ledger)) {
    throw new UsageError(
      `${what} needs a PostgreSQL ledger, whose database holds the job queue: the \`ledger\` key ` +
        `of ${config.file} names a SQLite file (set it to postgres://user@host:5432/database)`,
    );
  }
}
