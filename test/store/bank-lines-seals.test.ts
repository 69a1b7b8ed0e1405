import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BankLine, TransitStanding } from '../../src/rules/index.js';
import { landStatement } from '../../src/pipeline/transit/books/bank-line-rows.js';
import { LedgerStore } from '../../src/store/index.js';
import { transitBooks } from '../../src/pipeline/transit/books/transit-books.js';
import { runLedgerline } from '../support/cli.js';
import { LEDGER_ENGINES, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { sourceKinds } from '../../src/pipeline/kinds/index.js';

/**
 * A new statement's lines are sealed as they are staged, linked from the seals' head as it was before the first
 * line: on PostgreSQL another unit may seal a row while the file is still being read (the seals' lock is taken
 * only at the end), and the import then seals its lines after that row, the general way. Either way `verify`
 * names nothing. SQLite's one writer keeps any other unit out for the whole import.
 */
const { fresh } = useLedgerEngines();
const tempDir = useTempDir('ledgerline-bank-seals-');

const line = (id: string, amountMicros: bigint): BankLine => ({
  lineId: id,
  bookedOn: '2026-11-16',
  amountMicros,
  currency: 'EUR',
  reference: `payout ${id}`,
  description: 'PAYELANCER LTD',
});

const SEALED_MEANWHILE: TransitStanding = {
  item: {
    id: 'po-1',
    kind: 'payout',
    eventKind: 'payout_paypal',
    sourceId: 'pub',
    amountMicros: 312_400_000n,
    currency: 'EUR',
    reportedOn: '2026-11-13',
    cleared: true,
  },
  state: 'matched',
  ageDays: 2,
  match: null,
  document: 'bt-1',
};

describe.each(LEDGER_ENGINES)('a statement landed on %s', (engine) => {
  it("seals each line it adds, in the file's order or after a seal written meanwhile in key order; verify names nothing", async () => {
    const dir = tempDir();
    const location = (await fresh(engine)) ?? join(dir, 'ledger.sqlite');
    const store = await LedgerStore.openAt(location);
    const other = engine === 'postgres' ? await LedgerStore.openAt(location) : undefined;
    async function* batches(): AsyncGenerator<BankLine[]> {
      yield [line('B2', 2_000_000n), line('a1', 1_000_000n)];
      // Another unit seals a row between two batches (PostgreSQL only: on SQLite it would wait for this one).
      if (other !== undefined)
        await transitBooks(other, sourceKinds.settledFindings()).unitOfWork((tx) =>
          tx.recordStates([SEALED_MEANWHILE], '2026-11-15', new Date()),
        );
      yield [line('B10', 3_000_000n), line('A0', 4_000_000n)];
    }
    try {
      const landed = await landStatement(store, {
        account: 'bank',
        file: 'nov.xml',
        format: 'camt.053',
        sha256: 'a'.repeat(64),
        lines: batches(),
        importedAt: '2026-11-16T02:30:00.000Z',
      });
      expect(landed).toEqual({ read: 4, added: 4, seenBefore: false });
    } finally {
      await other?.close();
      await store.close();
    }
    const seals = (await readBooks(location, (books) => books.rows('row_seals', 'position'))) as {
      table_name: string;
      row_key: string;
    }[];
    const lines = (ids: string[]) => ids.map((id) => `bank_lines ["bank","${id}"]`);
    expect(seals.map((seal) => `${seal.table_name} ${seal.row_key}`)).toEqual(
      engine === 'postgres'
        ? ['transit_states ["1"]', `bank_statements ["bank","${'a'.repeat(64)}"]`, ...lines(['A0', 'B10', 'B2', 'a1'])]
        : [...lines(['B2', 'a1', 'B10', 'A0']), `bank_statements ["bank","${'a'.repeat(64)}"]`],
    );
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      `ledger: ${location}\ntimezone: UTC\ncurrency: EUR\nsources:\n  - { id: bank, kind: bank-statement }\n`,
    );
    const verify = await runLedgerline(['verify', '--json'], { cwd: dir });
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout).message).toContain('seals of the tables beside the journal verified');
  });
});
