import { sql } from 'kysely';
import { accountTotals } from './account-totals.js';
import { chainCloseRecords, chainEnd, closedPeriodRows, closedPeriodsOfChain, form2FromSeq } from './chain-closes.js';
import { dailyMovements, journalDateSpan, movementsBefore, movementsFrom, movementsWithin } from './daily-movements.js';
import { chainHead, chainPosition, entryChainHashes } from './entry-chain-hashes.js';
import type { LedgerStore } from './ledger-store.js';
import { allRunningTotals, hasExactLines } from './journal.js';
import { chainChunks } from './journal-chain.js';
import { queryBuilder } from './query-builder.js';
import type { BookLineRow, EntryWindow, JournalLineRow, RenderedLineRow } from '../ledger/index.js';
import { bookedTaxOfColumns, type BookedTaxField } from '../rules/index.js';

/**
 * The journal's and its chain's reads, as the use cases' books read them (pipeline/<use case>/books/, reads/books/):
 * one door over the store's handle or a unit's `tx`. Each verb is its read's function with the handle bound, so its
 * signature is written once, beside its SQL. Example: journalReadsOver(store).accountTotals({ to: '2026-03-31' }).
 * A read is looked up when it is called, not when the door is opened: the bundle loads a module that builds its
 * statement with kysely (and kysely) on its first use (scripts/bundle-cli.mjs), so `balances`, which reads only
 * prepared statements, loads neither (test/cli/command-start.test.ts).
 */
export const journalReadsOver = (store: LedgerStore) => {
  const bound =
    <A extends unknown[], R>(read: () => (store: LedgerStore, ...args: A) => R) =>
    (...args: A): R =>
      read()(store, ...args);
  return {
    // The totals and movements the reports and the transit's balances add up (migrations 0012, 0022).
    accountTotals: bound(() => accountTotals),
    allRunningTotals: bound(() => allRunningTotals),
    dailyMovements: bound(() => dailyMovements),
    movementsWithin: bound(() => movementsWithin),
    movementsBefore: bound(() => movementsBefore),
    movementsFrom: bound(() => movementsFrom),
    journalDateSpan: bound(() => journalDateSpan),
    // One source's day, as a replay's correction compares it.
    dayNetByAccount: bound(() => dayNetByAccount),
    dayTreatedLines: bound(() => dayTreatedLines),
    countEntriesWithIdPrefix: bound(() => countEntriesWithIdPrefix),
    // The hash chain (migrations 0018, 0026): its head and links, the closes it records, the periods they lock.
    chainHead: bound(() => chainHead),
    chainPosition: bound(() => chainPosition),
    chainEnd: bound(() => chainEnd),
    entryChainHashes: bound(() => entryChainHashes),
    chainChunks: bound(() => chainChunks),
    chainCloseRecords: bound(() => chainCloseRecords),
    form2FromSeq: bound(() => form2FromSeq),
    closedPeriodRows: bound(() => closedPeriodRows),
    closedPeriodsOfChain: bound(() => closedPeriodsOfChain),
  };
};

/** The net of each account and currency over a source's entries dated `date`: its daily movements (migration 0022). */
export async function dayNetByAccount(
  store: LedgerStore,
  sourceId: string,
  date: string,
): Promise<{ account: string; currency: string; netMicros: bigint }[]> {
  return (
    await store.all(
      queryBuilder(store)
        .selectFrom('daily_movements as m')
        .select(['m.account', 'm.currency', sql<bigint>`m.debit_micros - m.credit_micros`.as('net')])
        .where('m.source_id', '=', sourceId)
        .where('m.date', '=', date)
        .where(hasExactLines),
    )
  ).map((row) => ({ account: row.account, currency: row.currency, netMicros: BigInt(row.net) }));
}

/**
 * The lines of a source's entries dated `date` with their tax treatments as booked (issue 82): what a replay's
 * correction takes each line's treatment from. A line booked before lines kept their treatment (migration 0039) has
 * no `tax`. Example: Dr smm_services_expense 0.90 (order_charge, REVERSECHARGES) and Cr 0.14 (order_refund,
 * REVERSECHARGES) → two lines, +0.90 and −0.14, each with its treatment.
 */
