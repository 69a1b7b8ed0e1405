import { hash } from 'node:crypto';

/**
 * The proof of the tables beside the journal that carry a decision (issue 52): each row a person or a source
 * gave (a raw reply, a bank statement and its lines, a change of transit state, an acknowledgement, an adjusting
 * entry's reason and its approval) is sealed when it is written, in the same unit of work: its digest, and a link
 * that chains every seal in the order they were written, as journal entries are chained (entry-chain.ts).
 *
 * A row's digest is hex(SHA-256(canonical text)), the canonical text being, UTF-8:
 *
 *   ledgerline-row/1\n
 *   <table name>\n
 *   <row key: JSON array of the key columns' values as text>\n
 *   <JSON array of the sealed columns' values, integers as decimal text, absent as null>
 *
 * and a seal's link is hex(SHA-256(previous link ‖ "\n" ‖ digest)), the first seal's previous link 64 zeros.
 * Example: bank line ("operating", "881") of 312.40 EUR booked on 2026-04-05 → key ["operating","881"], values
 * ["2026-04-05","312400000","EUR",…]: one changed amount changes its digest, and `verify` names the line.
 * The head (the last seal's position and link) is what a close or a night keeps as the witness: deleting the
 * newest rows and their seals is provable only against a head kept before.
 */
export const SEAL_GENESIS = '0'.repeat(64);

/** One sealed table: what a row of it is called, its key columns and the columns its digest covers. */
interface SealedTable {
  name: string;
  /** How verify names a row of it: "bank line operating/881". */
  what: string;
  key: readonly string[];
  columns: readonly string[];
}

/**
 * Every sealed table, in the order a migration seals the rows written before seals existed. A raw reply's body
 * is covered through its content_hash (the SHA-256 of the body as received), which verify checks against the body.
 * The list grows as tables are added: a migration seals only the tables it names (0027 the first seven, 0038 the
 * filed returns), since on a new ledger a later table does not exist yet when an earlier migration runs.
 */
export const SEALED_TABLES = [
  {
    name: 'raw_observations',
    what: 'raw reply',
    key: ['id'],
    columns: ['source_id', 'action', 'request', 'as_of', 'fetched_at', 'http_status', 'content_hash', 'run_id'],
  },
  {
    name: 'bank_statements',
    what: 'bank statement',
    key: ['account', 'sha256'],
    columns: ['file', 'format', 'lines_read', 'imported_at'],
  },
  {
    name: 'bank_lines',
    what: 'bank line',
    key: ['account', 'line_id'],
    columns: ['booked_on', 'amount_micros', 'currency', 'reference', 'description', 'statement_sha256'],
  },
  {
    name: 'transit_states',
    what: 'transit state',
    key: ['id'],
    columns: [
      'item_id',
      'state',
      'as_of',
      'bank_account',
      'bank_line_id',
      'statement_sha256',
      'recorded_at',
      'document_id',
    ],
  },
  {
    name: 'acknowledgements',
    what: 'acknowledgement',
    key: ['id'],
    columns: ['item_id', 'action', 'note', 'os_user', 'at'],
  },
  {
    name: 'adjustments',
    what: 'adjusting entry record',
    key: ['entry_id'],
    columns: ['reason', 'made_by', 'made_at', 'explains', 'needs_approval'],
  },
  {
    name: 'adjustment_approvals',
    what: 'approval of adjusting entry',
    key: ['entry_id'],
    columns: ['approved_by', 'approved_at'],
  },
  {
    // A filed return unlocks its period if deleted: verify names it ("filed return ["2026-Q1"]").
    name: 'filed_returns',
    what: 'filed return',
    key: ['period'],
    columns: ['period_start', 'period_end', 'form', 'currency', 'boxes', 'return_sha256', 'filed_at', 'filed_by'],
  },
] as const satisfies readonly SealedTable[];

export type SealedTableName = (typeof SEALED_TABLES)[number]['name'];

/** A column's value as the canonical text holds it: text as it is, an integer (bigint or number) as decimal text. */
function canonicalValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** A row's key as seals keep it: the key columns' values as a JSON array of text. */
export function rowKey(keyValues: readonly unknown[]): string {
  return JSON.stringify(keyValues.map(canonicalValue));
}

/** A row's digest (see above) from its key and its sealed columns' values, in SealedTable order. */
export function rowDigest(table: SealedTableName, key: string, values: readonly unknown[]): string {
  return hash('sha256', `ledgerline-row/1\n${table}\n${key}\n${JSON.stringify(values.map(canonicalValue))}`, 'hex');
}

/** The link of a seal after `previous` (SEAL_GENESIS for the first). */
export function sealLink(previous: string, digest: string): string {
  return hash('sha256', `${previous}\n${digest}`, 'hex');
}

/** The seals' head: the last seal's position and its link; what a close or a night keeps as the witness. */
export interface SealHead {
  position: number;
  link: string;
}
