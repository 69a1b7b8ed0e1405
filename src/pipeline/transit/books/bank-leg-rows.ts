import { TRANSIT_ENTRY_PREFIXES, isBankSideEntry, numberedBankLeg } from '../../../rules/index.js';

const { bankLegFamily, lateDifference, acceptance } = TRANSIT_ENTRY_PREFIXES;
import { filedReturns, journalReadsOver, queryBuilder, type StoreHandle } from '../../../store/index.js';
import type { ItemBankLegs } from './transit-books.js';

/**
 * Each item's bank legs and their reversals as the journal holds them, read by their ids' common prefix with each
 * one's debit (a leg is one debit and one credit of the same amount). Examples: je:bank-leg:P of Dr bank 73.54 /
 * Cr payout_clearing_paypal 73.54 on 04-02 → P: 1 leg, standing 73.54 of 04-02; je:bank-leg:T (50.00 on 04-06),
 * je:bank-leg-reversal:1:T, je:bank-leg-again:2:T (51.50 on 04-06) → T: 2 legs, 1 reversal, standing the 51.50.
 */
export async function bankLegsByItem(store: StoreHandle): Promise<Map<string, ItemBankLegs>> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('journal_entries')
      .innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id')
      .select(['journal_entries.id', 'journal_entries.date', 'journal_lines.amount_micros'])
      .where('journal_entries.id', 'like', `${bankLegFamily}%`)
      .where('journal_lines.amount_micros', '>', 0n),
  );
  return itemBankLegs(rows.map((row) => ({ id: row.id, date: row.date, amountMicros: BigInt(row.amount_micros) })));
}

/** The legs and reversals read (entry id, day, debit) into each item's. */
function itemBankLegs(
  entries: readonly { id: string; date: string; amountMicros: bigint }[],
): Map<string, ItemBankLegs> {
  const items = new Map<string, ItemBankLegs>();
  for (const entry of entries) {
    const numbered = numberedBankLeg(entry.id);
    if (numbered === undefined) continue;
    const item = items.get(numbered.itemId) ?? { legs: 0, reversals: 0 };
    items.set(numbered.itemId, item);
    if (numbered.reversal) item.reversals += 1;
    else {
      item.legs += 1;
      if (item.standing === undefined || numbered.n > item.standing.n)
        item.standing = { n: numbered.n, entryId: entry.id, date: entry.date, amountMicros: entry.amountMicros };
    }
  }
  for (const item of items.values()) if (item.reversals >= item.legs) delete item.standing;
  return items;
}

/** The items whose bank leg stands in the journal (booked, and not reversed by an unmatch). */
export async function bankLegItems(store: StoreHandle): Promise<Set<string>> {
  const legs = await bankLegsByItem(store);
  return new Set([...legs].filter(([, item]) => item.standing !== undefined).map(([itemId]) => itemId));
}

/** What each standing bank leg moved, by item id: its date and its debit. */
export async function bankLegMoves(store: StoreHandle): Promise<Map<string, { date: string; amountMicros: bigint }>> {
  return new Map(
    [...(await bankLegsByItem(store))].flatMap(([itemId, { standing }]) =>
      standing === undefined ? [] : [[itemId, { date: standing.date, amountMicros: standing.amountMicros }] as const],
    ),
  );
}

/**
 * The items whose difference from their bank line the journal holds: the adjusting entry `transit accept` booked
 * (it explains transit:<item id>), or the late difference booked under an earlier acceptance
 * (je:transit-difference:<item id>).
 */
export async function differenceItems(store: StoreHandle): Promise<Set<string>> {
  const builder = queryBuilder(store);
  const [accepted, late] = await Promise.all([
    store.all(builder.selectFrom('adjustments').select('explains').where('explains', 'like', `${acceptance}%`)),
    store.all(builder.selectFrom('journal_entries').select('id').where('id', 'like', `${lateDifference}%`)),
  ]);
  return new Set([
    ...accepted.map((row) => row.explains!.slice(acceptance.length)),
    ...late.map((row) => row.id.slice(lateDifference.length)),
  ]);
}

/**
 * The entries besides the bank legs with two lines, one on a bank account (rules isBankSideEntry): a statement line
 * no item took, booked with `adjust`. Each with the bank line's amount (+ in, − out) and the other line's account.
 * Example: je:adjustment:2026-03-31:2, Dr bank_fees 9.00 / Cr bank 9.00 → { bankMicros: −9000000n, otherAccount: bank_fees };
 * coded, Dr bank_fees 7.50 / Dr vat_input 1.50 / Cr bank 9.00 → the same (its VAT line is bank_fees' tax).
 */
export async function bankSideEntries(
  store: StoreHandle,
  bankAccounts: ReadonlySet<string>,
): Promise<
  { entryId: string; date: string; sourceId: string; currency: string; bankMicros: bigint; otherAccount: string }[]
> {
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
        'journal_entries.source_id',
        'journal_lines.account',
        'journal_lines.currency',
        'journal_lines.amount_micros',
      ])
      .where('journal_lines.entry_id', 'in', touching)
      .where('journal_entries.id', 'not like', `${bankLegFamily}%`)
      .orderBy('journal_entries.seq')
      .orderBy('journal_lines.line_no'),
  );
  const entries = new Map<
    string,
    { id: string; date: string; sourceId: string; lines: { account: string; currency: string; amountMicros: bigint }[] }
  >();
  for (const row of rows) {
    const entry = entries.get(row.id) ?? { id: row.id, date: row.date, sourceId: row.source_id, lines: [] };
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
        sourceId: entry.sourceId,
        currency: bank.currency,
        bankMicros: bank.amountMicros,
        otherAccount: other.account,
      },
    ];
  });
}

/** The end of the last closed period or filed tax return (issue 70), the later, when one is: the journal takes nothing dated on or before it. */
export async function closedThrough(store: StoreHandle): Promise<string | undefined> {
  const ends = [
    (await journalReadsOver(store).closedPeriodsOfChain()).at(-1)?.periodEnd,
    (await filedReturns(store)).at(-1)?.to,
  ];
  return ends
    .filter((end) => end !== undefined)
    .sort()
    .at(-1);
}
