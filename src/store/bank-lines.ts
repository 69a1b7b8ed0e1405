import { sql, type Compilable, type Generated, type RawBuilder } from 'kysely';
import type { BankLine, LandedStatement, StatementToLand } from '../rules/index.js';
import { insertRows, type LedgerStore, type LedgerTx } from './ledger-store.js';
import { onSqlite, queryBuilder } from './query-builder.js';
import { rowDigest, rowKey, sealLink, type SealHead } from '../ledger/index.js';
import { appendStagedSeals, INSERT_SEAL, sealHead, sealRows } from './row-seals.js';
import { changedWithin, lineRefusal, lookAtKeptOut, type ChangedLines } from './bank-line-changes.js';
import { BANK_LINE_STATEMENT_KEY } from '../../migrations/0034-bank-lines-before-their-statement.js';

/** Row types of migration 0019's bank tables. */
export interface BankStatementTable {
  account: string;
  sha256: string;
  file: string;
  format: string;
  lines_read: bigint | number;
  imported_at: string;
  account_number: string | null;
}

export interface BankLineTable {
  account: string;
  line_id: string;
  booked_on: string;
  amount_micros: bigint;
  currency: string;
  reference: string;
  description: string;
  statement_sha256: string;
  entry_reference: string | null;
}

export interface TransitStateTable {
  id: Generated<bigint>;
  item_id: string;
  state: string;
  as_of: string;
  bank_account: string | null;
  bank_line_id: string | null;
  statement_sha256: string | null;
  recorded_at: string;
  document_id: string | null;
}

export interface TransitAlertTable {
  id: Generated<bigint>;
  item_id: string;
  state: string;
  as_of: string;
  alerted_at: string;
}

/** Migration 0029: a person's word on an item and a line. */
export interface TransitLinkTable {
  id: Generated<bigint>;
  item_id: string;
  action: 'match' | 'unmatch';
  account: string;
  line_id: string;
  os_user: string;
  at: string;
}

/** Migration 0029: a statement's balances as its bank wrote them. */
export interface BankStatementBalanceTable {
  account: string;
  sha256: string;
  currency: string;
  opening_micros: bigint | null;
  opening_on: string | null;
  closing_micros: bigint | null;
  closing_on: string | null;
}

export type BankTables = {
  bank_statements: BankStatementTable;
  bank_lines: BankLineTable;
  transit_states: TransitStateTable;
  transit_alerts: TransitAlertTable;
  transit_links: TransitLinkTable;
  bank_statement_balances: BankStatementBalanceTable;
};

/** The store's kysely handle with the bank tables: they are this folder's alone. */
export const bankQueries = (store: LedgerStore) => queryBuilder(store).withTables<BankTables>();

/** A line as bank_lines keeps it, written as the file is read, ON CONFLICT kept out: a line the account holds stays as it is. */
const INSERT_LINE = insertRows(
  'bank_lines',
  {
    account: 'text',
    line_id: 'text',
    booked_on: 'text',
    amount_micros: 'bigint',
    currency: 'text',
    reference: 'text',
    description: 'text',
    statement_sha256: 'text',
    entry_reference: 'text',
  },
  sql`ON CONFLICT (account, line_id) DO NOTHING`,
);
/** Each line's seal as it is read, staged until the end (appendStagedSeals): the seals' lock is taken only then. */
const INSERT_STAGED_SEAL = insertRows('staged_seals', {
  seal_key: 'text',
  digest: 'text',
  link: 'text',
  ordinal: 'bigint',
});

/** SQL written once for both engines, compiled for the store's dialect. */
const bound = (store: LedgerStore, query: RawBuilder<unknown>): Compilable<unknown> => ({
  compile: () => query.compile(queryBuilder(store)),
});

/**
 * Where each line's seal goes as it is read: straight into row_seals on SQLite (its one writer keeps the seals'
 * head where it was read), staged on PostgreSQL (the seals' lock is taken only at the end, appendStagedSeals),
 * nowhere once a line was kept out or when the file was imported before (its lines are then sealed at the end).
 */
type Sealing = 'row_seals' | 'staged' | 'off';

/** What the lines read so far did: their count, those added, the last seal's link, and the changed lines seen. */
interface Landing extends ChangedLines {
  head: SealHead;
  read: number;
  added: number;
  link: string;
  sealing: Sealing;
  /** Lines sealed straight into row_seals before one was kept out: the end's sealing then looks their seals up. */
  sealedSome: boolean;
}

