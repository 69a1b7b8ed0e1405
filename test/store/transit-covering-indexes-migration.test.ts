import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMING_PATTERN } from '../../migrations/0034-transit-indexes.js';
import type { BankLine } from '../../src/rules/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { transitBooksOver } from '../../src/store/transit-books-store.js';
import { sourceKinds } from '../../src/pipeline/kinds/index.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { FORGET_0039 } from '../support/forget-0039.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const NOW = new Date('2026-11-16T02:30:00.000Z');

/** 0039 forgotten, and 0034's naming index as it made it: a ledger at 0038. */
const BEFORE_0039 = [
  ...FORGET_0039,
  'DROP INDEX bank_lines_naming',
  `CREATE INDEX bank_lines_naming ON bank_lines (currency, booked_on) WHERE ${NAMING_PATTERN}`,
];

const line = (lineId: string, amountMicros: bigint, reference: string): BankLine => ({
  lineId,
  bookedOn: '2026-11-12',
  amountMicros,
  currency: 'EUR',
  reference,
  description: 'PAYELANCER LTD',
});

/** A reach of payouts of 100.00 EUR, narrowed to that amount (LineReach.exactMicros). */
const REACH = {
  currency: 'EUR',
  moneyIn: true,
  lowestMicros: 75_000_000n,
  highestMicros: 125_000_000n,
  from: '2026-11-10',
  to: '2026-11-20',
  exactMicros: [100_000_000n],
};

/** Each index of bank_lines by name, with the columns (and, on PostgreSQL, the INCLUDEd ones) its definition names. */
async function bankLineIndexes(location: string): Promise<Map<string, string>> {
  const postgres = location.startsWith('postgres');
  const rows = (await readBooks(location, (books) =>
    books.rows(postgres ? 'pg_indexes' : 'sqlite_master', postgres ? 'indexname' : 'name'),
  )) as Record<string, string | null>[];
  return new Map(
    rows
      .filter((row) => (postgres ? row.tablename : row.tbl_name) === 'bank_lines')
      .map((row) => [String(postgres ? row.indexname : row.name), String(postgres ? row.indexdef : row.sql)]),
  );
}

describe.each(LEDGER_ENGINES)('upgrading a %s ledger to the transit covering indexes (0039)', (engine) => {
  it('indexes the lines with their text and statement, keeps the amount index, and reads a narrowed reach as before', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const before = await LedgerStore.openAt(location);
    await transitBooksOver(before, sourceKinds.settledFindings()).unitOfWork((tx) =>
      tx.landStatement({
        account: 'main',
        file: 'old.csv',
        format: 'csv',
        sha256: 'old',
        importedAt: NOW.toISOString(),
        lines: (async function* () {
          yield [
            line('exact', 100_000_000n, 'SEPA CREDIT'),
            line('near', 97_500_000n, 'SEPA CREDIT'),
            line('named', 97_500_000n, 'payout pub:po:7'),
            line('both', 100_000_000n, 'payout pub:po:8'),
            line('out', -100_000_000n, 'CARD pub:po:9'),
          ];
        })(),
      }),
    );
    const read = async (store: LedgerStore) =>
      (await transitBooksOver(store, sourceKinds.settledFindings()).bankLines([REACH])).map(
        ({ lineId, reference, description, statementSha256 }) => [lineId, reference, description, statementSha256],
      );
    const read0039 = await read(before);
    await before.close();
    await rawTransaction(location, BEFORE_0039);

    const after = await LedgerStore.openAt(location);
    try {
      expect(await read(after)).toEqual(read0039);
      expect(read0039).toEqual([
        ['both', 'payout pub:po:8', 'PAYELANCER LTD', 'old'],
        ['exact', 'SEPA CREDIT', 'PAYELANCER LTD', 'old'],
        ['named', 'payout pub:po:7', 'PAYELANCER LTD', 'old'],
      ]);
    } finally {
      await after.close();
    }
    const indexes = await bankLineIndexes(location);
    for (const name of ['bank_lines_exact', 'bank_lines_naming'])
      for (const column of ['amount_micros', 'reference', 'description', 'statement_sha256'])
        expect(indexes.get(name)).toContain(column);
    expect(indexes.get('bank_lines_naming')).toContain("'%:%'");
    expect(indexes.get('bank_lines_by_amount')).toMatch(/\(currency, amount_micros, booked_on\)$/);
    expect(await readBooks(location, (books) => books.rows('kysely_migration', 'name'))).toContainEqual(
      expect.objectContaining({ name: '0039-transit-covering-indexes' }),
    );
    await expect(
      rawTransaction(location, ["UPDATE bank_lines SET reference = 'x:y' WHERE line_id = 'near'"]),
    ).rejects.toThrow('bank lines are append-only: UPDATE refused');
  });
});
