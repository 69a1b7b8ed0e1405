import type { Kysely } from 'kysely';
import { appendOnly as appendOnlyPostgres, IDENTITY, runStatements, TEXT } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Every close that committed, one row each, in the order they committed.
 * `source_closes` keeps only a day's latest snapshot; a replay (`sync
 * --from/--to`) must re-read every committed close of a day, because a second
 * run of the same day polls only what the first left open. The raw replies of
 * a close are the raw rows of its run for its source.
 *
 * Ledgers older than this table get their closes rebuilt: each day's
 * recorded close, and before it any other run that booked events for the
 * source that day from replies it landed: the best history there is.
 *
 * `close_rereads`: the figure (counter or balance) a replay read from a
 * close's stored reply when it differs from what the close recorded; the
 * books count from it afterwards.
 *
 * `order_corrections`: what a replay's correcting entries changed for each
 * panel order and day. A correction is booked per account, so this is how a
 * later replay (and the order's live state) knows an order was corrected.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE close_log (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       source_id TEXT NOT NULL,
       date TEXT NOT NULL,
       run_id TEXT NOT NULL,
       metric TEXT NOT NULL,
       value_micros INTEGER NOT NULL,
       currency TEXT NOT NULL,
       raw_observation_id INTEGER REFERENCES raw_observations (id),
       taken_at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX close_log_by_source ON close_log (source_id, date)`,
    ...appendOnly('close_log', 'the close log is'),
    `CREATE INDEX raw_observations_by_run ON raw_observations (run_id, source_id)`,
    `CREATE TABLE close_rereads (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       close_id INTEGER NOT NULL REFERENCES close_log (id),
       value_micros INTEGER NOT NULL,
       run_id TEXT NOT NULL,
       created_at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX close_rereads_by_close ON close_rereads (close_id)`,
    ...appendOnly('close_rereads', 'close re-reads are'),
    `CREATE TABLE order_corrections (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       source_id TEXT NOT NULL,
       order_id TEXT NOT NULL,
       date TEXT NOT NULL,
       amount_micros INTEGER NOT NULL CHECK (amount_micros <> 0),
       entry_id TEXT REFERENCES journal_entries (id),
       run_id TEXT NOT NULL,
       created_at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX order_corrections_by_source ON order_corrections (source_id, date)`,
    ...appendOnly('order_corrections', 'order corrections are'),
    REBUILD_CLOSES,
  ]);
}

/** The same tables on PostgreSQL; the rebuild of older ledgers' closes is shared, word for word. */
export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE close_log (
       id ${IDENTITY},
       source_id ${TEXT} NOT NULL,
       date ${TEXT} NOT NULL,
       run_id ${TEXT} NOT NULL,
       metric ${TEXT} NOT NULL,
       value_micros BIGINT NOT NULL,
       currency ${TEXT} NOT NULL,
       raw_observation_id BIGINT REFERENCES raw_observations (id),
       taken_at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX close_log_by_source ON close_log (source_id, date)`,
    ...appendOnlyPostgres('close_log', 'the close log is'),
    `CREATE INDEX raw_observations_by_run ON raw_observations (run_id, source_id)`,
    `CREATE TABLE close_rereads (
       id ${IDENTITY},
       close_id BIGINT NOT NULL REFERENCES close_log (id),
       value_micros BIGINT NOT NULL,
       run_id ${TEXT} NOT NULL,
       created_at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX close_rereads_by_close ON close_rereads (close_id)`,
    ...appendOnlyPostgres('close_rereads', 'close re-reads are'),
    `CREATE TABLE order_corrections (
       id ${IDENTITY},
       source_id ${TEXT} NOT NULL,
       order_id ${TEXT} NOT NULL,
       date ${TEXT} NOT NULL,
       amount_micros BIGINT NOT NULL CHECK (amount_micros <> 0),
       entry_id ${TEXT} REFERENCES journal_entries (id),
       run_id ${TEXT} NOT NULL,
       created_at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX order_corrections_by_source ON order_corrections (source_id, date)`,
    ...appendOnlyPostgres('order_corrections', 'order corrections are'),
    REBUILD_CLOSES,
  ]);
}

// A day's earlier committed runs are those that booked events from replies they landed;
// they get the day's recorded figure (only its latest run's is known), and a replay re-reads theirs.
const REBUILD_CLOSES = `INSERT INTO close_log (source_id, date, run_id, metric, value_micros, currency, raw_observation_id, taken_at)
       SELECT c.source_id, c.date, k.run_id, c.metric, c.value_micros, c.currency,
              CASE WHEN k.run_id = COALESCE(latest.run_id, '') THEN c.raw_observation_id END, c.taken_at
       FROM source_closes c
       LEFT JOIN raw_observations latest ON latest.id = c.raw_observation_id
       JOIN (
         SELECT e.source_id, e.date, e.run_id FROM source_events e
         WHERE e.run_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM raw_observations r WHERE r.run_id = e.run_id AND r.source_id = e.source_id)
         UNION
         SELECT c2.source_id, c2.date, COALESCE(r2.run_id, '') FROM source_closes c2
         LEFT JOIN raw_observations r2 ON r2.id = c2.raw_observation_id
       ) k ON k.source_id = c.source_id AND k.date = c.date
       ORDER BY c.date, c.source_id, (SELECT MIN(r3.id) FROM raw_observations r3 WHERE r3.run_id = k.run_id AND r3.source_id = c.source_id)`;

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
