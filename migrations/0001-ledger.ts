import type { Kysely } from 'kysely';
import { appendOnlyTriggers, IDENTITY, refusal, REFUSE_FUNCTION, runStatements, TEXT } from './postgres-rules.js';

/**
 * The whole ledger schema. The rules that keep books honest live here, in the
 * database, not only in application code:
 *  - a journal entry's header can only be inserted after its lines (a line
 *    with no header fails its deferred foreign key at commit), and only
 *    if those lines sum to zero in every currency (and there are at least two);
 *  - no line can be added to an entry that already exists;
 *  - raw observations, journal entries and their lines can never be updated or
 *    deleted: a correction is a new entry.
 * Amounts are INTEGER micro-units (cents for rendered lines); better-sqlite3
 * reads them as BigInt, so nothing is rounded on the way out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE raw_observations (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       source_id TEXT NOT NULL,
       action TEXT NOT NULL,
       request TEXT NOT NULL,
       as_of TEXT NOT NULL,
       fetched_at TEXT NOT NULL,
       http_status INTEGER NOT NULL,
       body TEXT NOT NULL,
       content_hash TEXT NOT NULL,
       run_id TEXT
     ) STRICT`,
    `CREATE INDEX raw_observations_by_source ON raw_observations (source_id, as_of, action)`,
    `CREATE TRIGGER raw_observations_no_update BEFORE UPDATE ON raw_observations
       BEGIN SELECT RAISE(ABORT, 'raw observations are append-only: UPDATE refused'); END`,
    `CREATE TRIGGER raw_observations_no_delete BEFORE DELETE ON raw_observations
       BEGIN SELECT RAISE(ABORT, 'raw observations are append-only: DELETE refused'); END`,

    `CREATE TABLE source_events (
       id TEXT PRIMARY KEY,
       source_id TEXT NOT NULL,
       kind TEXT NOT NULL,
       date TEXT NOT NULL,
       currency TEXT NOT NULL,
       amount_micros INTEGER NOT NULL CHECK (amount_micros > 0),
       ref TEXT NOT NULL,
       detail TEXT NOT NULL,
       entry_id TEXT,
       run_id TEXT,
       created_at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX source_events_by_date ON source_events (source_id, date)`,
    `CREATE TRIGGER source_events_no_delete BEFORE DELETE ON source_events
       BEGIN SELECT RAISE(ABORT, 'source events are append-only: DELETE refused'); END`,
    `CREATE TRIGGER source_events_amount_fixed BEFORE UPDATE OF id, source_id, kind, date, currency, amount_micros ON source_events
       BEGIN SELECT RAISE(ABORT, 'source events are immutable: only their entry link may be set'); END`,

    `CREATE TABLE journal_entries (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       id TEXT NOT NULL UNIQUE,
       date TEXT NOT NULL,
       source_id TEXT NOT NULL,
       description TEXT NOT NULL,
       event_ids TEXT NOT NULL,
       content_hash TEXT NOT NULL,
       run_id TEXT,
       created_at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX journal_entries_by_date ON journal_entries (date, seq)`,
    `CREATE TABLE journal_lines (
       entry_id TEXT NOT NULL REFERENCES journal_entries (id) DEFERRABLE INITIALLY DEFERRED,
       line_no INTEGER NOT NULL,
       account TEXT NOT NULL,
       currency TEXT NOT NULL,
       amount_micros INTEGER NOT NULL CHECK (amount_micros <> 0),
       description TEXT,
       PRIMARY KEY (entry_id, line_no)
     ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX journal_lines_by_account ON journal_lines (account, currency)`,
    `CREATE TRIGGER journal_lines_sealed BEFORE INSERT ON journal_lines
       WHEN EXISTS (SELECT 1 FROM journal_entries WHERE id = NEW.entry_id)
       BEGIN SELECT RAISE(ABORT, 'journal entry already committed: lines cannot be added'); END`,
    `CREATE TRIGGER journal_entries_balanced BEFORE INSERT ON journal_entries
       BEGIN
         SELECT RAISE(ABORT, 'journal entry has fewer than two lines')
           WHERE (SELECT COUNT(*) FROM journal_lines WHERE entry_id = NEW.id) < 2;
         SELECT RAISE(ABORT, 'journal entry does not balance: debits and credits differ in a currency')
           WHERE EXISTS (SELECT 1 FROM journal_lines WHERE entry_id = NEW.id
                         GROUP BY currency HAVING SUM(amount_micros) <> 0);
       END`,
    `CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
       BEGIN SELECT RAISE(ABORT, 'journal entries are immutable: UPDATE refused; book a correcting entry'); END`,
    `CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
       BEGIN SELECT RAISE(ABORT, 'journal entries are immutable: DELETE refused; book a reversing entry'); END`,
    `CREATE TRIGGER journal_lines_no_update BEFORE UPDATE ON journal_lines
       BEGIN SELECT RAISE(ABORT, 'journal lines are immutable: UPDATE refused'); END`,
    `CREATE TRIGGER journal_lines_no_delete BEFORE DELETE ON journal_lines
       BEGIN SELECT RAISE(ABORT, 'journal lines are immutable: DELETE refused'); END`,

    // The cents every destination receives, fixed when the entry is appended (DESIGN §2).
    `CREATE TABLE rendered_lines (
       entry_id TEXT NOT NULL REFERENCES journal_entries (id),
       line_no INTEGER NOT NULL,
       account TEXT NOT NULL,
       currency TEXT NOT NULL,
       cents INTEGER NOT NULL CHECK (cents <> 0),
       description TEXT,
       PRIMARY KEY (entry_id, line_no)
     ) STRICT, WITHOUT ROWID`,
    `CREATE TRIGGER rendered_lines_no_update BEFORE UPDATE ON rendered_lines
       BEGIN SELECT RAISE(ABORT, 'rendered lines are immutable: UPDATE refused'); END`,
    `CREATE TRIGGER rendered_lines_no_delete BEFORE DELETE ON rendered_lines
       BEGIN SELECT RAISE(ABORT, 'rendered lines are immutable: DELETE refused'); END`,
    // Exact running totals per (source, account, currency): the cumulative base for cent rendering.
    `CREATE TABLE running_totals (
       source_id TEXT NOT NULL,
       account TEXT NOT NULL,
       currency TEXT NOT NULL,
       exact_micros INTEGER NOT NULL,
       PRIMARY KEY (source_id, account, currency)
     ) STRICT, WITHOUT ROWID`,

    `CREATE TABLE deliveries (
       entry_id TEXT NOT NULL REFERENCES journal_entries (id),
       destination TEXT NOT NULL,
       state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'posted', 'refused', 'skipped')),
       remote_id TEXT,
       request_key TEXT,
       attempts INTEGER NOT NULL DEFAULT 0,
       last_error TEXT,
       updated_at TEXT NOT NULL,
       PRIMARY KEY (entry_id, destination)
     ) STRICT`,
    `CREATE INDEX deliveries_by_state ON deliveries (destination, state)`,

    `CREATE TABLE runs (
       id TEXT PRIMARY KEY,
       command TEXT NOT NULL,
       started_at TEXT NOT NULL,
       finished_at TEXT,
       outcome TEXT,
       as_of TEXT,
       summary TEXT,
       error TEXT
     ) STRICT`,
    `CREATE TABLE run_lock (
       name TEXT PRIMARY KEY,
       run_id TEXT NOT NULL,
       pid INTEGER NOT NULL,
       host TEXT NOT NULL,
       acquired_at TEXT NOT NULL,
       heartbeat_at TEXT NOT NULL
     ) STRICT`,

    `CREATE TABLE source_state (
       source_id TEXT NOT NULL,
       key TEXT NOT NULL,
       value TEXT NOT NULL,
       updated_at TEXT NOT NULL,
       PRIMARY KEY (source_id, key)
     ) STRICT`,
    // One row per source, date and metric: the close actually taken that day (the latest snapshot wins).
    `CREATE TABLE source_closes (
       source_id TEXT NOT NULL,
       date TEXT NOT NULL,
       metric TEXT NOT NULL,
       value_micros INTEGER NOT NULL,
       currency TEXT NOT NULL,
       raw_observation_id INTEGER REFERENCES raw_observations (id),
       taken_at TEXT NOT NULL,
       PRIMARY KEY (source_id, date, metric)
     ) STRICT`,

    `CREATE TABLE orders (
       source_id TEXT NOT NULL,
       order_id TEXT NOT NULL,
       service TEXT,
       quantity INTEGER,
       created_at TEXT,
       discovered_via TEXT NOT NULL,
       first_seen_date TEXT NOT NULL,
       state TEXT,
       terminal INTEGER NOT NULL DEFAULT 0,
       unknown_since TEXT,
       last_observed_date TEXT,
       updated_at TEXT NOT NULL,
       PRIMARY KEY (source_id, order_id)
     ) STRICT`,
    `CREATE INDEX orders_open ON orders (source_id, terminal)`,

    `CREATE TABLE webhook_inbox (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       source_id TEXT NOT NULL,
       kind TEXT NOT NULL,
       dedupe_key TEXT NOT NULL UNIQUE,
       received_at TEXT NOT NULL,
       body TEXT NOT NULL,
       status TEXT NOT NULL CHECK (status IN ('stored', 'processed', 'invalid')),
       note TEXT
     ) STRICT`,
    `CREATE TRIGGER webhook_inbox_no_delete BEFORE DELETE ON webhook_inbox
       BEGIN SELECT RAISE(ABORT, 'webhook bodies are kept: DELETE refused'); END`,
    `CREATE TRIGGER webhook_inbox_body_fixed BEFORE UPDATE OF body, dedupe_key, source_id, kind ON webhook_inbox
       BEGIN SELECT RAISE(ABORT, 'webhook bodies are kept as received: UPDATE refused'); END`,

    `CREATE TABLE quarantine (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       source_id TEXT NOT NULL,
       raw_observation_id INTEGER REFERENCES raw_observations (id),
       webhook_id INTEGER REFERENCES webhook_inbox (id),
       item_ref TEXT,
       reason TEXT NOT NULL,
       as_of TEXT NOT NULL,
       created_at TEXT NOT NULL,
       resolved_at TEXT
     ) STRICT`,

    `CREATE TABLE discrepancies (
       id TEXT PRIMARY KEY,
       kind TEXT NOT NULL,
       source_id TEXT NOT NULL,
       date TEXT NOT NULL,
       amount_micros INTEGER,
       currency TEXT,
       ref TEXT NOT NULL,
       message TEXT NOT NULL,
       created_at TEXT NOT NULL,
       resolved_at TEXT
     ) STRICT`,
    `CREATE INDEX discrepancies_by_date ON discrepancies (date)`,
  ]);
}

/**
 * The same schema on PostgreSQL. The balance of an entry is checked at commit
 * by a deferred constraint trigger (its lines are written before it, as on
 * SQLite); every message is SQLite's, word for word.
 */
