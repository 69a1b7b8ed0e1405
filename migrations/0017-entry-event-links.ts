import type { Kysely } from 'kysely';
import { TEXT, appendOnly as appendOnlyPostgres, refusal, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Which entry journalized each event, kept as a row of its own (entry_events) instead of on the event.
 *
 * Until now an event was stored with no entry and then updated to name the one that journalized it: a
 * first import of 200,000 orders rewrote every event row it had just stored (the link grows each row, so
 * their pages split and were written again), 0.84 s of UPDATEs and a last commit of 80 MB of event pages.
 * A link is now an insert into a narrow table keyed by the event, in event order: about a quarter of that.
 * The key keeps "an event is journalized once" in the database; both references are checked, and neither
 * a link nor an event is ever updated or deleted.
 * Example: entry je:smm-panel:2026-03-02 journalizes panel:smm-panel:order:7:charge:2026-03-02 → one row
 * (panel:smm-panel:order:7:charge:2026-03-02, je:smm-panel:2026-03-02); an event in no entry has no row.
 * The links already made move to the new table, and the column goes (SQLite rewrites the events once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE entry_events (
       event_id TEXT PRIMARY KEY REFERENCES source_events (id),
       entry_id TEXT NOT NULL REFERENCES journal_entries (id)
     ) STRICT, WITHOUT ROWID`,
    MOVE_LINKS,
    `DROP TRIGGER source_events_amount_fixed`,
    `ALTER TABLE source_events DROP COLUMN entry_id`,
    `CREATE TRIGGER source_events_no_update BEFORE UPDATE ON source_events
       BEGIN SELECT RAISE(ABORT, '${EVENTS_IMMUTABLE}'); END`,
    ...appendOnly('entry_events', LINKS_SUBJECT),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE entry_events (
       event_id ${TEXT} PRIMARY KEY REFERENCES source_events (id),
       entry_id ${TEXT} NOT NULL REFERENCES journal_entries (id)
     )`,
    MOVE_LINKS,
    `DROP TRIGGER source_events_amount_fixed ON source_events`,
    `ALTER TABLE source_events DROP COLUMN entry_id`,
    refusal('source_events_no_update', 'UPDATE', 'source_events', EVENTS_IMMUTABLE),
    ...appendOnlyPostgres('entry_events', LINKS_SUBJECT),
  ]);
}

const MOVE_LINKS = `INSERT INTO entry_events (event_id, entry_id) SELECT id, entry_id FROM source_events WHERE entry_id IS NOT NULL ORDER BY id`;
const EVENTS_IMMUTABLE = 'source events are immutable: UPDATE refused';
const LINKS_SUBJECT = 'entry links are';

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