export async function dayTreatedLines(
  store: LedgerStore,
  sourceId: string,
  date: string,
): Promise<{ account: string; currency: string; amountMicros: bigint; tax?: BookedTaxField }[]> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('journal_entries as e')
      .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
      .leftJoin('journal_line_taxes as t', (join) =>
        join.onRef('t.entry_id', '=', 'l.entry_id').onRef('t.line_no', '=', 'l.line_no'),
      )
      .select(['l.account', 'l.currency', 'l.amount_micros'])
      .select(lineTaxColumns())
      .where('e.source_id', '=', sourceId)
      .where('e.date', '=', date)
      .orderBy('e.id')
      .orderBy('l.line_no'),
  );
  return rows.map((row) => {
    const tax = bookedTaxOfColumns([
      row.taxed,
      row.tax_flow,
      row.tax_reverses,
      row.tax_code,
      row.tax_name,
      row.tax_rate,
      row.tax_side,
      row.tax_reverse_charge,
      row.tax_base_micros,
    ]);
    const line = { account: row.account, currency: row.currency, amountMicros: BigInt(row.amount_micros) };
    return tax === undefined ? line : { ...line, tax };
  });
}

/** How many of a source's entries dated `date` have an id starting with `idPrefix`. */
export async function countEntriesWithIdPrefix(
  store: LedgerStore,
  sourceId: string,
  date: string,
  idPrefix: string,
): Promise<number> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('journal_entries')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('source_id', '=', sourceId)
      .where('date', '=', date)
      .where(sql<string>`substr(id, 1, ${idPrefix.length})`, '=', idPrefix),
  );
  return Number(row?.count ?? 0);
}

/**
 * Each entry with its rendered lines, one row per line, in book order (see entriesInBookOrder) with the ledger
 * position of an entry booked before journal numbers came from the books; streamed, never all held, each row
 * an array (see RenderedLineRow). An entry none of whose lines renders to a cent gives one row of nulls.
 */
export function renderedLineRows(store: LedgerStore, window: EntryWindow): AsyncIterable<RenderedLineRow> {
  const db = queryBuilder(store);
  const entries = () =>
    windowed(
      db.selectFrom('journal_entries as e').leftJoin('legacy_journal_numbers as n', 'n.entry_id', 'e.id'),
      window,
    ).select(['n.ledger_position', 'e.id', 'e.date', 'e.source_id', 'e.description', 'e.event_ids']);
  const none = entries()
    .select([
      sql<string | null>`NULL`.as('account'),
      sql<string | null>`NULL`.as('currency'),
      sql<bigint | null>`NULL`.as('cents'),
      sql<string | null>`NULL`.as('line_description'),
      sql<number>`0`.as('line_no'),
      ...noLineTaxColumns(),
    ])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('journal_lines as l')
            .select('l.line_no')
            .whereRef('l.entry_id', '=', 'e.id')
            .where('l.cents', '<>', 0n),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('rendered_lines as r').select('r.line_no').whereRef('r.entry_id', '=', 'e.id'))),
    );
  const query = entries()
    .crossJoin('journal_lines as l')
    .whereRef('l.entry_id', '=', 'e.id')
    .leftJoin('journal_line_taxes as t', (join) =>
      join.onRef('t.entry_id', '=', 'l.entry_id').onRef('t.line_no', '=', 'l.line_no'),
    )
    .select(renderedLineColumns('l'))
    .select(lineTaxColumns())
    .where('l.cents', '<>', 0n)
    .unionAll(
      entries()
        .crossJoin('rendered_lines as r')
        .whereRef('r.entry_id', '=', 'e.id')
        .select(renderedLineColumns('r'))
        .select(noLineTaxColumns()),
    )
    .unionAll(none);
  return store.iterateArrays(linesInBookOrder(query)) as AsyncIterable<RenderedLineRow>;
}

/**
 * Every rendered line with its entry's columns, in book order (see entriesInBookOrder), up to `rowsPerChunk`
 * at a time; an entry with no line (all rounded to 0.00) gives no row. Streamed, each row an array.
 */
export function bookLineChunks(
  store: LedgerStore,
  window: EntryWindow,
  rowsPerChunk: number,
): AsyncIterable<BookLineRow[]> {
  const db = queryBuilder(store);
  const entries = () =>
    windowed(db.selectFrom('journal_entries as e'), window).select([
      'e.id',
      'e.date',
      'e.source_id',
      'e.description',
      'e.event_ids',
    ]);
  const query = entries()
    .crossJoin('journal_lines as l')
    .whereRef('l.entry_id', '=', 'e.id')
    .select(renderedLineColumns('l'))
    .where('l.cents', '<>', 0n)
    .unionAll(
      entries().crossJoin('rendered_lines as r').whereRef('r.entry_id', '=', 'e.id').select(renderedLineColumns('r')),
    );
  return store.iterateArrayChunks(linesInBookOrder(query), rowsPerChunk) as AsyncIterable<BookLineRow[]>;
}

