import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { advanceDailyMovements } from './advance-daily-movements.js';
import { chainEnd, closedPeriodsOfChain } from './chain-closes.js';
import { linkEvents } from './entry-links.js';
import { filedPeriodLocks } from './filed-returns.js';
import { insertRows, type LedgerStore, type LedgerTx } from './ledger-store.js';
import { boundTo, onSqlite, queryBuilder } from './query-builder.js';
import type { LedgerDatabase } from './schema.js';
import { CHAIN_GENESIS, type BalanceFilter, type JournalSeal, type RenderedEntryToBook } from '../ledger/index.js';
import type { BookedTaxField, RunningTotalMovement } from '../rules/index.js';

/**
 * The journal tables: entries, their lines, the cents rendered for
 * destinations and the running totals those cents come from. The append path
 * books millions of entries in a backfill, a chunk of entries per statement
 * kind, so its writes are RowStatements (LedgerStore.runEach), not
 * statements built per row.
 */

const INSERT_LINE = insertRows('journal_lines', {
  entry_id: 'text',
  line_no: 'bigint',
  account: 'text',
  currency: 'text',
  amount_micros: 'bigint',
  description: 'text',
  cents: 'bigint',
});
/** Each line's tax treatment as booked (migration 0039): a row per line of an entry booked with the chart's tax. */
export const INSERT_LINE_TAX = insertRows('journal_line_taxes', {
  entry_id: 'text',
  line_no: 'bigint',
  flow: 'text',
  reverses: 'text',
  code: 'text',
  name: 'text',
  rate: 'text',
  side: 'text',
  reverse_charge: 'bigint',
  base_micros: 'bigint',
});
const INSERT_ENTRY = insertRows('journal_entries', {
  id: 'text',
  date: 'text',
  source_id: 'text',
  description: 'text',
  event_ids: 'text',
  content_hash: 'text',
  run_id: 'text',
  created_at: 'text',
  chain_hash: 'text',
  reclassification: 'bigint',
});
const INSERT_RENDERED = insertRows('rendered_lines', {
  entry_id: 'text',
  line_no: 'bigint',
  account: 'text',
  currency: 'text',
  cents: 'bigint',
  description: 'text',
});
/** Each running total advanced by what an append moved it by; a total seen for the first time starts at that movement. */
const ADVANCE_TOTAL = insertRows(
  'running_totals',
  {
    source_id: 'text',
    account: 'text',
    currency: 'text',
    exact_micros: 'bigint',
    debit_micros: 'bigint',
    credit_micros: 'bigint',
    debit_cents: 'bigint',
    credit_cents: 'bigint',
  },
  sql`ON CONFLICT (source_id, account, currency) DO UPDATE SET exact_micros = running_totals.exact_micros + excluded.exact_micros,
debit_micros = running_totals.debit_micros + excluded.debit_micros, credit_micros = running_totals.credit_micros + excluded.credit_micros,
debit_cents = running_totals.debit_cents + excluded.debit_cents, credit_cents = running_totals.credit_cents + excluded.credit_cents`,
);

/**
 * The rows an append writes (insertEntries), as runEach takes them: each kind's columns in its statement's order,
 * one array refilled for every row where runEach copies a row's values out before the next. Each entry's lines as
 * rows of INSERT_LINE.
 */
export function* lineRows(entries: readonly RenderedEntryToBook[]): Generator<unknown[]> {
  const row: unknown[] = new Array(7);
  for (const { entry, lineCents } of entries) {
    row[0] = entry.id;
    for (let index = 0; index < entry.lines.length; index += 1) {
      const line = entry.lines[index]!;
      row[1] = index + 1;
      row[2] = line.account;
      row[3] = line.currency;
      row[4] = line.amountMicros;
      row[5] = line.description ?? null;
      row[6] = lineCents[index];
      yield row;
    }
  }
}

/** Each line's booked treatment as a row of INSERT_LINE_TAX, numbered as its line; lines without one (no chart's tax) give none. */
export function* lineTaxRows(entries: readonly RenderedEntryToBook[]): Generator<unknown[]> {
  for (const { entry } of entries) {
    for (let index = 0; index < entry.lines.length; index += 1) {
      const tax = entry.lines[index]!.tax;
      if (tax !== undefined) yield lineTaxRow(entry.id, index + 1, tax);
    }
  }
}

/** One line's treatment as a row of INSERT_LINE_TAX: every column but the key null on a line no rule coded. */
export function lineTaxRow(entryId: string, lineNo: number, tax: BookedTaxField): unknown[] {
  return tax === null
    ? [entryId, lineNo, null, null, null, null, null, null, null, null]
    : [
        entryId,
        lineNo,
        tax.flow,
        tax.reverses ?? null,
        tax.code,
        tax.name ?? null,
        tax.rate ?? null,
        tax.side,
        tax.reverseCharge ? 1 : 0,
        tax.baseMicros,
      ];
}

