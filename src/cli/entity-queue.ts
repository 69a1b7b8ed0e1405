import type { Config } from '../config/index.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor } from '../app/configured-books.js';
import { requirePostgresLedger } from '../app/queue-needs-postgres.js';

/**
 * The ledger whose database holds the job queue. With `entities:`, the first entity's, whichever entity a command
 * works on: `sync --queue` hands every entity's closes to one queue, and every worker takes them from it (each job
 * names its entity, whose own ledger the worker books it in). Without entities, the ledger itself.
 */
export function queueLedgerFor(context: CommandProcess, config: Config): string {
  const [first] = config.entities;
  const ledger =
    first === undefined || first === config.entity
      ? config.ledger
      : loadConfigFor({ ...context, entity: first }).ledger;
  requirePostgresLedger({ ...config, ledger }, 'the job queue');
  return ledger;
}

/** Each entity's ledger must be PostgreSQL for `what` (its workers close there, beside the queue's database). */
export function requirePostgresLedgers(configs: readonly Config[], what: string): void {
  for (const config of configs)
    requirePostgresLedger(config, config.entity === undefined ? what : `${what} (entity ${config.entity})`);
}