/**
 * Lands a statement in one unit of work: its lines are written into bank_lines batch by batch as the file is
 * read (a line the account already holds is kept out), then its file's row with the count read. The file's row
 * is append-only and its count known only at the end, so the lines' key to it is checked at the commit (0034);
 * a file of one batch has its row written first instead (writeRowFirst). A file refused halfway (its lines
 * throw, a line changed) or a process killed halfway leaves nothing: kept whole or not at all, and a re-import
 * adds only what was not kept. Example: 100,000 lines → 200 batches of inserts, one row. Each line's seal is
 * worked out while the line is in hand, linked from the seals' head as it was before the first (Sealing).
 */
export async function landStatement(store: LedgerStore, statement: StatementToLand): Promise<LandedStatement> {
  return store.unitOfWork(async (tx) => {
    const landing = await beginLanding(tx, statement);
    const { first, rest } = await firstBatch(statement.lines);
    const rowFirst = rest === undefined ? await writeRowFirst(tx, statement, first ?? []) : undefined;
    if (rowFirst === undefined) await deferStatementKey(tx);
    if (first !== undefined) await landBatch(tx, statement, first, landing);
    if (rest !== undefined) for await (const lines of rest) await landBatch(tx, statement, lines, landing);
    if (landing.held !== undefined) throw lineRefusal(statement, landing.held);
    const changes = rowFirst ?? (await writeRow(tx, statement, landing.read, statement.accountNumber?.()));
    const within = changedWithin(landing);
    if (within !== undefined) throw lineRefusal(statement, within);
    await sealLanded(tx, statement, landing, changes > 0);
    if (!onSqlite(tx)) await tx.run(bound(tx, sql`DROP TABLE staged_seals`));
    return { read: landing.read, added: landing.added, seenBefore: changes === 0 };
  });
}

/** The statement's row with the count of its lines; the count of rows written (0: the file was imported before). */
async function writeRow(
  tx: LedgerTx,
  statement: StatementToLand,
  read: number,
  accountNumber: string | undefined,
): Promise<number> {
  const { changes } = await tx.run(
    bankQueries(tx)
      .insertInto('bank_statements')
      .values({
        account: statement.account,
        sha256: statement.sha256,
        file: statement.file,
        format: statement.format,
        lines_read: BigInt(read),
        imported_at: statement.importedAt,
        account_number: accountNumber ?? null,
      })
      .onConflict((conflict) => conflict.columns(['account', 'sha256']).doNothing()),
  );
  return changes;
}

/**
 * A file of one batch (most statements: a day's or a week's lines) has its row written before its lines, so
 * each line's key to it is checked as the line goes in: a deferred key is checked at the row by SQLite reading
 * every line the account holds (about 120 ns a line: +85 ms for a 10-line file into an account of 1,000,000).
 * The account number is asked first; when it refuses, a line the account holds with other money is refused
 * ahead of it, as when the row comes last.
 */
async function writeRowFirst(tx: LedgerTx, statement: StatementToLand, lines: readonly BankLine[]): Promise<number> {
  let accountNumber: string | undefined;
  try {
    accountNumber = statement.accountNumber?.();
  } catch (error) {
    const held: ChangedLines = { fresh: false, held: undefined, within: new Map() };
    await lookAtKeptOut(tx, statement, lines, held);
    throw held.held === undefined ? error : lineRefusal(statement, held.held);
  }
  return writeRow(tx, statement, lines.length, accountNumber);
}

