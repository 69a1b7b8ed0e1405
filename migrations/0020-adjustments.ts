import type { Kysely } from 'kysely';
import { TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Adjusting entries: a journal entry a person booked (`ledgerline adjust`), with who, when and why, the
 * finding it explains, and whether a second person must approve it before it is posted; the approval is a
 * row of its own. Both append-only: a wrong adjustment is corrected by another one, never edited.
 * Example: je:adjustment:2026-04-02:1, "bank fee the panel took", by maria at 2026-04-03T09:12:00.000Z,
 * explaining finding:smm-panel:panel_unexplained_fall:2026-04-01, needing approval; approved by li at 10:05.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE adjustments (
       entry_id TEXT PRIMARY KEY REFERENCES journal_entries (id),
       reason TEXT NOT NULL CHECK (length(reason) > 0),
       made_by TEXT NOT NULL,
       made_at TEXT NOT NULL,
       explains TEXT,
       needs_approval INTEGER NOT NULL CHECK (needs_approval IN (0, 1))
     ) STRICT`,
    `CREATE TABLE adjustment_approvals (
       entry_id TEXT PRIMARY KEY REFERENCES adjustments (entry_id),
       approved_by TEXT NOT NULL,
       approved_at TEXT NOT NULL
     ) STRICT`,
    ...appendOnly('adjustments', ADJUSTMENTS_SUBJECT),
    ...appendOnly('adjustment_approvals', APPROVALS_SUBJECT),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE adjustments (
       entry_id ${TEXT} PRIMARY KEY REFERENCES journal_entries (id),
       reason ${TEXT} NOT NULL CHECK (length(reason) > 0),
       made_by ${TEXT} NOT NULL,
       made_at ${TEXT} NOT NULL,
       explains ${TEXT},
       needs_approval INTEGER NOT NULL CHECK (needs_approval IN (0, 1))
     )`,
    `CREATE TABLE adjustment_approvals (
       entry_id ${TEXT} PRIMARY KEY REFERENCES adjustments (entry_id),
       approved_by ${TEXT} NOT NULL,
       approved_at ${TEXT} NOT NULL
     )`,
    ...appendOnlyPostgres('adjustments', ADJUSTMENTS_SUBJECT),
    ...appendOnlyPostgres('adjustment_approvals', APPROVALS_SUBJECT),
  ]);
}

const ADJUSTMENTS_SUBJECT = 'adjusting entries are';
const APPROVALS_SUBJECT = 'approvals of adjusting entries are';

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
