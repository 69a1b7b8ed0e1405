import { sql, type Compilable, type Generated, type RawBuilder } from 'kysely';
import { StatementMismatchError } from '../../../errors.js';
import type { BankLine, LandedStatement, StatementToLand } from '../../../rules/index.js';
import { rowDigest, rowKey, sealLink, type SealHead } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle, type StoreTx, seals, statements } from '../../../store/index.js';

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
export const bankQueries = (store: StoreHandle) => queryBuilder(store).withTables<BankTables>();

/** A line id given twice with different money (StatementToLand.changedLine). */
type ChangedBankLine = Parameters<NonNullable<StatementToLand['changedLine']>>[0];

/** A line's own columns: its account and statement are the file's, bound once in the move, not staged per line. */
const STAGED_COLUMNS = {
  line_id: 'text',
  booked_on: 'text',
  amount_micros: 'bigint',
  currency: 'text',
  reference: 'text',
  description: 'text',
  entry_reference: 'text',
  digest: 'text',
  seal_key: 'text',
  link: 'text',
  ordinal: 'bigint',
} as const;
const INSERT_STAGED = statements.insert('staged_bank_lines', STAGED_COLUMNS);
/** The staged columns a line keeps in bank_lines as they are. */
const LINE_COLUMNS = ['line_id', 'booked_on', 'amount_micros', 'currency', 'reference', 'description'];

/** SQL written once for both engines, compiled for the store's dialect. */
const bound = (store: StoreHandle, query: RawBuilder<unknown>): Compilable<unknown> => ({
  compile: () => query.compile(queryBuilder(store)),
});

/**
 * Lands a statement in one unit of work: its lines are staged batch by batch as the file is read (a temporary
 * table, the unit's own: a rollback or a killed process takes it away), then its file's row is written with the
 * count read, and every staged line the account does not hold yet is moved in by one statement. The file's row
 * must come before its lines (they name it) and its count is known only at the end, hence the staging. A file
 * refused halfway (its lines throw) or a process killed halfway leaves nothing: kept whole or not at all, and a
 * re-import adds only what was not kept. Example: 100,000 lines → 200 staged batches, one row, one move. The
 * staging holds each line's own columns only: the account and the 64-character hash are the same for every
 * line, so they are bound once in the move rather than staged and copied 100,000 times. With them goes each
 * line's seal, linked from the seals' head as it was before the first (seals.appendStaged checks it still is).
 */
export async function landStatement(store: StoreHandle, statement: StatementToLand): Promise<LandedStatement> {
  return store.unitOfWork(async (tx) => {
    // On SQLite the ordinal is the rowid: the staging is kept in its order, and the seals are copied in it unsorted.
    const ordinal = statements.onSqlite(tx) ? sql`INTEGER PRIMARY KEY` : sql`BIGINT NOT NULL`;
    await tx.run(
      bound(
        tx,
        sql`CREATE TEMPORARY TABLE staged_bank_lines (line_id TEXT NOT NULL, booked_on TEXT NOT NULL, amount_micros BIGINT NOT NULL, currency TEXT NOT NULL, reference TEXT NOT NULL, description TEXT NOT NULL, entry_reference TEXT NOT NULL, digest TEXT NOT NULL, seal_key TEXT NOT NULL, link TEXT NOT NULL, ordinal ${ordinal})`,
      ),
    );
    const head = await seals.head(tx);
    const chain = { link: head.link, read: 0, sealing: !(await importedBefore(tx, statement)) };
    for await (const lines of statement.lines) await tx.runEach(INSERT_STAGED, stagedRows(lines, statement, chain));
    const { read } = chain;
    await refuseChangedLines(tx, statement);
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
          account_number: statement.accountNumber?.() ?? null,
        })
        .onConflict((conflict) => conflict.columns(['account', 'sha256']).doNothing()),
    );
    const columns = sql.join(LINE_COLUMNS.map((column) => sql.ref(column)));
    // "WHERE true": SQLite reads "ON CONFLICT" after a bare "FROM table" as a join's constraint.
    const moved = await tx.run(
      bound(
        tx,
        sql`INSERT INTO bank_lines (account, ${columns}, entry_reference, statement_sha256) SELECT ${statement.account}, ${columns}, NULLIF(entry_reference, ''), ${statement.sha256} FROM staged_bank_lines WHERE true ON CONFLICT (account, line_id) DO NOTHING`,
      ),
    );
    if (moved.changes !== read) await refuseChangesWithin(tx, statement);
    await sealLanded(tx, statement, head, changes > 0, { moved: moved.changes, read });
    await tx.run(bound(tx, sql`DROP TABLE staged_bank_lines`));
    return { read, added: moved.changes, seenBefore: changes === 0 };
  });
}

