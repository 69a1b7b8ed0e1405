import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMappings, packageMappingsDir } from '../../../src/config/index.js';
import { bookBankLegs } from '../../../src/pipeline/transit/bank-legs.js';
import { transitBooks, type TransitBooksTx } from '../../../src/pipeline/transit/books/transit-books.js';
import {
  TRANSIT_ENTRY_PREFIXES,
  type BankLine,
  type JournalEntry,
  type TransitStanding,
} from '../../../src/rules/index.js';
import { runInProcess } from '../../cli/schedule-harness.js';
import { runLedgerline } from '../../support/cli.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openLedgerBooks } from '../post-books.js';
import { bookPayouts, OCTOBER_PAYOUTS } from '../transit-fixtures.js';

const TERMS = {
  events: loadMappings({ chartPath: join(packageMappingsDir(), 'default.yaml') }).chart.events,
  ledgerAccounts: new Map([['operating', 'bank']]),
};
const NOW = new Date('2026-05-01T02:30:00Z');

function settled(
  id: string,
  state: TransitStanding['state'],
  bookedOn: string,
  account = 'operating',
): TransitStanding {
  return {
    item: {
      id,
      kind: 'payout',
      eventKind: 'payout_paypal',
      sourceId: 'ads-publisher',
      amountMicros: 120_000_000n,
      currency: 'USD',
      reportedOn: '2026-03-28',
      cleared: true,
    },
    state,
    ageDays: 3,
    match: {
      line: {
        account,
        lineId: `L-${id}`,
        bookedOn,
        amountMicros: 120_000_000n,
        currency: 'USD',
        reference: id,
        description: '',
        statementSha256: 'ab',
      },
      differenceMicros: 0n,
    },
  };
}

/** The port's bank-leg part over memory: what the journal holds, keyed by entry id as its table is. */
function journal(closedThrough?: string) {
  const booked = new Map<string, JournalEntry>();
  const books = {
    // Only first legs here: each one booked stands.
    bankLegsByItem: async () =>
      new Map(
        [...booked.values()]
          .filter((entry) => entry.id.startsWith(TRANSIT_ENTRY_PREFIXES.bankLeg))
          .map((entry) => [
            entry.id.slice(TRANSIT_ENTRY_PREFIXES.bankLeg.length),
            {
              legs: 1,
              reversals: 0,
              standing: { n: 1, entryId: entry.id, date: entry.date, amountMicros: entry.lines[0]!.amountMicros },
            },
          ]),
      ),
    differenceItems: async () =>
      new Set(
        [...booked.keys()]
          .filter((id) => id.startsWith(TRANSIT_ENTRY_PREFIXES.lateDifference))
          .map((id) => id.slice(TRANSIT_ENTRY_PREFIXES.lateDifference.length)),
      ),
    closedThrough: async () => closedThrough,
    bookBankLegs: async (entries: readonly JournalEntry[]) => {
      for (const entry of entries) {
        if (booked.has(entry.id)) throw new Error(`${entry.id} booked twice`);
        booked.set(entry.id, entry);
      }
    },
    unitOfWork: <T>(work: (tx: TransitBooksTx) => Promise<T>): Promise<T> => work(books),
  } as Pick<
    TransitBooksTx,
    'bankLegsByItem' | 'differenceItems' | 'closedThrough' | 'bookBankLegs' | 'unitOfWork'
  > as TransitBooksTx;
  return { books, booked };
}

describe('bookBankLegs: each settled item moved out of clearing once', () => {
  it("books the matched and the closed, dated their lines' days; nothing for a differing item, a line of an unconfigured account, or on a second run", async () => {
    const { books, booked } = journal();
    const standings = [
      settled('a', 'matched', '2026-04-02'),
      settled('b', 'closed', '2026-04-03'),
      settled('c', 'differs', '2026-04-03'),
      settled('d', 'matched', '2026-04-04', 'gone'),
    ];
    expect((await bookBankLegs(books, standings, TERMS, NOW)).legs).toBe(2);
    expect(
      [...booked.values()].map((entry) => [
        entry.id,
        entry.date,
        entry.lines.map((line) => `${line.account} ${line.amountMicros}`),
      ]),
    ).toEqual([
      ['je:bank-leg:a', '2026-04-02', ['bank 120000000', 'payout_clearing_paypal -120000000']],
      ['je:bank-leg:b', '2026-04-03', ['bank 120000000', 'payout_clearing_paypal -120000000']],
    ]);
    expect(await bookBankLegs(books, standings, TERMS, NOW)).toEqual({ legs: 0, legIds: [], lateDifferences: [] });
  });

  it('books the difference of an item accepted before its line came in, under that acceptance, before its leg; once', async () => {
    const { books, booked } = journal();
    // The 03-31 payout of 76.79, accepted while in transit; its line +74.29 arrives on 04-03, 2.50 short.
    const early = settled('p', 'closed', '2026-04-03');
    const standing = {
      ...early,
      item: { ...early.item, amountMicros: 76_790_000n },
      match: { line: { ...early.match!.line, amountMicros: 74_290_000n }, differenceMicros: -2_500_000n },
    };
    const first = await bookBankLegs(books, [standing], TERMS, NOW);
    expect(first.lateDifferences.map((entry) => entry.description)).toEqual([
      'transit p accepted before its bank line: line operating:L-p of 74.29 on 2026-04-03 against 76.79 USD; ' +
        'the 2.50 difference booked under that acceptance',
    ]);
    expect(
      [...booked.values()].map((entry) => [
        entry.id,
        entry.date,
        entry.lines.map((line) => `${line.account} ${line.amountMicros}`),
      ]),
    ).toEqual([
      ['je:transit-difference:p', '2026-04-03', ['bank_fees 2500000', 'payout_clearing_paypal -2500000']],
      ['je:bank-leg:p', '2026-04-03', ['bank 74290000', 'payout_clearing_paypal -74290000']],
    ]);
    // What clearing received (76.79) less the difference and the leg: nothing.
    const clearing = [...booked.values()]
      .flatMap((entry) => entry.lines)
      .filter((line) => line.account === 'payout_clearing_paypal')
      .reduce((sum, line) => sum + line.amountMicros, 76_790_000n);
    expect(clearing).toBe(0n);
    expect(await bookBankLegs(books, [standing], TERMS, NOW)).toEqual({ legs: 0, legIds: [], lateDifferences: [] });
  });

  it("dates a leg whose line falls in a closed period the day after that period's end, as a late correction is", async () => {
    const { books, booked } = journal('2026-03-31');
    await bookBankLegs(
      books,
      [settled('a', 'matched', '2026-03-30'), settled('b', 'matched', '2026-04-01')],
      TERMS,
      NOW,
    );
    expect([...booked.values()].map((entry) => entry.date)).toEqual(['2026-04-01', '2026-04-01']);
  });
});

