import type { Kysely } from 'kysely';
import { refusal, runStatements, TEXT } from './postgres-rules.js';

/**
 * Every ledger is one deliverer, and says which: a random identity given once
 * (at creation, or here for a ledger created before), kept by `migrate --to`
 * in the PostgreSQL copy, and the seal that copy puts on the SQLite file it
 * came from (`moved_to`, the URL without password): a sealed ledger refuses
 * every writing command, so an old cron still pointing at the file cannot
 * post the same journals a second time. One row only; a seal is never lifted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE ledger_identity (
       only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
       id TEXT NOT NULL,
       created_at TEXT NOT NULL,
       moved_to TEXT,
       moved_at TEXT
     ) STRICT`,
    `INSERT INTO ledger_identity (only_row, id, created_at)
       VALUES (1, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    `CREATE TRIGGER ledger_identity_sealed BEFORE UPDATE ON ledger_identity WHEN OLD.moved_to IS NOT NULL
     BEGIN SELECT RAISE(ABORT, 'the ledger is sealed: its seal is never lifted'); END`,
    `CREATE TRIGGER ledger_identity_no_delete BEFORE DELETE ON ledger_identity
     BEGIN SELECT RAISE(ABORT, 'the ledger identity is never deleted'); END`,
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE ledger_identity (
       only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
       id ${TEXT} NOT NULL,
       created_at ${TEXT} NOT NULL,
       moved_to ${TEXT},
       moved_at ${TEXT}
     )`,
    `INSERT INTO ledger_identity (only_row, id, created_at)
       VALUES (1, md5(random()::text || clock_timestamp()::text), to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
    `CREATE FUNCTION ledgerline_refuse_when_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.moved_to IS NOT NULL THEN
           RAISE EXCEPTION USING MESSAGE = 'the ledger is sealed: its seal is never lifted', ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NEW;
       END $$`,
    `CREATE TRIGGER ledger_identity_sealed BEFORE UPDATE ON ledger_identity FOR EACH ROW EXECUTE FUNCTION ledgerline_refuse_when_sealed()`,
    refusal('ledger_identity_no_delete', 'DELETE', 'ledger_identity', 'the ledger identity is never deleted'),
    refusal('ledger_identity_no_truncate', 'TRUNCATE', 'ledger_identity', 'the ledger identity is never deleted'),
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
