import { sql } from 'kysely';
import type { LandedBankLine, LineReach, TransitItem, TransitStanding } from '../../../rules/index.js';
import { type StoreHandle, seals, statements } from '../../../store/index.js';
import { acknowledgementHistory } from './acknowledgement-rows.js';
import { bankQueries } from './bank-line-rows.js';

/** Rows read at a time: each item or line becomes its object straight from the row's array. */
const ROWS_PER_CHUNK = 5000;

/**
 * Every payout and top-up the ledger holds (events of `eventKinds`, as the kinds say them), with whether a journal
 * moved it to its clearing account: rows as arrays, no object between.
 */
export async function transitItems(
  store: StoreHandle,
  eventKinds: ReadonlyMap<string, 'payout' | 'topup'>,
): Promise<TransitItem[]> {
  const kinds = [...eventKinds.keys()];
  const query = bankQueries(store)
    .selectFrom('source_events')
    .leftJoin('entry_events', 'entry_events.event_id', 'source_events.id')
    .select([
      'source_events.id',
      'source_events.kind',
      'source_events.source_id',
      'source_events.amount_micros',
      'source_events.currency',
      'source_events.date',
      'entry_events.entry_id',
    ])
    // Literals, not bound values: migration 0034's source_events_in_transit serves only its own predicate.
    .where(
      'source_events.kind',
      'in',
      kinds.map((kind) => sql.lit(kind)),
    )
    .orderBy('source_events.date')
    .orderBy('source_events.id');
  // A chunk of rows at a time, each its item at once: a year's 100,000 rows are never all held as arrays (issue 72).
  const items: TransitItem[] = [];
  const [sources, currencies, days] = [oneCopy(), oneCopy(), oneCopy()];
  for await (const rows of store.iterateArrayChunks(query, ROWS_PER_CHUNK))
    for (const [id, kind, sourceId, amountMicros, currency, reportedOn, entryId] of rows as [
      string,
      string,
      string,
      bigint | number,
      string,
      string,
      string | null,
    ][])
      items.push({
        id,
        kind: eventKinds.get(kind) ?? 'payout',
        eventKind: kind,
        sourceId: sources(sourceId),
        amountMicros: BigInt(amountMicros),
        currency: currencies(currency),
        reportedOn: days(reportedOn),
        cleared: entryId !== null,
      });
  return items;
}

/**
 * The landed bank lines within some reach (rules/transit linesInReach), of every account, with the statement
 * each came in, in book order. Each reach is read by a query of its own, filtered in SQL: a line no item could
 * take is never read (a card payment when only payouts are followed, a line older than every item). Its currency
 * is the reach's, not read: a value read costs about as much as the SQLite scan that finds the line (issue 56:
 * 47,940 lines of 100,000 in reach cost ~10 ms to find and ~300 ms to read), so each column left unread counts.
 * Read as arrays a chunk at a time, one object per line; each reach's lines in book order, one reach after
 * another (the rule sorts them all in its own order: runs already sorted cost about one comparison a line).
 * A reach narrowed to its items' exact amounts (LineReach.exactMicros) reads only lines of one of them or naming
 * some item (a colon in their text; LIKE sees all of it, as a line's text holds no NUL: the import cleans control
 * characters out), each half through an index of its own (reachQuery): issue 56, 9,500 of the 47,940 lines in reach.
 */
export async function landedBankLines(store: StoreHandle, reaches: readonly LineReach[]): Promise<LandedBankLine[]> {
  const lines: LandedBankLine[] = [];
  for (const reach of reaches) await readReach(store, reach, lines);
  return lines;
}

/** The columns a reach reads, in the order readReach takes them. */
const LINE_COLUMNS = [
  'account',
  'line_id',
  'booked_on',
  'amount_micros',
  'reference',
  'description',
  'statement_sha256',
] as const;

/**
 * The text of a line that could name an item: migration 0034's predicate word for word (both engines use a partial
 * index only for a query holding its predicate; a bound pattern would not be it).
 */
const NAMES_SOME_ITEM = sql<boolean>`(reference LIKE '%:%' OR description LIKE '%:%')`;

/**
 * The query of one reach, in book order (day, account, line id). A reach narrowed to exact amounts is two seeks in
 * one union: the lines of each amount (bank_lines_by_amount; its amounts are the reach's, in its direction and
 * bounds by construction) and the lines whose text could name an item (0034's bank_lines_naming), a line in both
 * read once. Issue 56: 55,000 index entries tested one table lookup each before, 9,500 + 5,000 seeks now.
 */
function reachQuery(store: StoreHandle, reach: LineReach) {
  const inDays = bankQueries(store)
    .selectFrom('bank_lines')
    .select(LINE_COLUMNS)
    .where('currency', '=', reach.currency)
    .where('booked_on', '>=', reach.from)
    .where('booked_on', '<=', reach.to);
  const inBounds = inDays
    .where('amount_micros', reach.moneyIn ? '>' : '<=', 0n)
    .where('amount_micros', '>=', reach.lowestMicros)
    .where('amount_micros', '<=', reach.highestMicros);
  const compound =
    reach.exactMicros === undefined
      ? inBounds
      : inDays.where('amount_micros', 'in', oneOf(store, reach.exactMicros)).union(inBounds.where(NAMES_SOME_ITEM));
  return compound.orderBy('booked_on').orderBy('account').orderBy('line_id');
}