/** Each entry as a row of INSERT_ENTRY. */
export function* entryRows(
  entries: readonly RenderedEntryToBook[],
  meta: { runId: string | null; now: string },
): Generator<unknown[]> {
  const row: unknown[] = [null, null, null, null, null, null, meta.runId, meta.now, null, 0];
  for (const { entry, contentHash, eventIdsJson, chainHash } of entries) {
    row[0] = entry.id;
    row[1] = entry.date;
    row[2] = entry.sourceId;
    row[3] = entry.description;
    row[4] = eventIdsJson;
    row[5] = contentHash;
    row[8] = chainHash;
    row[9] = entry.reclassification === true ? 1 : 0;
    yield row;
  }
}

/** Each entry's rounding lines as rows of INSERT_RENDERED, numbered on from its last line. */
export function* roundingRows(entries: readonly RenderedEntryToBook[]): Generator<unknown[]> {
  for (const { entry, roundingLines } of entries) {
    let lineNo = entry.lines.length;
    for (const line of roundingLines)
      yield [entry.id, (lineNo += 1), line.account, line.currency, line.cents, line.description ?? null];
  }
}

type BookedHashRow = { id: string; content_hash: string };

/**
 * bookedEntryHashes' read compiled once per handle and number of ids, then handed each chunk's ids: kysely built
 * and compiled it again for every chunk of an append (2 % of the append's CPU time, --cpu-prof), where only the
 * ids change. The ledger asks for a chunk of ids at a time (ledger.ts, APPEND_CHUNK), so a few sizes, 256 at most.
 */
const bookedHashReads = new WeakMap<Kysely<LedgerDatabase>, Map<number, CompiledQuery<BookedHashRow>>>();

/** The content hash each of these entries was booked with, by id, for those already booked: one read for many ids. */
export async function bookedEntryHashes(store: LedgerStore, entryIds: readonly string[]): Promise<Map<string, string>> {
  if (entryIds.length === 0) return new Map();
  const db = queryBuilder(store);
  let reads = bookedHashReads.get(db);
  if (reads === undefined) bookedHashReads.set(db, (reads = new Map()));
  let read = reads.get(entryIds.length);
  if (read === undefined) {
    read = db.selectFrom('journal_entries').select(['id', 'content_hash']).where('id', 'in', entryIds).compile();
    reads.set(entryIds.length, read);
  }
  const compiled: CompiledQuery<BookedHashRow> = { ...read, parameters: entryIds };
  const rows = await store.all({ compile: () => compiled });
  return new Map(rows.map((row) => [row.id, row.content_hash]));
}

/**
 * The advisory lock ("LLCH", "CHAN") that keeps one PostgreSQL append at a time on the chain, from its head read to its
 * commit: a key space of its own, so a session holding it is never taken for one holding a source's lock ("LLSQ").
 */
const CHAIN_LOCK = [0x4c4c4348, 0x4348414e] as const;

/**
 * The chain head an append continues (the link of the record appended last: an entry, by seq, or a close after
 * it) and the last closed period, from the chain's records of the closes as well as closed_periods, and the filed tax returns' periods. SQLite has one writer at a time; on PostgreSQL two units appending at once would both continue the
 * same head, so the unit takes a transaction lock first, which its commit lets go.
 */
export async function journalSeal(store: LedgerTx): Promise<JournalSeal> {
  await holdLedgerLock(store);
  const { head } = await chainEnd(store);
  const closed = (await closedPeriodsOfChain(store)).at(-1);
  return {
    head: head ?? CHAIN_GENESIS,
    lastClosed: closed && {
      period: closed.period,
      periodEnd: closed.periodEnd,
      certificateSha256: closed.certificateSha256,
    },
    filed: await filedPeriodLocks(store),
  };
}

/**
 * Holds the ledger's write lock until the unit of work in hand commits: SQLite's unit is BEGIN IMMEDIATE, which holds
 * the file's write lock already; on PostgreSQL the chain's transaction lock, so a decision read after it sees every
 * write committed before and no append, close or decision of another unit comes in before this one commits.
 */
