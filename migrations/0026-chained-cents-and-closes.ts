import { sql, type Kysely } from 'kysely';
import { CHAIN_GENESIS, closeLink } from '../src/ledger/entry-chain.js';
import { TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Everything that leaves is chained, and the closes are chained too (issue 52, items 2 and 3).
 *
 * - chain_forms: from which seq on entries are chained in form 2 (src/ledger/entry-chain.ts), which covers the
 *   cents each line renders to, the rounding lines and the content hash besides the exact amounts. An entry
 *   appended before keeps its form 1 link and is verified in form 1: no row of the journal is rewritten. A ledger
 *   without the row is in form 2 from its first entry. The row is append-only; adding, moving or deleting it
 *   makes `verify` read entries in the other form, which breaks them.
 * - chain_closes: each close as a record of the chain (period, period end, the chain head it seals, the
 *   certificate's SHA-256, when and by whom), linked after the last entry appended before it (after_seq), the
 *   next entry continuing from its link. A close kept before this migration joins the chain here, at its end,
 *   in period order. The period lock reads these records as well as closed_periods, so deleting either row
 *   leaves the month closed; the database's own refusal of an entry dated in a closed period reads both too.
 *   Example: 2026-03 closed on a ledger of 40 entries → chain_closes (2026-03, after_seq 40, link of entry 40 → close).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE chain_forms (form INTEGER PRIMARY KEY, from_seq INTEGER NOT NULL) STRICT`,
    ...appendOnly('chain_forms', FORMS_SUBJECT),
    `CREATE TABLE chain_closes (
       period TEXT PRIMARY KEY,
       period_end TEXT NOT NULL UNIQUE,
       chain_head TEXT NOT NULL,
       certificate_sha256 TEXT NOT NULL,
       closed_at TEXT NOT NULL,
       closed_by TEXT NOT NULL,
       after_seq INTEGER NOT NULL,
       chain_hash TEXT NOT NULL
     ) STRICT`,
    ...appendOnly('chain_closes', CLOSES_SUBJECT),
    `DROP TRIGGER journal_entries_after_closed_periods`,
    `CREATE TRIGGER journal_entries_after_closed_periods BEFORE INSERT ON journal_entries
       WHEN NEW.date <= (${LAST_PERIOD_END})
       BEGIN SELECT RAISE(FAIL, '${IN_CLOSED_PERIOD}'); END`,
  ]);
  await chainFormsAndCloses(db);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE chain_forms (form INTEGER PRIMARY KEY, from_seq BIGINT NOT NULL)`,
    ...appendOnlyPostgres('chain_forms', FORMS_SUBJECT),
    `CREATE TABLE chain_closes (
       period ${TEXT} PRIMARY KEY,
       period_end ${TEXT} NOT NULL UNIQUE,
       chain_head ${TEXT} NOT NULL,
       certificate_sha256 ${TEXT} NOT NULL,
       closed_at ${TEXT} NOT NULL,
       closed_by ${TEXT} NOT NULL,
       after_seq BIGINT NOT NULL,
       chain_hash ${TEXT} NOT NULL
     )`,
    ...appendOnlyPostgres('chain_closes', CLOSES_SUBJECT),
    `CREATE OR REPLACE FUNCTION ledgerline_journal_entry_after_closed_periods() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.date <= (${LAST_PERIOD_END}) THEN
           RAISE EXCEPTION USING MESSAGE = '${IN_CLOSED_PERIOD}', DETAIL = 'entry ' || NEW.id, ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NEW;
       END $$`,
  ]);
  await chainFormsAndCloses(db);
}

const FORMS_SUBJECT = 'chain forms are';
const CLOSES_SUBJECT = 'chained closes are';
const IN_CLOSED_PERIOD = 'journal entry dated in a closed period: book the correction as an adjusting entry in the first open period';
const LAST_PERIOD_END = 'SELECT MAX(period_end) FROM (SELECT period_end FROM closed_periods UNION ALL SELECT period_end FROM chain_closes) AS closes';

interface ClosedPeriodRow {
  period: string;
  period_end: string;
  chain_head: string;
  certificate_sha256: string;
  closed_at: string;
  closed_by: string;
}

/**
 * Form 2 from the next entry on (a ledger with no entry yet records nothing: it is in form 2 throughout, and a copy
 * of a ledger carries its row over); each close kept so far chained at the chain's end, in period order.
 */
async function chainFormsAndCloses(db: Kysely<unknown>): Promise<void> {
  const { rows: last } = await sql<{ seq: bigint | number; chain_hash: string | null }>`SELECT seq, chain_hash FROM journal_entries ORDER BY seq DESC LIMIT 1`.execute(db);
  const lastSeq = last[0] === undefined ? 0n : BigInt(last[0].seq);
  if (lastSeq > 0n) await sql`INSERT INTO chain_forms (form, from_seq) VALUES (2, ${lastSeq + 1n})`.execute(db);
  let head = last[0]?.chain_hash ?? CHAIN_GENESIS;
  const { rows: closes } = await sql<ClosedPeriodRow>`SELECT period, period_end, chain_head, certificate_sha256, closed_at, closed_by FROM closed_periods ORDER BY period_end`.execute(db);
  for (const close of closes) {
    head = closeLink(head, { period: close.period, periodEnd: close.period_end, chainHead: close.chain_head, certificateSha256: close.certificate_sha256, closedAt: close.closed_at, closedBy: close.closed_by });
    await sql`INSERT INTO chain_closes (period, period_end, chain_head, certificate_sha256, closed_at, closed_by, after_seq, chain_hash)
      VALUES (${close.period}, ${close.period_end}, ${close.chain_head}, ${close.certificate_sha256}, ${close.closed_at}, ${close.closed_by}, ${lastSeq}, ${head})`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