/**
 * Seals the lines the statement added and its row. When the file is new and every staged line was moved
 * (`fresh`: its row is new; `moved` equal to `read`: no line id given twice, none held before), each staged line
 * is a line it added, whose seal was linked as it was staged, in the file's order: the seals are copied from the
 * staging by one statement, then the statement's row is sealed after its lines. Otherwise the row is sealed
 * first and the lines it added after it, in key order: a new file's each with the digest staged with it (the
 * staged line equal to it in every sealed column), a file seen before the general way; neither when it added
 * none (a file imported again, or a later one whose lines the account holds: both ways read every line back).
 */
async function sealLanded(
  tx: StoreTx,
  statement: StatementToLand,
  head: SealHead,
  fresh: boolean,
  { moved, read }: { moved: number; read: number },
): Promise<void> {
  const { account, sha256 } = statement;
  if (fresh && moved === read && (await seals.appendStaged(tx, 'bank_lines', 'staged_bank_lines', head)))
    return seals.rows(tx, 'bank_statements', { account, sha256 }, { fresh });
  await seals.rows(tx, 'bank_statements', { account, sha256 }, { fresh });
  if (moved === 0) return;
  if (!fresh) return seals.rows(tx, 'bank_lines', { account, statement_sha256: sha256 });
  const rows = await movedDigests(tx, statement);
  await seals.append(
    tx,
    'bank_lines',
    rows.map(([lineId, digest]) => ({ key: rowKey([account, lineId]), digest: String(digest) })),
  );
}

/** The id and staged digest of each line the statement added, found by its key and every sealed column, in key order. */
async function movedDigests(tx: StoreHandle, { account, sha256 }: StatementToLand): Promise<unknown[][]> {
  const same = sql.join(
    LINE_COLUMNS.map((column) => sql`s.${sql.ref(column)} = b.${sql.ref(column)}`),
    sql` AND `,
  );
  // CROSS JOIN: SQLite then walks the staging and finds each line by its key; the other way round it scans the
  // staging once per line. PostgreSQL plans it as any inner join.
  return tx.allArrays(
    bound(
      tx,
      sql`SELECT DISTINCT b.line_id, s.digest FROM staged_bank_lines s CROSS JOIN bank_lines b WHERE b.account = ${account} AND ${same} AND b.statement_sha256 = ${sha256} ORDER BY b.line_id`,
    ),
  );
}

/**
 * A batch's lines as the staging's rows, through one array refilled for each line: both engines copy a row's
 * values out as they take it (a multi-row insert's bindings, PostgreSQL's column arrays), so 100,000 lines
 * allocate no array each. Each row carries the line's seal worked out while the line is in hand: its key, its
 * digest, and its link after the line before (`chain`, from the seals' head), used when every line is moved; a file
 * imported before (`chain.sealing` false) has its lines sealed the general way, if any is new, so none is worked out.
 */
function* stagedRows(
  lines: readonly BankLine[],
  { account, sha256 }: StatementToLand,
  chain: { link: string; read: number; sealing: boolean },
): Generator<readonly unknown[]> {
  const row: unknown[] = new Array(11);
  row[7] = row[8] = row[9] = '';
  for (const line of lines) {
    chain.read += 1;
    row[0] = line.lineId;
    row[1] = line.bookedOn;
    row[2] = line.amountMicros;
    row[3] = line.currency;
    row[4] = line.reference;
    row[5] = line.description;
    row[6] = line.entryReference ?? '';
    row[10] = chain.read;
    if (!chain.sealing) {
      yield row;
      continue;
    }
    const key = rowKey([account, line.lineId]);
    const digest = rowDigest('bank_lines', key, [
      line.bookedOn,
      line.amountMicros,
      line.currency,
      line.reference,
      line.description,
      sha256,
    ]);
    chain.link = sealLink(chain.link, digest);
    row[7] = digest;
    row[8] = key;
    row[9] = chain.link;
    yield row;
  }
}

