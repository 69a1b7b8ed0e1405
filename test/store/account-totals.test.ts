import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import type { JournalEntry } from '../../src/rules/index.js';
import type { AccountTotals } from '../../src/reads/books/ledger-reads.js';
import { accountTotals } from '../../src/store/account-totals.js';
import { useFreshStores } from './fresh-stores.js';
import { LEDGER_ENGINES } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { openFresh } = useFreshStores(tempDir);

/** Entries over two sources and two currencies whose lines render to cents that need rounding now and then. */
function entries(count: number): JournalEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const micros = 1_000n + BigInt((index * 7_919) % 9_973);
    const currency = index % 3 === 0 ? 'EUR' : 'USD';
    return {
      id: `je:totals:${index}`,
      date: `2026-03-${String((index % 28) + 1).padStart(2, '0')}`,
      sourceId: index % 5 === 0 ? 'ads' : 'smm-panel',
      description: `entry ${index}`,
      eventIds: [],
      lines: [
        { account: 'smm_services_expense', currency, amountMicros: micros },
        { account: 'panel_prepaid', currency, amountMicros: -(micros - 1_500n) },
        { account: 'fees', currency, amountMicros: -1_500n },
      ],
    };
  });
}

/** The same totals added up in JavaScript from every line the ledger reads back, exact and rendered. */
async function totalsFromLines(ledger: Ledger): Promise<AccountTotals[]> {
  const rows = new Map<string, AccountTotals>();
  const rowOf = (account: string, currency: string) => {
    const key = `${account} ${currency}`;
    let row = rows.get(key);
    if (!row)
      rows.set(
        key,
        (row = { period: null, account, currency, debitMicros: 0n, creditMicros: 0n, debitCents: 0n, creditCents: 0n }),
      );
    return row;
  };
  for await (const entry of ledger.exactEntries()) {
    for (const line of entry.lines) {
      const row = rowOf(line.account, line.currency);
      if (line.amountMicros > 0n) row.debitMicros += line.amountMicros;
      else row.creditMicros -= line.amountMicros;
    }
  }
  for await (const entry of ledger.renderedEntries()) {
    for (const line of entry.lines) {
      const row = rowOf(line.account, line.currency);
      if (line.cents > 0n) row.debitCents += line.cents;
      else row.creditCents -= line.cents;
    }
  }
  return [...rows.values()].sort((a, b) => a.account.localeCompare(b.account) || a.currency.localeCompare(b.currency));
}

describe.each(LEDGER_ENGINES)('the whole-ledger trial balance, kept with the running totals (%s)', (engine) => {
  it('equals the debits and credits of every line, exact and in cents, rounding included, after bulk and single appends', async () => {
    const store = await openFresh(engine);
    const ledger = new Ledger(journalBooksOver(store));
    const now = new Date('2026-03-29T00:00:00Z');
    const booked = entries(1_500);
    await ledger.appendEntries(booked.slice(0, 1_200), { now });
    for (const entry of booked.slice(1_150)) await ledger.appendEntry(entry, { now });

    const expected = await totalsFromLines(ledger);
    expect(expected.some((row) => row.account === 'rounding')).toBe(true);
    expect(await accountTotals(store, {})).toEqual(expected);
    expect(await accountTotals(store, { to: '2026-03-28' })).toEqual(expected);
    const byMonth = await accountTotals(store, { by: 'month' });
    expect(byMonth.map(({ period, ...row }) => (expect(period).toBe('2026-03'), row))).toEqual(
      expected.map(({ period: _period, ...row }) => row),
    );
  });
});