/**
 * A list of amounts as one bound value, not one per amount: 10,000 bound values cost building, compiling and
 * binding each (issue 56). SQLite reads it as a JSON array (json_each, each an INTEGER), PostgreSQL as a bigint[];
 * either engine still seeks the amount index once per amount.
 */
function oneOf(store: StoreHandle, micros: readonly bigint[]) {
  return statements.onSqlite(store)
    ? sql<bigint>`(SELECT value FROM json_each(${`[${micros.join(',')}]`}))`
    : sql<bigint>`(SELECT unnest(${`{${micros.join(',')}}`}::bigint[]))`;
}

/**
 * One copy of each value of a column that repeats (a day, an account, a source): each row read is a new string,
 * and a year's 100,000 rows hold a few hundred days (issue 72: ~10 MB of copies at once).
 */
function oneCopy(): (text: string) => string {
  const kept = new Map<string, string>();
  return (text) => {
    const copy = kept.get(text);
    if (copy !== undefined) return copy;
    kept.set(text, text);
    return text;
  };
}

/** The lines of one reach, pushed onto `lines` in book order (day, account, line id). */
async function readReach(store: StoreHandle, reach: LineReach, lines: LandedBankLine[]): Promise<void> {
  const query = reachQuery(store, reach);
  const { currency } = reach;
  const [accounts, days, statements] = [oneCopy(), oneCopy(), oneCopy()];
  for await (const rows of store.iterateArrayChunks(query, ROWS_PER_CHUNK)) {
    for (const [account, lineId, bookedOn, amountMicros, reference, description, statementSha256] of rows as [
      string,
      string,
      string,
      bigint | number,
      string,
      string,
      string,
    ][]) {
      lines.push({
        account: accounts(account),
        lineId,
        bookedOn: days(bookedOn),
        amountMicros: BigInt(amountMicros),
        currency,
        reference,
        description,
        statementSha256: statements(statementSha256),
      });
    }
  }
}

/** The items a person accepted: the latest word on `transit:<id>` in the acknowledgements is an ack. */
export async function acceptedTransitItems(store: StoreHandle): Promise<Set<string>> {
  const accepted = new Set<string>();
  for (const [itemId, words] of await acknowledgementHistory(store)) {
    if (itemId.startsWith('transit:') && words.at(-1)?.action === 'ack') accepted.add(itemId.slice('transit:'.length));
  }
  return accepted;
}

/** Each item's latest recorded state. */
export async function recordedTransitStates(store: StoreHandle): Promise<Map<string, string>> {
  const db = bankQueries(store);
  const latest = db
    .selectFrom('transit_states')
    .select((eb) => eb.fn.max('id').as('id'))
    .groupBy('item_id');
  const rows = await store.all(db.selectFrom('transit_states').select(['item_id', 'state']).where('id', 'in', latest));
  return new Map(rows.map((row) => [row.item_id, row.state]));
}

const INSERT_STATE = statements.insert(
  'transit_states',
  {
    item_id: 'text',
    state: 'text',
    as_of: 'text',
    bank_account: 'text',
    bank_line_id: 'text',
    statement_sha256: 'text',
    document_id: 'text',
    recorded_at: 'text',
  },
  sql`RETURNING id`,
);

/** Appends each state an item reached, with its evidence: the bank line and the statement it came in, or the reconciled document. */
export async function recordTransitStates(
  store: StoreHandle,
  standings: readonly TransitStanding[],
  asOf: string,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const rows = standings.map(
    ({ item, state, match, document }) =>
      [
        item.id,
        state,
        asOf,
        match?.line.account ?? null,
        match?.line.lineId ?? null,
        match?.line.statementSha256 ?? null,
        document ?? null,
        at,
      ] as const,
  );
  if (rows.length === 0) return;
  await store.unitOfWork(async (tx) => {
    const kept = await tx.returningEach<{ id: bigint }>(INSERT_STATE, rows);
    await seals.rows(tx, 'transit_states', { id: kept.map((row) => BigInt(row.id)) });
  });
}

/** The items already alerted in `state`. */
export async function alertedTransitItems(store: StoreHandle, state: string): Promise<Set<string>> {
  const rows = await store.all(
    bankQueries(store).selectFrom('transit_alerts').select('item_id').where('state', '=', state),
  );
  return new Set(rows.map((row) => row.item_id));
}

// Two nights that race both alert; the second row is dropped, not refused.
const INSERT_ALERT = statements.insert(
  'transit_alerts',
  { item_id: 'text', state: 'text', as_of: 'text', alerted_at: 'text' },
  sql`ON CONFLICT (item_id, state) DO NOTHING`,
);

/** Appends that these items were alerted in `state`, once each. */
export async function recordTransitAlerts(
  store: StoreHandle,
  itemIds: readonly string[],
  state: string,
  asOf: string,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await store.unitOfWork((tx) =>
    tx.runEach(
      INSERT_ALERT,
      itemIds.map((itemId) => [itemId, state, asOf, at] as const),
    ),
  );
}