/** The file's first batch, and the batches after it when there are any (undefined: the file is one batch or none). */
async function firstBatch(
  batches: AsyncIterable<readonly BankLine[]>,
): Promise<{ first?: readonly BankLine[]; rest?: AsyncIterable<readonly BankLine[]> }> {
  const iterator = batches[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return {};
  const second = await iterator.next();
  if (second.done === true) return { first: first.value };
  async function* rest(): AsyncGenerator<readonly BankLine[]> {
    yield second.value;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { first: first.value, rest: rest() };
}

/** The lines' key to their statement checked at the commit: their row is written after them (0034). */
async function deferStatementKey(tx: LedgerTx): Promise<void> {
  const defer = onSqlite(tx)
    ? sql`PRAGMA defer_foreign_keys = ON`
    : sql`SET CONSTRAINTS ${sql.raw(BANK_LINE_STATEMENT_KEY)} DEFERRED`;
  await tx.run(bound(tx, defer));
}

/** Looks the file up and reads the seals' head (PostgreSQL: the seals' staging made). */
async function beginLanding(tx: LedgerTx, { account, sha256 }: StatementToLand): Promise<Landing> {
  const sqlite = onSqlite(tx);
  if (!sqlite)
    await tx.run(
      bound(
        tx,
        sql`CREATE TEMPORARY TABLE staged_seals (seal_key TEXT NOT NULL, digest TEXT NOT NULL, link TEXT NOT NULL, ordinal BIGINT NOT NULL)`,
      ),
    );
  const known = await tx.first(
    bankQueries(tx)
      .selectFrom('bank_statements')
      .select('sha256')
      .where('account', '=', account)
      .where('sha256', '=', sha256),
  );
  const head = await sealHead(tx);
  const fresh = known === undefined;
  const sealing = !fresh ? 'off' : sqlite ? 'row_seals' : 'staged';
  return {
    head,
    fresh,
    read: 0,
    added: 0,
    link: head.link,
    sealing,
    sealedSome: false,
    held: undefined,
    within: new Map(),
  };
}

/** Writes one batch of lines and their seals (Sealing); a line kept out (held, or given twice) is looked at. */
async function landBatch(
  tx: LedgerTx,
  statement: StatementToLand,
  lines: readonly BankLine[],
  landing: Landing,
): Promise<void> {
  const added = await tx.runEach(INSERT_LINE, lineRows(lines, statement));
  landing.added += added;
  if (added !== lines.length) {
    landing.sealing = 'off';
    await lookAtKeptOut(tx, statement, lines, landing);
  }
  if (landing.sealing === 'off') landing.read += lines.length;
  else {
    const direct = landing.sealing === 'row_seals';
    await tx.runEach(direct ? INSERT_SEAL : INSERT_STAGED_SEAL, sealRowsOf(lines, statement, landing, direct));
    landing.sealedSome ||= direct;
  }
}

/**
 * Seals the lines the statement added and its row. When the file is new and every line was added, each line's
 * seal was written (or staged, then copied by one statement) as it was read, in the file's order, and the
 * statement's row is sealed after its lines. Otherwise (or when another unit sealed meanwhile) the row is
 * sealed, then the lines it added that have no seal yet, in key order.
 */
async function sealLanded(tx: LedgerTx, statement: StatementToLand, landing: Landing, fresh: boolean): Promise<void> {
  const { account, sha256 } = statement;
  const sealed =
    fresh &&
    landing.added === landing.read &&
    (landing.sealing === 'row_seals' ||
      (landing.sealing === 'staged' && (await appendStagedSeals(tx, 'bank_lines', 'staged_seals', landing.head))));
  await sealRows(tx, 'bank_statements', { account, sha256 }, { fresh });
  if (!sealed)
    await sealRows(tx, 'bank_lines', { account, statement_sha256: sha256 }, { fresh: fresh && !landing.sealedSome });
}

/**
 * A batch's lines as bank_lines' rows, through one array refilled for each line: both engines copy a row's
 * values out as they take it (a multi-row insert's bindings, PostgreSQL's column arrays), so 100,000 lines
 * allocate no array each.
 */
function* lineRows(lines: readonly BankLine[], { account, sha256 }: StatementToLand): Generator<readonly unknown[]> {
  const row: unknown[] = new Array(9);
  row[0] = account;
  row[7] = sha256;
  for (const line of lines) {
    row[1] = line.lineId;
    row[2] = line.bookedOn;
    row[3] = line.amountMicros;
    row[4] = line.currency;
    row[5] = line.reference;
    row[6] = line.description;
    row[8] = line.entryReference ?? null;
    yield row;
  }
}

/**
 * Each line's seal worked out while the line is in hand: its key, its digest, and its link after the line before,
 * as row_seals' row (`direct`) or the staging's (with its ordinal).
 */
function* sealRowsOf(
  lines: readonly BankLine[],
  { account, sha256 }: StatementToLand,
  landing: Landing,
  direct: boolean,
): Generator<readonly unknown[]> {
  const row: unknown[] = new Array(4);
  const at = direct ? 1 : 0;
  if (direct) row[0] = 'bank_lines';
  for (const line of lines) {
    const key = rowKey([account, line.lineId]);
    const digest = rowDigest('bank_lines', key, [
      line.bookedOn,
      line.amountMicros,
      line.currency,
      line.reference,
      line.description,
      sha256,
    ]);
    landing.link = sealLink(landing.link, digest);
    landing.read += 1;
    row[at] = key;
    row[at + 1] = digest;
    row[at + 2] = landing.link;
    if (!direct) row[3] = landing.read;
    yield row;
  }
}

/** The account number the account's first statement that named one gave (a later one naming another was refused), if any. */
export async function knownAccountNumber(store: LedgerStore, account: string): Promise<string | undefined> {
  const row = await store.first(
    bankQueries(store)
      .selectFrom('bank_statements')
      .select('account_number')
      .where('account', '=', account)
      .where('account_number', 'is not', null)
      .orderBy('imported_at')
      .limit(1),
  );
  return row?.account_number ?? undefined;
}
