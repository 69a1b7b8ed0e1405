import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSIT_KINDS_INDEXED } from '../../migrations/0034-transit-indexes.js';
import type { BankLine } from '../../src/rules/index.js';
import { chartFileEvents } from '../../src/config/chart-vocabulary.js';
import { LedgerStore } from '../../src/store/index.js';
import { transitBooks } from '../../src/pipeline/transit/books/transit-books.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { forgetAfter0035 } from '../support/forget-after-0035.js';
import { useTempDir } from '../support/temp-dir.js';
import { configKinds, sourceKinds } from '../../src/pipeline/kinds/index.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const NOW = new Date('2026-11-16T02:30:00.000Z');

/** 0034 forgotten, and what came after it (the migrator refuses a gap): a ledger at 0033. */
const BEFORE_0034 = [
  'DROP INDEX bank_lines_naming',
  'DROP INDEX source_events_in_transit',
  'ALTER TABLE run_lock DROP COLUMN pid_started',
  "DELETE FROM kysely_migration WHERE name IN ('0034-transit-indexes', '0035-run-lock-holder-start')",
];

const line = (lineId: string, amountMicros: bigint, reference: string): BankLine => ({
  lineId,
  bookedOn: '2026-11-12',
  amountMicros,
  currency: 'EUR',
  reference,
  description: '',
});

describe('the payouts and top-ups index (0034)', () => {
  it("holds every kind the transit reads: a kind added to a shipped kind's booksInTransit needs a migration remaking it", () => {
    expect([...TRANSIT_KINDS_INDEXED]).toEqual(Object.keys(chartFileEvents(configKinds().sources).inTransit));
  });
});

describe.each(LEDGER_ENGINES)('upgrading a %s ledger to the indexes of what the transit reads (0034)', (engine) => {
  it('keeps its lines, reads a narrowed reach as before, and still refuses changing a line', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const before = await LedgerStore.openAt(location);
    await transitBooks(before, sourceKinds.settledFindings()).unitOfWork((tx) =>
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
          ];
        })(),
      }),
    );
    await before.close();
    await rawTransaction(location, [...forgetAfter0035(location), ...BEFORE_0034]);

    const after = await LedgerStore.openAt(location);
    try {
      const reach = {
        currency: 'EUR',
        moneyIn: true,
        lowestMicros: 75_000_000n,
        highestMicros: 125_000_000n,
        from: '2026-11-10',
        to: '2026-11-20',
        exactMicros: [100_000_000n],
      };
      expect(
        (await transitBooks(after, sourceKinds.settledFindings()).bankLines([reach])).map((landed) => landed.lineId),
      ).toEqual(['exact', 'named']);
    } finally {
      await after.close();
    }
    expect(await readBooks(location, (books) => books.rows('kysely_migration', 'name'))).toContainEqual(
      expect.objectContaining({ name: '0034-transit-indexes' }),
    );
    await expect(
      rawTransaction(location, ["UPDATE bank_lines SET reference = 'x:y' WHERE line_id = 'near'"]),
    ).rejects.toThrow('bank lines are append-only: UPDATE refused');
    await expect(rawTransaction(location, ["DELETE FROM bank_lines WHERE line_id = 'named'"])).rejects.toThrow(
      'bank lines are append-only: DELETE refused',
    );
  });
});
