import { sql, type Kysely } from 'kysely';
import { CHAIN_GENESIS, chainLink, type ChainedEntry } from '../src/ledger/entry-chain.js';
import { TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Sealed months (issue 42): the journal's hash chain and the closed periods.
 *
 * - journal_entries.chain_hash: each entry's link in the chain (src/ledger/entry-chain.ts), written with the
 *   entry when it is appended. The entries already booked get theirs here, in the order they were appended
 *   (seq), exactly as appending them again on an empty ledger would: the only rows of the journal ever updated,
 *   once, with the refusal of updates lifted for that moment and put back as it was.
 * - closed_periods: one row per month closed by `ledgerline close`, with the chain head at its end and the
 *   SHA-256 of its certificate; append-only, as the certificate it proves.
 * - No entry is booked on or before the end of the last closed period: a trigger refuses it, the backstop of the
 *   check the append makes first. Example: 2026-03 closed (period_end 2026-03-31) → an entry dated 2026-03-31 is
 *   refused, one dated 2026-04-01 is booked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE journal_entries ADD COLUMN chain_hash TEXT`,
    `CREATE TABLE closed_periods (
       period TEXT PRIMARY KEY,
       period_end TEXT NOT NULL UNIQUE,
       chain_head TEXT NOT NULL,
       certificate_sha256 TEXT NOT NULL,
       closed_at TEXT NOT NULL,
       closed_by TEXT NOT NULL
     ) STRICT`,
    ...appendOnly('closed_periods', CLOSED_SUBJECT),
    `CREATE TRIGGER journal_entries_after_closed_periods BEFORE INSERT ON journal_entries
       WHEN NEW.date <= (SELECT MAX(period_end) FROM closed_periods)
       BEGIN SELECT RAISE(FAIL, '${IN_CLOSED_PERIOD}'); END`,
    `DROP TRIGGER journal_entries_no_update`,
  ]);
  await chainBookedEntries(db);
  await runStatements(db, [
    `CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
       BEGIN SELECT RAISE(ABORT, 'journal entries are immutable: UPDATE refused; book a correcting entry'); END`,
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE journal_entries ADD COLUMN chain_hash ${TEXT}`,
    `CREATE TABLE closed_periods (
       period ${TEXT} PRIMARY KEY,
       period_end ${TEXT} NOT NULL UNIQUE,
       chain_head ${TEXT} NOT NULL,
       certificate_sha256 ${TEXT} NOT NULL,
       closed_at ${TEXT} NOT NULL,
       closed_by ${TEXT} NOT NULL
     )`,
    ...appendOnlyPostgres('closed_periods', CLOSED_SUBJECT),
    `CREATE FUNCTION ledgerline_journal_entry_after_closed_periods() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.date <= (SELECT MAX(period_end) FROM closed_periods) THEN
           RAISE EXCEPTION USING MESSAGE = '${IN_CLOSED_PERIOD}', DETAIL = 'entry ' || NEW.id, ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NEW;
       END $$`,
    `CREATE TRIGGER journal_entries_after_closed_periods BEFORE INSERT ON journal_entries
       FOR EACH ROW EXECUTE FUNCTION ledgerline_journal_entry_after_closed_periods()`,
    `ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_no_update`,
  ]);
  await chainBookedEntries(db);
  await runStatements(db, [`ALTER TABLE journal_entries ENABLE TRIGGER journal_entries_no_update`]);
}

const CLOSED_SUBJECT = 'closed periods are';
const IN_CLOSED_PERIOD = 'journal entry dated in a closed period: book the correction as an adjusting entry in the first open period';
const ENTRIES_PER_PAGE = 2_000;

/** Every entry already booked gets its chain hash, a page of entries at a time in seq order. */
async function chainBookedEntries(db: Kysely<unknown>): Promise<void> {
  let previous = CHAIN_GENESIS;
  let after = -1n;
  for (;;) {
    const page = await entriesAfter(db, after);
    if (page.length === 0) return;
    for (const { seq, entry } of page) {
      previous = chainLink(previous, entry);
      await sql`UPDATE journal_entries SET chain_hash = ${previous} WHERE seq = ${seq}`.execute(db);
      after = seq;
    }
  }
}

interface EntryLineRow {
  seq: bigint | number;
  id: string;
  date: string;
  source_id: string;
  description: string;
  event_ids: string;
  account: string;
  currency: string;
  amount_micros: bigint | number;
  line_description: string | null;
}

/** The next page of entries after seq `after`, each with its exact lines in line order. */
async function entriesAfter(db: Kysely<unknown>, after: bigint): Promise<{ seq: bigint; entry: ChainedEntry & { lines: ChainedEntry['lines'][number][] } }[]> {
  const { rows } = await sql<EntryLineRow>`SELECT e.seq, e.id, e.date, e.source_id, e.description, e.event_ids,
      l.account, l.currency, l.amount_micros, l.description AS line_description
    FROM (SELECT * FROM journal_entries WHERE seq > ${after} ORDER BY seq LIMIT ${ENTRIES_PER_PAGE}) e
    JOIN journal_lines l ON l.entry_id = e.id ORDER BY e.seq, l.line_no`.execute(db);
  const page: Awaited<ReturnType<typeof entriesAfter>> = [];
  for (const row of rows) {
    const seq = BigInt(row.seq);
    if (page.at(-1)?.seq !== seq) {
      page.push({ seq, entry: { id: row.id, date: row.date, sourceId: row.source_id, description: row.description, eventIdsJson: row.event_ids, lines: [] } });
    }
    page.at(-1)!.entry.lines.push({ account: row.account, currency: row.currency, amountMicros: BigInt(row.amount_micros), description: row.line_description });
  }
  return page;
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