/** Whether this very file was imported before for the account (its row is kept): its staged seals would go unused. */
async function importedBefore(tx: StoreHandle, { account, sha256 }: StatementToLand): Promise<boolean> {
  const row = await tx.first(
    bankQueries(tx)
      .selectFrom('bank_statements')
      .select('sha256')
      .where('account', '=', account)
      .where('sha256', '=', sha256),
  );
  return row !== undefined;
}

/** The account number the account's first statement that named one gave (a later one naming another was refused), if any. */
export async function knownAccountNumber(store: StoreHandle, account: string): Promise<string | undefined> {
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

/** Whether the account holds a statement already: its first one books the account's opening balance. */
export async function holdsStatements(store: StoreHandle, account: string): Promise<boolean> {
  const row = await store.first(
    bankQueries(store).selectFrom('bank_statements').select('sha256').where('account', '=', account).limit(1),
  );
  return row !== undefined;
}

/**
 * A bank never changes a line it has sent: a staged line whose id the account already holds with another date,
 * amount or currency, or that the file itself gives twice so, is refused naming both (the unit of work then keeps
 * nothing). Lines known by the hash of their content cannot differ so. Example: B882 held as -50.00 EUR on
 * 2026-11-17, the file has -55.00 EUR → refused. The account's lines are looked at before the move (after it,
 * the file's own would be among them); the file's lines given twice after it (refuseChangesWithin).
 */
async function refuseChangedLines(store: StoreHandle, statement: StatementToLand): Promise<void> {
  const differs = (a: string, b: string) =>
    sql`(${sql.ref(`${a}.booked_on`)} <> ${sql.ref(`${b}.booked_on`)} OR ${sql.ref(`${a}.amount_micros`)} <> ${sql.ref(`${b}.amount_micros`)} OR ${sql.ref(`${a}.currency`)} <> ${sql.ref(`${b}.currency`)})`;
  const [held] = await store.allArrays(
    bound(
      store,
      sql`SELECT s.line_id, s.booked_on, s.amount_micros, s.currency, b.booked_on, b.amount_micros, b.currency FROM staged_bank_lines s JOIN bank_lines b ON b.account = ${statement.account} AND b.line_id = s.line_id WHERE ${differs('s', 'b')} LIMIT 1`,
    ),
  );
  if (held !== undefined) throw refusal(statement, changedLine(held, 'account'));
}

/**
 * A line id the file gives twice with other money (refuseChangedLines), looked for once the lines moved fewer than
 * were read: a file that gives no id twice moves them all.
 */
async function refuseChangesWithin(store: StoreTx, statement: StatementToLand): Promise<void> {
  const [twice] = await store.allArrays(
    bound(
      store,
      sql`SELECT line_id, MAX(booked_on), MAX(amount_micros), MAX(currency), MIN(booked_on), MIN(amount_micros), MIN(currency) FROM staged_bank_lines GROUP BY line_id HAVING MIN(booked_on) <> MAX(booked_on) OR MIN(amount_micros) <> MAX(amount_micros) OR MIN(currency) <> MAX(currency) LIMIT 1`,
    ),
  );
  if (twice !== undefined) throw refusal(statement, changedLine(twice, 'file'));
}

/** A changed line from its row: id, the file's date, amount and currency, then the other's. */
function changedLine(row: readonly unknown[], where: ChangedBankLine['where']): ChangedBankLine {
  const [lineId, ...values] = row.map(String);
  const money = (at: number) => ({
    bookedOn: values[at] ?? '',
    amountMicros: BigInt(values[at + 1] ?? '0'),
    currency: values[at + 2] ?? '',
  });
  return { lineId: lineId ?? '', given: money(0), other: money(3), where };
}

/** The statement's own refusal of a changed line, or one naming the line alone. */
function refusal(statement: StatementToLand, changed: ChangedBankLine): Error {
  return (
    statement.changedLine?.(changed) ??
    new StatementMismatchError(
      statement.file,
      `line ${changed.lineId}`,
      'the line id is given with other money than before',
      'check the file',
    )
  );
}
