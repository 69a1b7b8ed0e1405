import { sql } from 'kysely';
import { insertRows, type LedgerTx } from './ledger-store.js';
import type { RenderedEntryToBook } from '../ledger/index.js';

const SUMS = ['debit_micros', 'credit_micros', 'debit_cents', 'credit_cents'] as const;

/** Each day's movement advanced by what the entries just written moved it by; a day seen for the first time starts at that movement. */
const ADVANCE_DAY = insertRows(
  'daily_movements',
  {
    date: 'text',
    source_id: 'text',
    account: 'text',
    currency: 'text',
    debit_micros: 'bigint',
    credit_micros: 'bigint',
    debit_cents: 'bigint',
    credit_cents: 'bigint',
  },
  sql`ON CONFLICT (date, source_id, account, currency) DO UPDATE SET ${sql.join(SUMS.map((column) => sql.raw(`${column} = daily_movements.${column} + excluded.${column}`)))}`,
);

/** One day's movement of one source, account and currency, as a row of ADVANCE_DAY. */
type DayRow = [
  date: string,
  sourceId: string,
  account: string,
  currency: string,
  debitMicros: bigint,
  creditMicros: bigint,
  debitCents: bigint,
  creditCents: bigint,
];

/**
 * Advances the daily movements (migration 0022) by the entries just written, in the same unit of work: one
 * row per date, source, account and currency of the entries, summed here first (PostgreSQL refuses an upsert
 * that meets one key twice). Example: je:1 of 2026-03-02 debits fees 0.004 (rendered 0.00) and je:2 of the
 * same day debits fees 0.010 (0.01) → one row advanced by debit 14,000 micros and 1 cent.
 */
export async function advanceDailyMovements(store: LedgerTx, entries: readonly RenderedEntryToBook[]): Promise<void> {
  // Found by date, then account and currency under the entry's source, in maps of maps: no key text built per line.
  const days = new Map<string, Map<string, Map<string, Map<string, DayRow>>>>();
  const rows: DayRow[] = [];
  const add = (
    entry: RenderedEntryToBook['entry'],
    account: string,
    currency: string,
    micros: bigint,
    cents: bigint,
  ) => {
    const accounts = within(within(within(days, entry.date), entry.sourceId), account);
    let row = accounts.get(currency);
    if (row === undefined) {
      accounts.set(currency, (row = [entry.date, entry.sourceId, account, currency, 0n, 0n, 0n, 0n]));
      rows.push(row);
    }
    if (micros > 0n) row[4] += micros;
    else row[5] -= micros;
    if (cents > 0n) row[6] += cents;
    else row[7] -= cents;
  };
  for (const { entry, lineCents, roundingLines } of entries) {
    entry.lines.forEach((line, index) => add(entry, line.account, line.currency, line.amountMicros, lineCents[index]!));
    for (const line of roundingLines) add(entry, line.account, line.currency, 0n, line.cents);
  }
  await store.runEach(ADVANCE_DAY, rows);
}

/** The map under `key` in `outer`, made empty the first time. */
function within<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = outer.get(key);
  if (inner === undefined) outer.set(key, (inner = new Map()));
  return inner;
}