export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    REFUSE_FUNCTION,
    `CREATE TABLE raw_observations (
       id ${IDENTITY},
       source_id ${TEXT} NOT NULL,
       action ${TEXT} NOT NULL,
       request ${TEXT} NOT NULL,
       as_of ${TEXT} NOT NULL,
       fetched_at ${TEXT} NOT NULL,
       http_status BIGINT NOT NULL,
       body ${TEXT} NOT NULL,
       content_hash ${TEXT} NOT NULL,
       run_id ${TEXT}
     )`,
    `CREATE INDEX raw_observations_by_source ON raw_observations (source_id, as_of, action)`,
    ...appendOnlyTriggers('raw_observations', {
      UPDATE: 'raw observations are append-only: UPDATE refused',
      DELETE: 'raw observations are append-only: DELETE refused',
      TRUNCATE: 'raw observations are append-only: TRUNCATE refused',
    }),

    `CREATE TABLE source_events (
       id ${TEXT} PRIMARY KEY,
       source_id ${TEXT} NOT NULL,
       kind ${TEXT} NOT NULL,
       date ${TEXT} NOT NULL,
       currency ${TEXT} NOT NULL,
       amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
       ref ${TEXT} NOT NULL,
       detail ${TEXT} NOT NULL,
       entry_id ${TEXT},
       run_id ${TEXT},
       created_at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX source_events_by_date ON source_events (source_id, date)`,
    refusal('source_events_no_delete', 'DELETE', 'source_events', 'source events are append-only: DELETE refused'),
    refusal('source_events_no_truncate', 'TRUNCATE', 'source_events', 'source events are append-only: TRUNCATE refused'),
    refusal(
      'source_events_amount_fixed',
      'UPDATE OF id, source_id, kind, date, currency, amount_micros',
      'source_events',
      'source events are immutable: only their entry link may be set',
    ),

    `CREATE TABLE journal_entries (
       seq ${IDENTITY},
       id ${TEXT} NOT NULL UNIQUE,
       date ${TEXT} NOT NULL,
       source_id ${TEXT} NOT NULL,
       description ${TEXT} NOT NULL,
       event_ids ${TEXT} NOT NULL,
       content_hash ${TEXT} NOT NULL,
       run_id ${TEXT},
       created_at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX journal_entries_by_date ON journal_entries (date, seq)`,
    `CREATE TABLE journal_lines (
       entry_id ${TEXT} NOT NULL REFERENCES journal_entries (id) DEFERRABLE INITIALLY DEFERRED,
       line_no BIGINT NOT NULL,
       account ${TEXT} NOT NULL,
       currency ${TEXT} NOT NULL,
       amount_micros BIGINT NOT NULL CHECK (amount_micros <> 0),
       description ${TEXT},
       PRIMARY KEY (entry_id, line_no)
     )`,
    `CREATE INDEX journal_lines_by_account ON journal_lines (account, currency)`,
    `CREATE FUNCTION ledgerline_journal_lines_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM journal_entries WHERE id = NEW.entry_id) THEN
           RAISE EXCEPTION USING MESSAGE = 'journal entry already committed: lines cannot be added',
             DETAIL = 'entry ' || NEW.entry_id, ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NEW;
       END $$`,
    `CREATE TRIGGER journal_lines_sealed BEFORE INSERT ON journal_lines
       FOR EACH ROW EXECUTE FUNCTION ledgerline_journal_lines_sealed()`,
    `CREATE FUNCTION ledgerline_journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF (SELECT COUNT(*) FROM journal_lines WHERE entry_id = NEW.id) < 2 THEN
           RAISE EXCEPTION USING MESSAGE = 'journal entry has fewer than two lines',
             DETAIL = 'entry ' || NEW.id, ERRCODE = 'check_violation';
         END IF;
         IF EXISTS (SELECT 1 FROM journal_lines WHERE entry_id = NEW.id GROUP BY currency HAVING SUM(amount_micros) <> 0) THEN
           RAISE EXCEPTION USING MESSAGE = 'journal entry does not balance: debits and credits differ in a currency',
             DETAIL = 'entry ' || NEW.id, ERRCODE = 'check_violation';
         END IF;
         RETURN NULL;
       END $$`,
    `CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledgerline_journal_entry_balanced()`,
    ...appendOnlyTriggers('journal_entries', {
      UPDATE: 'journal entries are immutable: UPDATE refused; book a correcting entry',
      DELETE: 'journal entries are immutable: DELETE refused; book a reversing entry',
      TRUNCATE: 'journal entries are immutable: TRUNCATE refused; book a reversing entry',
    }),
    ...appendOnlyTriggers('journal_lines', {
      UPDATE: 'journal lines are immutable: UPDATE refused',
      DELETE: 'journal lines are immutable: DELETE refused',
      TRUNCATE: 'journal lines are immutable: TRUNCATE refused',
    }),

    `CREATE TABLE rendered_lines (
       entry_id ${TEXT} NOT NULL REFERENCES journal_entries (id),
       line_no BIGINT NOT NULL,
       account ${TEXT} NOT NULL,
       currency ${TEXT} NOT NULL,
       cents BIGINT NOT NULL CHECK (cents <> 0),
       description ${TEXT},
       PRIMARY KEY (entry_id, line_no)
     )`,
    ...appendOnlyTriggers('rendered_lines', {
      UPDATE: 'rendered lines are immutable: UPDATE refused',
      DELETE: 'rendered lines are immutable: DELETE refused',
      TRUNCATE: 'rendered lines are immutable: TRUNCATE refused',
    }),
    `CREATE TABLE running_totals (
       source_id ${TEXT} NOT NULL,
       account ${TEXT} NOT NULL,
       currency ${TEXT} NOT NULL,
       exact_micros BIGINT NOT NULL,
       PRIMARY KEY (source_id, account, currency)
     )`,

    `CREATE TABLE deliveries (
       entry_id ${TEXT} NOT NULL REFERENCES journal_entries (id),
       destination ${TEXT} NOT NULL,
       state ${TEXT} NOT NULL CHECK (state IN ('pending', 'sending', 'posted', 'refused', 'skipped')),
       remote_id ${TEXT},
       request_key ${TEXT},
       attempts BIGINT NOT NULL DEFAULT 0,
       last_error ${TEXT},
       updated_at ${TEXT} NOT NULL,
       PRIMARY KEY (entry_id, destination)
     )`,
    `CREATE INDEX deliveries_by_state ON deliveries (destination, state)`,

    `CREATE TABLE runs (
       id ${TEXT} PRIMARY KEY,
       command ${TEXT} NOT NULL,
       started_at ${TEXT} NOT NULL,
       finished_at ${TEXT},
       outcome ${TEXT},
       as_of ${TEXT},
       summary ${TEXT},
       error ${TEXT}
     )`,
    `CREATE TABLE run_lock (
       name ${TEXT} PRIMARY KEY,
       run_id ${TEXT} NOT NULL,
       pid BIGINT NOT NULL,
       host ${TEXT} NOT NULL,
       acquired_at ${TEXT} NOT NULL,
       heartbeat_at ${TEXT} NOT NULL
     )`,

    `CREATE TABLE source_state (
       source_id ${TEXT} NOT NULL,
       key ${TEXT} NOT NULL,
       value ${TEXT} NOT NULL,
       updated_at ${TEXT} NOT NULL,
       PRIMARY KEY (source_id, key)
     )`,
    `CREATE TABLE source_closes (
       source_id ${TEXT} NOT NULL,
       date ${TEXT} NOT NULL,
       metric ${TEXT} NOT NULL,
       value_micros BIGINT NOT NULL,
       currency ${TEXT} NOT NULL,
       raw_observation_id BIGINT REFERENCES raw_observations (id),
       taken_at ${TEXT} NOT NULL,
       PRIMARY KEY (source_id, date, metric)
     )`,

    `CREATE TABLE orders (
       source_id ${TEXT} NOT NULL,
       order_id ${TEXT} NOT NULL,
       service ${TEXT},
       quantity BIGINT,
       created_at ${TEXT},
       discovered_via ${TEXT} NOT NULL,
       first_seen_date ${TEXT} NOT NULL,
       state ${TEXT},
       terminal BIGINT NOT NULL DEFAULT 0,
       unknown_since ${TEXT},
       last_observed_date ${TEXT},
       updated_at ${TEXT} NOT NULL,
       PRIMARY KEY (source_id, order_id)
     )`,
    `CREATE INDEX orders_open ON orders (source_id, terminal)`,

    `CREATE TABLE webhook_inbox (
       id ${IDENTITY},
       source_id ${TEXT} NOT NULL,
       kind ${TEXT} NOT NULL,
       dedupe_key ${TEXT} NOT NULL UNIQUE,
       received_at ${TEXT} NOT NULL,
       body ${TEXT} NOT NULL,
       status ${TEXT} NOT NULL CHECK (status IN ('stored', 'processed', 'invalid')),
       note ${TEXT}
     )`,
    refusal('webhook_inbox_no_delete', 'DELETE', 'webhook_inbox', 'webhook bodies are kept: DELETE refused'),
    refusal('webhook_inbox_no_truncate', 'TRUNCATE', 'webhook_inbox', 'webhook bodies are kept: TRUNCATE refused'),
    refusal(
      'webhook_inbox_body_fixed',
      'UPDATE OF body, dedupe_key, source_id, kind',
      'webhook_inbox',
      'webhook bodies are kept as received: UPDATE refused',
    ),

    `CREATE TABLE quarantine (
       id ${IDENTITY},
       source_id ${TEXT} NOT NULL,
       raw_observation_id BIGINT REFERENCES raw_observations (id),
       webhook_id BIGINT REFERENCES webhook_inbox (id),
       item_ref ${TEXT},
       reason ${TEXT} NOT NULL,
       as_of ${TEXT} NOT NULL,
       created_at ${TEXT} NOT NULL,
       resolved_at ${TEXT}
     )`,

    `CREATE TABLE discrepancies (
       id ${TEXT} PRIMARY KEY,
       kind ${TEXT} NOT NULL,
       source_id ${TEXT} NOT NULL,
       date ${TEXT} NOT NULL,
       amount_micros BIGINT,
       currency ${TEXT},
       ref ${TEXT} NOT NULL,
       message ${TEXT} NOT NULL,
       created_at ${TEXT} NOT NULL,
       resolved_at ${TEXT}
     )`,
    `CREATE INDEX discrepancies_by_date ON discrepancies (date)`,
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
