import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/calendar/index.js';
import { openingBalances } from '../../../src/reads/finance-report/opening-balances.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks } from '../../support/books.js';
import { ledgerReads } from '../../../src/reads/index.js';

const tempDir = useTempDir();
const now = new Date('2026-04-03T02:00:00Z');
const FIRST_DAY = '2026-03-01';
const DAYS = 12;

/** Amounts of odd micro-units over three accounts, so cents round and the rounding account takes lines. */
function entryOf(index: number) {
  const sourceId = index % 3 === 0 ? 'ads-publisher' : 'smm-panel';
  const charge = BigInt(1 + ((index * 7919) % 40_000));
  const fee = BigInt(1 + ((index * 104_729) % 9_999));
  return {
    id: `je:${index}`,
    date: addDays(FIRST_DAY, index % DAYS),
    sourceId,
    description: `entry ${index}`,
    eventIds: [],
    lines: [
      { account: 'smm_services_expense', currency: 'USD', amountMicros: charge },
      { account: 'smm_fees', currency: 'USD', amountMicros: fee },
      { account: 'panel_prepaid', currency: 'USD', amountMicros: -(charge + fee) },
    ],
  };
}

describe("a window's opening balances", () => {
  it('are the same nets, exact and in cents, whether read from the lines before the window or from the running totals less the lines after', async () => {
    const ledgerBooks = await openBooks(join(tempDir(), 'ledger.sqlite'));
    try {
      const ledger = ledgerBooks.ledger;
      for (let index = 0; index < 60; index += 1) await ledger.appendEntry(entryOf(index), { now });
      const span = await ledgerBooks.of(ledgerReads).journalDateSpan();
      expect(span).toEqual({ first: FIRST_DAY, last: addDays(FIRST_DAY, DAYS - 1) });
      let roundingSeen = false;
      for (let day = 1; day <= DAYS; day += 1) {
        const from = addDays(FIRST_DAY, day);
        const summed = (await ledgerBooks.of(ledgerReads).movementsBefore(from)).map((row) => ({
          key: `${row.sourceId} ${row.account}`,
          micros: row.debitMicros - row.creditMicros,
          cents: row.debitCents - row.creditCents,
        }));
        const opening = (await openingBalances(ledgerBooks.of(ledgerReads), from, span)).map((row) => ({
          key: `${row.sourceId} ${row.account}`,
          micros: row.debitMicros - row.creditMicros,
          cents: row.debitCents - row.creditCents,
        }));
        const held = summed
          .filter((row) => row.micros !== 0n || row.cents !== 0n)
          .sort((a, b) => a.key.localeCompare(b.key));
        expect(opening, `opening balances before ${from}`).toEqual(held);
        // The window to the last entry's totals, read once by the report, stand for what is dated from `from` on.
        const windowTotals = await ledgerBooks.of(ledgerReads).movementsWithin({ from, to: span!.last });
        expect(
          await openingBalances(ledgerBooks.of(ledgerReads), from, span, windowTotals),
          `opening balances before ${from}, given the window's totals`,
        ).toEqual(await openingBalances(ledgerBooks.of(ledgerReads), from, span));
        roundingSeen ||= opening.some((row) => row.key.endsWith(' rounding') && row.cents !== 0n);
      }
      expect(roundingSeen).toBe(true);
    } finally {
      await ledgerBooks.close();
    }
  });

  it('are empty on the first day and on an empty ledger', async () => {
    const ledgerBooks = await openBooks(join(tempDir(), 'ledger.sqlite'));
    try {
      expect(await openingBalances(ledgerBooks.of(ledgerReads), FIRST_DAY, null)).toEqual([]);
      await ledgerBooks.ledger.appendEntry(entryOf(0), { now });
      expect(
        await openingBalances(
          ledgerBooks.of(ledgerReads),
          FIRST_DAY,
          await ledgerBooks.of(ledgerReads).journalDateSpan(),
        ),
      ).toEqual([]);
    } finally {
      await ledgerBooks.close();
    }
  });
});