/** A rendered line's columns, read from its journal line (`l`, its cents stored with it) or from rendered_lines (`r`), typed alike for the UNION. */
function renderedLineColumns(from: 'l' | 'r') {
  const column = (name: string) => sql.ref(`${from}.${name}`);
  return [
    sql<string | null>`${column('account')}`.as('account'),
    sql<string | null>`${column('currency')}`.as('currency'),
    sql<bigint | null>`${column('cents')}`.as('cents'),
    sql<string | null>`${column('description')}`.as('line_description'),
    sql<number>`${column('line_no')}`.as('line_no'),
  ] as const;
}

/**
 * A journal line's tax treatment as booked (`t`, journal_line_taxes, migration 0039), typed alike for the UNION:
 * `taxed` is 1 when the line has a row (its entry was booked with the chart's tax), null when not.
 */
function lineTaxColumns() {
  return [
    sql<number | null>`CASE WHEN t.line_no IS NULL THEN NULL ELSE 1 END`.as('taxed'),
    sql<string | null>`t.flow`.as('tax_flow'),
    sql<string | null>`t.reverses`.as('tax_reverses'),
    sql<string | null>`t.code`.as('tax_code'),
    sql<string | null>`t.name`.as('tax_name'),
    sql<string | null>`t.rate`.as('tax_rate'),
    sql<string | null>`t.side`.as('tax_side'),
    sql<bigint | null>`t.reverse_charge`.as('tax_reverse_charge'),
    sql<bigint | null>`t.base_micros`.as('tax_base_micros'),
  ] as const;
}

/** lineTaxColumns of a line that has none: a rounding line, or no line at all. */
function noLineTaxColumns() {
  return [
    sql<number | null>`NULL`.as('taxed'),
    sql<string | null>`NULL`.as('tax_flow'),
    sql<string | null>`NULL`.as('tax_reverses'),
    sql<string | null>`NULL`.as('tax_code'),
    sql<string | null>`NULL`.as('tax_name'),
    sql<string | null>`NULL`.as('tax_rate'),
    sql<string | null>`NULL`.as('tax_side'),
    sql<bigint | null>`NULL`.as('tax_reverse_charge'),
    sql<bigint | null>`NULL`.as('tax_base_micros'),
  ] as const;
}

/** The entries of a window: those dated within it, of its source (every read of entries by window). */
function windowed<Q extends { where(ref: 'e.date' | 'e.source_id', op: '>=' | '<=' | '=', value: string): Q }>(
  query: Q,
  window: EntryWindow,
): Q {
  let windowedQuery = query;
  if (window.from) windowedQuery = windowedQuery.where('e.date', '>=', window.from);
  if (window.to) windowedQuery = windowedQuery.where('e.date', '<=', window.to);
  if (window.sourceId) windowedQuery = windowedQuery.where('e.source_id', '=', window.sourceId);
  return windowedQuery;
}

/**
 * Rendered lines in book order: their entries' (see entriesInBookOrder), then the line's number, which runs on
 * from an entry's journal lines to its rounding lines. Ordered by the output's columns, as a UNION needs: each
 * part comes in that order off the indexes, and the engine merges the parts without sorting them whole. Each
 * part CROSS JOINs its lines to the entries, which SQLite takes as "entries outer": with a plain join it chose
 * to scan a million lines and sort them all (15 MB more for an export); PostgreSQL plans it as any join.
 */
function linesInBookOrder<Q extends { orderBy(ref: 'date' | 'source_id' | 'id' | 'line_no'): Q }>(query: Q): Q {
  return query.orderBy('date').orderBy('source_id').orderBy('id').orderBy('line_no');
}

/** Each entry with its exact lines and their tax treatments as booked, one row per line, in book order (see entriesInBookOrder); streamed. */
export function journalLineRows(store: LedgerStore, window: EntryWindow): AsyncIterable<JournalLineRow> {
  const query = entriesInBookOrder(
    windowed(
      queryBuilder(store)
        .selectFrom('journal_entries as e')
        .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
        .leftJoin('journal_line_taxes as t', (join) =>
          join.onRef('t.entry_id', '=', 'l.entry_id').onRef('t.line_no', '=', 'l.line_no'),
        ),
      window,
    )
      .select(['e.id', 'e.date', 'e.source_id', 'e.description', 'l.account', 'l.currency', 'l.amount_micros'])
      .select(lineTaxColumns()),
  ).orderBy('l.line_no');
  return store.iterate(query);
}

/**
 * Book order: by date, then source, then entry id, all read from the entries themselves, never the order they
 * were appended in (a rerun day, several workers and a copied ledger append in different orders and must export
 * the same bytes). Served by the index journal_entries_by_identity.
 */
function entriesInBookOrder<Q extends { orderBy(ref: 'e.date' | 'e.source_id' | 'e.id'): Q }>(query: Q): Q {
  return query.orderBy('e.date').orderBy('e.source_id').orderBy('e.id');
}
