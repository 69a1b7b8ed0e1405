import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMappings, packageMappingsDir } from '../../../src/config/index.js';
import { bookBankLegs } from '../../../src/pipeline/transit/bank-legs.js';
import type { TransitBooks } from '../../../src/pipeline/transit/index.js';
import type { JournalEntry, TransitStanding } from '../../../src/rules/index.js';

const TERMS = { events: loadMappings({ chartPath: join(packageMappingsDir(), 'default.yaml') }).chart.events, ledgerAccounts: new Map([['operating', 'bank']]) };
const NOW = new Date('2026-05-01T02:30:00Z');

function settled(id: string, state: TransitStanding['state'], bookedOn: string, account = 'operating'): TransitStanding {
  return {
    item: { id, kind: 'payout', eventKind: 'payout_paypal', sourceId: 'ads-publisher', amountMicros: 120_000_000n, currency: 'USD', reportedOn: '2026-03-28', cleared: true },
    state,
    ageDays: 3,
    match: { line: { account, lineId: `L-${id}`, bookedOn, amountMicros: 120_000_000n, currency: 'USD', reference: id, description: '', statementSha256: 'ab' }, differenceMicros: 0n },
  };
}

/** The port's bank-leg part over memory: what the journal holds, keyed by entry id as its table is. */
function journal(closedThrough?: string) {
  const booked = new Map<string, JournalEntry>();
  const books = {
    bankLegItems: async () => new Set([...booked.keys()].map((id) => id.slice('je:bank-leg:'.length))),
    closedThrough: async () => closedThrough,
    bookBankLegs: async (entries: readonly JournalEntry[]) => {
      for (const entry of entries) {
        if (booked.has(entry.id)) throw new Error(`${entry.id} booked twice`);
        booked.set(entry.id, entry);
      }
    },
  } as Pick<TransitBooks, 'bankLegItems' | 'closedThrough' | 'bookBankLegs'> as TransitBooks;
  return { books, booked };
}

describe('bookBankLegs: each settled item moved out of clearing once', () => {
  it('books the matched and the closed, dated their lines\' days; nothing for a differing item, a line of an unconfigured account, or on a second run', async () => {
    const { books, booked } = journal();
    const standings = [settled('a', 'matched', '2026-04-02'), settled('b', 'closed', '2026-04-03'), settled('c', 'differs', '2026-04-03'), settled('d', 'matched', '2026-04-04', 'gone')];
    expect(await bookBankLegs(books, standings, TERMS, NOW)).toBe(2);
    expect([...booked.values()].map((entry) => [entry.id, entry.date, entry.lines.map((line) => `${line.account} ${line.amountMicros}`)])).toEqual([
      ['je:bank-leg:a', '2026-04-02', ['bank 120000000', 'payout_clearing_paypal -120000000']],
      ['je:bank-leg:b', '2026-04-03', ['bank 120000000', 'payout_clearing_paypal -120000000']],
    ]);
    expect(await bookBankLegs(books, standings, TERMS, NOW)).toBe(0);
  });

  it('dates a leg whose line falls in a closed period the day after that period\'s end, as a late correction is', async () => {
    const { books, booked } = journal('2026-03-31');
    await bookBankLegs(books, [settled('a', 'matched', '2026-03-30'), settled('b', 'matched', '2026-04-01')], TERMS, NOW);
    expect([...booked.values()].map((entry) => entry.date)).toEqual(['2026-04-01', '2026-04-01']);
  });
});
