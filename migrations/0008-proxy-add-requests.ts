import type { Kysely } from 'kysely';
import { appendOnly as appendOnlyPostgres, runStatements, TEXT } from './postgres-rules.js';

/**
 * What `ledgerline panel-proxy` kept of each `add` it forwarded: the request,
 * written before anything reaches the panel, and what came of it, written
 * after. A request with no outcome (the proxy killed while the panel held
 * it) or an unknown one (no answer; an order id that cannot be read) may be a
 * placed and charged order the ledger cannot name: `reconcile` lists it.
 *
 * The id is the proxy's, so a record kept in the spool file while the ledger
 * was busy is imported once by the next sync, and a request and its outcome
 * may arrive by different roads. Never the key or the link: service and
 * quantity only. `requested_at` is dated as orders are (the books' time zone);
 * `received_at` is the machine's clock in UTC, compared with the balance reads
 * (raw_observations.fetched_at) to find the close a placed order fell in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE add_requests (
       id TEXT PRIMARY KEY,
       source_id TEXT NOT NULL,
       service TEXT,
       quantity INTEGER,
       requested_at TEXT NOT NULL,
       received_at TEXT NOT NULL,
       kept_via TEXT NOT NULL CHECK (kept_via IN ('ledger', 'spool'))
     ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX add_requests_by_source ON add_requests (source_id, received_at)`,
    `CREATE TABLE add_outcomes (
       request_id TEXT PRIMARY KEY REFERENCES add_requests (id),
       outcome TEXT NOT NULL CHECK (outcome IN ('placed', 'not_placed', 'unknown')),
       order_id TEXT CHECK ((outcome = 'placed') = (order_id IS NOT NULL)),
       http_status INTEGER,
       raw_observation_id INTEGER REFERENCES raw_observations (id),
       detail TEXT,
       answered_at TEXT NOT NULL,
       kept_via TEXT NOT NULL CHECK (kept_via IN ('ledger', 'spool'))
     ) STRICT, WITHOUT ROWID`,
    ...(['add_requests', 'add_outcomes'] as const).flatMap((table) =>
      (['UPDATE', 'DELETE'] as const).map(
        (statement) =>
          `CREATE TRIGGER ${table}_no_${statement.toLowerCase()} BEFORE ${statement} ON ${table}
           BEGIN SELECT RAISE(ABORT, '${table.replace('_', ' ')} are append-only: ${statement} refused'); END`,
      ),
    ),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE add_requests (
       id ${TEXT} PRIMARY KEY,
       source_id ${TEXT} NOT NULL,
       service ${TEXT},
       quantity BIGINT,
       requested_at ${TEXT} NOT NULL,
       received_at ${TEXT} NOT NULL,
       kept_via ${TEXT} NOT NULL CHECK (kept_via IN ('ledger', 'spool'))
     )`,
    `CREATE INDEX add_requests_by_source ON add_requests (source_id, received_at)`,
    `CREATE TABLE add_outcomes (
       request_id ${TEXT} PRIMARY KEY REFERENCES add_requests (id),
       outcome ${TEXT} NOT NULL CHECK (outcome IN ('placed', 'not_placed', 'unknown')),
       order_id ${TEXT} CHECK ((outcome = 'placed') = (order_id IS NOT NULL)),
       http_status BIGINT,
       raw_observation_id BIGINT REFERENCES raw_observations (id),
       detail ${TEXT},
       answered_at ${TEXT} NOT NULL,
       kept_via ${TEXT} NOT NULL CHECK (kept_via IN ('ledger', 'spool'))
     )`,
    ...appendOnlyPostgres('add_requests', 'add requests are'),
    ...appendOnlyPostgres('add_outcomes', 'add outcomes are'),
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
