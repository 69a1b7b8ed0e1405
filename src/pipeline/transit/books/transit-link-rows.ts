import type { BankSideFinding, LandedBankLine, StatementBalances, TransitLinkWord } from '../../../rules/index.js';
import { journalReadsOver, queryBuilder, type StoreHandle, type StoreTx } from '../../../store/index.js';
import { acknowledgementHistory } from './acknowledgement-rows.js';
import { bankQueries } from './bank-line-rows.js';

/** Every word people gave on items and lines, oldest first. */
export async function transitLinkWords(store: StoreHandle): Promise<TransitLinkWord[]> {
  const rows = await store.all(
    bankQueries(store)
      .selectFrom('transit_links')
      .select(['item_id', 'action', 'account', 'line_id', 'os_user', 'at'])
      .orderBy('id'),
  );
  return rows.map((row) => ({
    itemId: row.item_id,
    action: row.action,
    account: row.account,
    lineId: row.line_id,
    user: row.os_user,
    at: row.at,
  }));
}

/** Appends a person's word. */
export async function recordTransitLink(store: StoreTx, word: TransitLinkWord): Promise<void> {
  await store.run(
    bankQueries(store).insertInto('transit_links').values({
      item_id: word.itemId,
      action: word.action,
      account: word.account,
      line_id: word.lineId,
      os_user: word.user,
      at: word.at,
    }),
  );
}

const LINE_COLUMNS = [
  'account',
  'line_id',
  'booked_on',
  'amount_micros',
  'currency',
  'reference',
  'description',
  'statement_sha256',
] as const;

function asLine(row: {
  account: string;
  line_id: string;
  booked_on: string;
  amount_micros: bigint | number;
  currency: string;
  reference: string;
  description: string;
  statement_sha256: string;
}): LandedBankLine {
  return {
    account: row.account,
    lineId: row.line_id,
    bookedOn: row.booked_on,
    amountMicros: BigInt(row.amount_micros),
    currency: row.currency,
    reference: row.reference,
    description: row.description,
    statementSha256: row.statement_sha256,
  };
}

/** The landed lines named by account and line id (a person's matches), whatever their day or amount. */
export async function bankLinesNamed(
  store: StoreHandle,
  keys: readonly { account: string; lineId: string }[],
): Promise<LandedBankLine[]> {
  if (keys.length === 0) return [];
  const rows = await store.all(
    bankQueries(store)
      .selectFrom('bank_lines')
      .select([...LINE_COLUMNS])
      .where((eb) =>
        eb.or(keys.map((key) => eb.and([eb('account', '=', key.account), eb('line_id', '=', key.lineId)]))),
      ),
  );
  return rows.map(asLine);
}

/** Every landed line booked in a window (both days included), in book order: what `bank lines` lists. */
export async function bankLinesWithin(
  store: StoreHandle,
  window: { from?: string | undefined; to?: string | undefined },
): Promise<LandedBankLine[]> {
  let query = bankQueries(store)
    .selectFrom('bank_lines')
    .select([...LINE_COLUMNS]);
  if (window.from !== undefined) query = query.where('booked_on', '>=', window.from);
  if (window.to !== undefined) query = query.where('booked_on', '<=', window.to);
  const rows = await store.all(query.orderBy('booked_on').orderBy('account').orderBy('line_id'));
  return rows.map(asLine);
}

/** The findings a top-up settles (a panel's balance rise) nobody acknowledged yet: each waits for its top-up's bank line. */
export async function findingsAwaitingTheBank(
  store: StoreHandle,
  settledByTopUp: readonly string[],
): Promise<BankSideFinding[]> {
  if (settledByTopUp.length === 0) return [];
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('discrepancies')
      .select(['id', 'source_id', 'date', 'amount_micros'])
      .where('kind', 'in', settledByTopUp)
      .where('resolved_at', 'is', null)
      .orderBy('date'),
  );
  if (rows.length === 0) return [];
  const history = await acknowledgementHistory(store);
  return rows
    .filter((row) => history.get(row.id)?.at(-1)?.action !== 'ack')
    .map((row) => ({
      id: row.id,
      sourceId: row.source_id,
      date: row.date,
      amountMicros: row.amount_micros === null ? null : BigInt(row.amount_micros),
    }));
}

/** Keeps a statement's balances once (its file's row must be landed). */
export async function keepStatementBalances(
  store: StoreTx,
  account: string,
  sha256: string,
  balances: StatementBalances,
): Promise<void> {
  const { opening, closing } = balances;
  await store.run(
    bankQueries(store)
      .insertInto('bank_statement_balances')
      .values({
        account,
        sha256,
        currency: balances.currency,
        opening_micros: opening?.amountMicros ?? null,
        opening_on: opening?.on ?? null,
        closing_micros: closing?.amountMicros ?? null,
        closing_on: closing?.on ?? null,
      })
      .onConflict((conflict) => conflict.columns(['account', 'sha256']).doNothing()),
  );
}

/** Every kept statement balance of a bank account. */
export async function statementBalancesOf(store: StoreHandle, account: string): Promise<StatementBalances[]> {
  const rows = await store.all(
    bankQueries(store).selectFrom('bank_statement_balances').selectAll().where('account', '=', account),
  );
  return rows.map((row) => ({
    currency: row.currency,
    opening:
      row.opening_micros === null || row.opening_on === null
        ? null
        : { amountMicros: BigInt(row.opening_micros), on: row.opening_on },
    closing:
      row.closing_micros === null || row.closing_on === null
        ? null
        : { amountMicros: BigInt(row.closing_micros), on: row.closing_on },
  }));
}

/** What the ledger's account holds in a currency through a day (debits less credits). */
export async function accountBalanceThrough(
  store: StoreHandle,
  account: string,
  currency: string,
  date: string,
): Promise<bigint> {
  const rows = await journalReadsOver(store).accountTotals({ to: date });
  const row = rows.find((candidate) => candidate.account === account && candidate.currency === currency);
  return row === undefined ? 0n : row.debitMicros - row.creditMicros;
}
