import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankLine, LineReach, TransitStanding } from '../../src/rules/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { transitBooks } from '../../src/pipeline/transit/books/transit-books.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { sourceKinds } from '../../src/pipeline/kinds/index.js';

const { fresh } = useLedgerEngines();
const NOW = new Date('2026-11-16T02:30:00.000Z');

/** Payout po-1 matched by its Xero BankTransfer bt-1 (no bank line), as transitStandings gives it. */
const MATCHED_BY_DOCUMENT: TransitStanding = {
  item: {
    id: 'po-1',
    kind: 'payout',
    eventKind: 'payout_paypal',
    sourceId: 'pub',
    amountMicros: 312_400_000n,
    currency: 'USD',
    reportedOn: '2026-11-13',
    cleared: true,
  },
  state: 'matched',
  ageDays: 2,
  match: null,
  document: 'bt-1',
};

describe.each(LEDGER_ENGINES)('the transit records on %s', (engine) => {
  // One ledger for the file's tests (a test's temporary folder goes when its test ends).
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-transit-items-'));
  let location: string;
  let store: LedgerStore;

  beforeAll(async () => {
    location = (await fresh(engine)) ?? join(dir, 'ledger.sqlite');
    store = await LedgerStore.openAt(location);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the reconciled document's id as the evidence of a state it gave", async () => {
    await transitBooks(store, sourceKinds.settledFindings()).unitOfWork((tx) =>
      tx.recordStates([MATCHED_BY_DOCUMENT], '2026-11-15', NOW),
    );
    const rows = (await readBooks(location, (books) => books.rows('transit_states', 'id'))) as {
      item_id: string;
      state: string;
      bank_line_id: string | null;
      document_id: string | null;
    }[];
    expect(rows.map((row) => [row.item_id, row.state, row.bank_line_id, row.document_id])).toEqual([
      ['po-1', 'matched', null, 'bt-1'],
    ]);
  });

  it('remembers an item alerted late once, however often the alert is recorded', async () => {
    const books = transitBooks(store, sourceKinds.settledFindings());
    await books.unitOfWork((tx) => tx.recordAlerts(['po-1', 'po-2'], 'late', '2026-11-15', NOW));
    await books.unitOfWork((tx) => tx.recordAlerts(['po-2'], 'late', '2026-11-16', NOW));
    expect([[...(await books.alertedItems('late'))].toSorted(), [...(await books.alertedItems('differs'))]]).toEqual([
      ['po-1', 'po-2'],
      [],
    ]);
    expect(await readBooks(location, (view) => view.count('transit_alerts'))).toBe(2);
  });

  it('reads the bank lines within a reach, its bounds included, and no other', async () => {
    const line = (lineId: string, bookedOn: string, amountMicros: bigint, currency = 'EUR'): BankLine => ({
      lineId,
      bookedOn,
      amountMicros,
      currency,
      reference: `ref ${lineId}`,
      description: '',
    });
    const lines = [
      line('lowest', '2026-11-10', 75_000_000n),
      line('highest-last-day', '2026-11-20', 125_000_000n),
      line('too-much', '2026-11-12', 125_000_001n),
      line('day-before', '2026-11-09', 100_000_000n),
      line('dollars', '2026-11-12', 100_000_000n, 'USD'),
      line('card', '2026-11-12', -100_000_000n),
      line('zero', '2026-11-12', 0n),
    ];
    const books = transitBooks(store, sourceKinds.settledFindings());
    await books.unitOfWork((tx) =>
      tx.landStatement({
        account: 'main',
        file: 'reach.csv',
        format: 'csv',
        sha256: 'reach',
        importedAt: NOW.toISOString(),
        lines: (async function* () {
          yield lines;
        })(),
      }),
    );
    const reach = (moneyIn: boolean, lowestMicros: bigint, highestMicros: bigint): LineReach => ({
      currency: 'EUR',
      moneyIn,
      lowestMicros,
      highestMicros,
      from: '2026-11-10',
      to: '2026-11-20',
    });
    const read = async (reaches: LineReach[]) =>
      (await books.bankLines(reaches)).map((landed) => [landed.lineId, landed.statementSha256]);
    expect(await read([reach(true, 75_000_000n, 125_000_000n)])).toEqual([
      ['lowest', 'reach'],
      ['highest-last-day', 'reach'],
    ]);
    // Money out is zero or below, as the matching files it; two reaches read both.
    expect(await read([reach(false, -100_000_000n, 0n), reach(true, 100_000_000n, 100_000_000n)])).toEqual([
      ['card', 'reach'],
      ['zero', 'reach'],
    ]);
    expect(await read([])).toEqual([]);
  });

  it("reads of a reach narrowed to its items' exact amounts only the lines of one of them or with a colon in their text, each once", async () => {
    const line = (lineId: string, amountMicros: bigint, reference: string, description = ''): BankLine => ({
      lineId,
      bookedOn: '2026-11-12',
      amountMicros,
      currency: 'GBP',
      reference,
      description,
    });
    const books = transitBooks(store, sourceKinds.settledFindings());
    await books.unitOfWork((tx) =>
      tx.landStatement({
        account: 'main',
        file: 'narrow.csv',
        format: 'csv',
        sha256: 'narrow',
        importedAt: NOW.toISOString(),
        lines: (async function* () {
          yield [
            line('exact', 100_000_000n, 'SEPA CREDIT'),
            line('exact-named', 100_000_000n, 'payout pub:po:9'),
            line('other-exact', 90_000_000n, 'SEPA CREDIT'),
            line('near', 97_500_000n, 'SEPA CREDIT'),
            line('named', 97_500_000n, 'payout pub:po:7'),
            line('named-below', 97_500_000n, 'SEPA', 'for PUB:PO:8'),
          ];
        })(),
      }),
    );
    const reach = (exactMicros?: bigint[]): LineReach => ({
      currency: 'GBP',
      moneyIn: true,
      lowestMicros: 75_000_000n,
      highestMicros: 125_000_000n,
      from: '2026-11-10',
      to: '2026-11-20',
      ...(exactMicros === undefined ? {} : { exactMicros }),
    });
    const read = async (reaches: LineReach[]) => (await books.bankLines(reaches)).map((landed) => landed.lineId);
    expect(await read([reach()])).toEqual(['exact', 'exact-named', 'named', 'named-below', 'near', 'other-exact']);
    expect(await read([reach([100_000_000n, 90_000_000n])])).toEqual([
      'exact',
      'exact-named',
      'named',
      'named-below',
      'other-exact',
    ]);
    expect(await read([reach([100_000_000n])])).toEqual(['exact', 'exact-named', 'named', 'named-below']);
    // A line of an exact amount whose text names an item is in both halves: read once, in its place.
    expect(await read([reach([90_000_000n])])).toEqual(['exact-named', 'named', 'named-below', 'other-exact']);
  });

  it("reads a reach narrowed to 30,000 exact amounts (issue 72: a practice's year) through one bound value", async () => {
    const books = transitBooks(store, sourceKinds.settledFindings());
    // 30,000 amounts in 0.01 steps from 500.00: 600.00 and 750.00 among them, 500.005 not.
    const exactMicros = Array.from({ length: 30_000 }, (_, n) => 500_000_000n + BigInt(n) * 10_000n);
    const reach: LineReach = {
      currency: 'GBP',
      moneyIn: true,
      lowestMicros: 475_000_000n,
      highestMicros: 825_000_000n,
      from: '2026-11-10',
      to: '2026-11-20',
      exactMicros,
    };
    await books.unitOfWork((tx) =>
      tx.landStatement({
        account: 'main',
        file: 'year.csv',
        format: 'csv',
        sha256: 'year',
        importedAt: NOW.toISOString(),
        lines: (async function* () {
          yield [
            {
              lineId: 'y600',
              bookedOn: '2026-11-13',
              amountMicros: 600_000_000n,
              currency: 'GBP',
              reference: 'SEPA',
              description: '',
            },
            {
              lineId: 'y750',
              bookedOn: '2026-11-14',
              amountMicros: 750_000_000n,
              currency: 'GBP',
              reference: 'SEPA',
              description: '',
            },
            {
              lineId: 'y-off',
              bookedOn: '2026-11-14',
              amountMicros: 500_005_000n,
              currency: 'GBP',
              reference: 'SEPA',
              description: '',
            },
          ];
        })(),
      }),
    );
    const read = (await books.bankLines([reach])).map((landed) => landed.lineId);
    expect(read.filter((lineId) => lineId.startsWith('y'))).toEqual(['y600', 'y750']);
  });
});
