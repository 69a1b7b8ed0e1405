import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proveSideTables, sideTableBooks } from '../../src/pipeline/operations/index.js';
import { recordAcknowledgement } from '../../src/pipeline/transit/books/acknowledgement-rows.js';
import { LedgerStore } from '../../src/store/index.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { forgetAfter0038 } from '../support/forget-after-0035.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A filing `vat file` kept before its rows were sealed (0036 without 0038), and 0038 forgotten. */
const FILED_BEFORE_0038 = [
  `INSERT INTO filed_returns (period, period_start, period_end, form, currency, boxes, return_sha256, filed_at, filed_by)
     VALUES ('2026-Q1', '2026-01-01', '2026-03-31', 'VAT', 'GBP', '{"1":"12.80"}', 'abc', '2026-04-07T09:00:00.000Z', 'ana')`,
  "DELETE FROM kysely_migration WHERE name = '0038-filed-return-seals'",
];

describe.each(LEDGER_ENGINES)('migration 0038 (filed returns sealed) on a %s ledger', (engine) => {
  it('seals the filing kept before it after the last seal, as the canonical text gives; verify then names nothing, and a filing changed since is named by its period', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    const before = await LedgerStore.openAt(location);
    await recordAcknowledgement(before, 'f1', { action: 'ack', note: null, user: 'maria', at: '2026-04-01T09:00:00Z' });
    await before.close();
    await rawTransaction(location, [...forgetAfter0038(location), ...FILED_BEFORE_0038]);
    const [ackSeal] = (await readBooks(location, (books) => books.rows('row_seals', 'position'))) as { link: string }[];

    const store = await LedgerStore.openAt(location);
    try {
      // By hand, from the form in src/ledger/row-seals.ts, linked after the acknowledgement's seal.
      const digest = sha256(
        'ledgerline-row/1\nfiled_returns\n["2026-Q1"]\n' +
          '["2026-01-01","2026-03-31","VAT","GBP","{\\"1\\":\\"12.80\\"}","abc","2026-04-07T09:00:00.000Z","ana"]',
      );
      expect(await readBooks(location, (books) => books.rows('row_seals', 'position'))).toEqual([
        expect.objectContaining({ table_name: 'acknowledgements' }),
        expect.objectContaining({
          table_name: 'filed_returns',
          row_key: '["2026-Q1"]',
          digest,
          link: sha256(`${ackSeal!.link}\n${digest}`),
        }),
      ]);
      expect((await proveSideTables(sideTableBooks(store))).findings).toEqual([]);
    } finally {
      await store.close();
    }

    const unguarded = location.startsWith('postgres')
      ? ['ALTER TABLE filed_returns DISABLE TRIGGER USER']
      : ['DROP TRIGGER filed_returns_no_update'];
    await rawTransaction(location, [...unguarded, "UPDATE filed_returns SET filed_by = 'bo'"]);
    const after = await LedgerStore.openAt(location);
    try {
      const { findings } = await proveSideTables(sideTableBooks(after));
      expect(findings).toEqual([expect.objectContaining({ kind: 'row_changed', table: 'filed_returns' })]);
      expect(findings[0]!.message).toMatch(
        /^filed return \["2026-Q1"\] \(filed_returns\) was changed after it was written/,
      );
    } finally {
      await after.close();
    }
  });
});