export async function holdLedgerLock(store: LedgerTx): Promise<void> {
  if (!onSqlite(store))
    await store.run(boundTo(store, sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK[0]}, ${CHAIN_LOCK[1]})`));
}

/**
 * Writes entries, their lines with their cents and their tax treatments, their events' links to them and their rounding lines, one
 * statement kind at a time. Every line goes in before its entry: the database checks an entry balances when
 * the entry row is inserted, and refuses lines for an entry already there. A rounding line is numbered after
 * its entry's last line, so a line's number orders the rendered lines of an entry across the two tables.
 */
export async function insertEntries(
  store: LedgerTx,
  entries: readonly RenderedEntryToBook[],
  meta: { runId: string | null; now: string },
): Promise<void> {
  await store.runEach(INSERT_LINE, lineRows(entries));
  await store.runEach(INSERT_LINE_TAX, lineTaxRows(entries));
  await store.runEach(INSERT_ENTRY, entryRows(entries, meta));
  await linkEvents(
    store,
    entries.map(({ entry }) => entry),
  );
  await store.runEach(INSERT_RENDERED, roundingRows(entries));
  await advanceDailyMovements(store, entries);
}

/** The running total of one account of one source, exact and in cents, from which its next cents are rendered (0 before its first line). */
export async function runningTotal(
  store: LedgerStore,
  sourceId: string,
  account: string,
  currency: string,
): Promise<{ exactMicros: bigint; cents: bigint }> {
  const total = await store.first(
    queryBuilder(store)
      .selectFrom('running_totals')
      .select(['exact_micros', 'debit_cents', 'credit_cents'])
      .where('source_id', '=', sourceId)
      .where('account', '=', account)
      .where('currency', '=', currency),
  );
  if (total === undefined) return { exactMicros: 0n, cents: 0n };
  return { exactMicros: BigInt(total.exact_micros), cents: BigInt(total.debit_cents) - BigInt(total.credit_cents) };
}

/** Every running total: the exact sum of all the lines of each source, account and currency and their cents, ordered by those three. */
export async function allRunningTotals(
  store: LedgerStore,
): Promise<{ sourceId: string; account: string; currency: string; exactMicros: bigint; cents: bigint }[]> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('running_totals')
      .selectAll()
      .orderBy('source_id')
      .orderBy('account')
      .orderBy('currency'),
  );
  return rows.map((row) => ({
    sourceId: row.source_id,
    account: row.account,
    currency: row.currency,
    exactMicros: BigInt(row.exact_micros),
    cents: BigInt(row.debit_cents) - BigInt(row.credit_cents),
  }));
}

/** Advances the running totals by what the entries just written moved them by, in the same unit of work. */
export async function advanceRunningTotals(store: LedgerTx, movements: Iterable<RunningTotalMovement>): Promise<void> {
  function* rows() {
    for (const m of movements)
      yield [
        m.sourceId,
        m.account,
        m.currency,
        m.exactMicros,
        m.debitMicros,
        m.creditMicros,
        m.debitCents,
        m.creditCents,
      ];
  }
  await store.runEach(ADVANCE_TOTAL, rows());
}

export async function hasEntry(store: LedgerStore, entryId: string): Promise<boolean> {
  return (
    (await store.first(queryBuilder(store).selectFrom('journal_entries').select('id').where('id', '=', entryId))) !==
    undefined
  );
}

/**
 * A daily movement of exact lines, not only of rounding cents: every line has a non-zero amount (the balance
 * check refuses 0), so the accounts these reads give are those of the lines, as when they read the lines.
 */
export const hasExactLines = sql<boolean>`(m.debit_micros <> 0 OR m.credit_micros <> 0)`;

/** Net (debits − credits) of every account and currency over the entries the filter keeps, from their daily movements (migration 0022). */
export async function accountNets(
  store: LedgerStore,
  filter: BalanceFilter = {},
): Promise<{ account: string; currency: string; netMicros: bigint }[]> {
  return (await debitCreditTotals(store, filter)).map((row) => ({
    account: row.account,
    currency: row.currency,
    netMicros: row.debitMicros - row.creditMicros,
  }));
}

/** Debit and credit totals of every account and currency over the entries the filter keeps, from their daily movements. */
export async function debitCreditTotals(
  store: LedgerStore,
  filter: BalanceFilter = {},
): Promise<{ account: string; currency: string; debitMicros: bigint; creditMicros: bigint }[]> {
  let query = queryBuilder(store)
    .selectFrom('daily_movements as m')
    .select([
      'm.account',
      'm.currency',
      sql<bigint>`SUM(m.debit_micros)`.as('debit'),
      sql<bigint>`SUM(m.credit_micros)`.as('credit'),
    ])
    .where(hasExactLines)
    .groupBy(['m.account', 'm.currency'])
    .orderBy('m.account')
    .orderBy('m.currency');
  if (filter.asOf) query = query.where('m.date', '<=', filter.asOf);
  if (filter.sourceId) query = query.where('m.source_id', '=', filter.sourceId);
  return (await store.all(query)).map((row) => ({
    account: row.account,
    currency: row.currency,
    debitMicros: BigInt(row.debit),
    creditMicros: BigInt(row.credit),
  }));
}
