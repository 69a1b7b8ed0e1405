import { BANK_LEG_PREFIX, isBankSideEntry } from '../rules/index.js';
import type { LedgerStore } from './ledger-store.js';
import { closedPeriods } from './period-close.js';
import { queryBuilder } from './query-builder.js';

/** The items whose bank leg the journal holds: entries je:bank-leg:<item id> (no "_" or "%" in the prefix, so LIKE reads it as it is). */
export async function bankLegItems(store: LedgerStore): Promise<Set<string>> {
  const rows = await store.all(
    queryBuilder(store).selectFrom('journal_entries').select('id').where('id', 'like', `${BANK_LEG_PREFIX}%`),
  );
  return new Set(rows.map((row) => row.id.slice(BANK_LEG_PREFIX.length)));
}

/**
 * What each bank leg the journal holds moved, by item id: its date and its debit (the leg is one debit and one
 * credit of the same amount). Example: je:bank-leg:P of Dr bank 73.54 / Cr payout_clearing_paypal 73.54 on 04-02
 * → P: { date: 2026-04-02, amountMicros: 73540000n }.
 */
export async function bankLegMoves(store: LedgerStore): Promise<Map<string, { date: string; amountMicros: bigint }>> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('journal_entries')
      .innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id')
      .select(['journal_entries.id', 'journal_entries.date', 'journal_lines.amount_micros'])
      .where('journal_entries.id', 'like', `${BANK_LEG_PREFIX}%`)
      .where('journal_lines.amount_micros', '>', 0n),
  );
  return new Map(
    rows.map((row) => [
      row.id.slice(BANK_LEG_PREFIX.length),
      { date: row.date, amountMicros: BigInt(row.amount_micros) },
    ]),
  );
}

/**
 * The entries besides the bank legs with two lines, one on a bank account (rules isBankSideEntry): a statement line
 * no item took, booked with `adjust`. Each with the bank line's amount (+ in, − out) and the other line's account.
 * Example: je:adjustment:2026-03-31:2, Dr bank_fees 9.00 / Cr bank 9.00 → { bankMicros: −9000000n, otherAccount: bank_fees }.
 */
export async function bankSideEntries(
  store: LedgerStore,
  bankAccounts: ReadonlySet<string>,
): Promise<{ entryId: string; date: string; currency: string; bankMicros: bigint; otherAccount: string }[]> {
  if (bankAccounts.size === 0) return [];
  const builder = queryBuilder(store);
  const touching = builder
    .selectFrom('journal_lines')
    .select('entry_id')
    .where('account', 'in', [...bankAccounts]);
  const rows = await store.all(
    builder
      .selectFrom('journal_lines')
      .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
      .select([
        'journal_entries.id',
        'journal_entries.date',
        'journal_lines.account',
        'journal_lines.currency',
        'journal_lines.amount_micros',
      ])
      .where('journal_lines.entry_id', 'in', touching)
      .where('journal_entries.id', 'not like', `${BANK_LEG_PREFIX}%`)
      .orderBy('journal_entries.seq')
      .orderBy('journal_lines.line_no'),
  );
  const entries = new Map<
    string,
    { id: string; date: string; lines: { account: string; currency: string; amountMicros: bigint }[] }
  >();
  for (const row of rows) {
    const entry = entries.get(row.id) ?? { id: row.id, date: row.date, lines: [] };
    entry.lines.push({ account: row.account, currency: row.currency, amountMicros: BigInt(row.amount_micros) });
    entries.set(row.id, entry);
  }
  return [...entries.values()].flatMap((entry) => {
    const bank = entry.lines.find((line) => bankAccounts.has(line.account));
    const other = entry.lines.find((line) => !bankAccounts.has(line.account));
    if (!isBankSideEntry(entry, bankAccounts) || bank === undefined || other === undefined) return [];
    return [
      {
        entryId: entry.id,
        date: entry.date,
        currency: bank.currency,
        bankMicros: bank.amountMicros,
        otherAccount: other.account,
      },
    ];
  });
}

/** The end of the last closed period, when one is: the journal takes nothing dated on or before it. */
export async function closedThrough(store: LedgerStore): Promise<string | undefined> {
  return (await closedPeriods(store)).at(-1)?.periodEnd;
}