const tempDir = useTempDir('ledgerline-bank-legs-');
const [FIRST, SECOND] = OCTOBER_PAYOUTS as [(typeof OCTOBER_PAYOUTS)[0], (typeof OCTOBER_PAYOUTS)[0]];

/**
 * October's two payouts booked, and lines an earlier version landed without bank legs (an upgrade): +312.40 on
 * 10-15 for the first, +117.50 on 11-01 naming the second (2.50 short). Nothing has moved out of clearing yet.
 */
async function upgradedLedger(): Promise<string> {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  const night =
    'schedule: { cron: "30 2 * * *", timezone: UTC, post: [] }\nalerts: { command: "cat >> alerts.json" }\n';
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    `ledger: data/ledger.sqlite\ntimezone: UTC\ncurrency: USD\nsources:\n  - { id: operating, kind: bank-statement }\n${night}`,
  );
  await bookPayouts(dir, OCTOBER_PAYOUTS);
  const lines: BankLine[] = [
    {
      lineId: 'L-1',
      bookedOn: '2026-10-15',
      amountMicros: FIRST.micros,
      currency: 'USD',
      reference: FIRST.id,
      description: '',
    },
    {
      lineId: 'L-2',
      bookedOn: '2026-11-01',
      amountMicros: 117_500_000n,
      currency: 'USD',
      reference: SECOND.id,
      description: '',
    },
  ];
  const books = await openLedgerBooks(join(dir, 'data'));
  try {
    await books.of(transitBooks, books.findings).unitOfWork((tx) =>
      tx.landStatement({
        account: 'operating',
        file: 'october.csv',
        format: 'csv',
        sha256: 'ab'.repeat(32),
        lines: (async function* () {
          yield lines;
        })(),
        importedAt: NOW.toISOString(),
      }),
    );
  } finally {
    await books.close();
  }
  return dir;
}

async function legsIn(dir: string): Promise<string[]> {
  const books = await openLedgerBooks(join(dir, 'data'));
  try {
    return [...(await books.of(transitBooks, books.findings).bankLegItems())].toSorted();
  } finally {
    await books.close();
  }
}

describe('the runs that record states book the legs an earlier import left unbooked', () => {
  it("transit without --as-of books the matched payout's leg, once; the short one waits for a person", async () => {
    const dir = await upgradedLedger();
    const first = await runLedgerline(['transit'], { cwd: dir });
    expect(first.code, first.stderr).toBe(1);
    expect(await legsIn(dir)).toEqual([FIRST.id]);
    expect((await runLedgerline(['transit'], { cwd: dir })).code).toBe(1);
    expect(await legsIn(dir)).toEqual([FIRST.id]);
  });

  it('the night books it too, and alerts the short payout once with both amounts and the difference', async () => {
    const dir = await upgradedLedger();
    const night = () =>
      runInProcess(['schedule', '--once'], {
        cwd: dir,
        env: { HOME: process.env.HOME ?? '' },
        now: () => new Date('2026-11-02T02:30:00.000Z'),
      });
    expect((await night()).code).toBe(1);
    expect(await legsIn(dir)).toEqual([FIRST.id]);
    expect((await night()).code).toBe(0);
    const alerts = readFileSync(join(dir, 'alerts.json'), 'utf8');
    expect(alerts.match(/"kind":"differing_payout"/g)).toHaveLength(1);
    expect(alerts).toContain(
      `payout ${SECOND.id} of 120.00 USD, reported 2026-10-30, differs from its bank line operating:L-2: 117.50 arrived on 2026-11-01, 2.50 less`,
    );
  });
});
