import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AdjustmentBooks } from '../../../../src/pipeline/adjustments/books/adjustment-books.js';
import { adjustmentBooks } from '../../../../src/pipeline/adjustments/index.js';
import { credit, debit, type JournalEntry } from '../../../../src/rules/index.js';
import { withOpenBooks } from '../../../support/books.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../../support/ledger-engines.js';
import { useTempDir } from '../../../support/temp-dir.js';

const engines = useLedgerEngines();
const tempDir = useTempDir('ledgerline-adjustment-books-');

const ENTRY: JournalEntry = {
  id: 'adj:2026-03-02:1',
  date: '2026-03-02',
  sourceId: 'adjustment',
  description: 'a fee the bank took',
  eventIds: [],
  lines: [debit('fees', 'USD', 1_500_000n), credit('panel_prepaid', 'USD', 1_500_000n)],
};
const RECORD = {
  entryId: ENTRY.id,
  reason: 'a fee the bank took',
  madeBy: 'ana',
  madeAt: '2026-03-03T09:00:00.000Z',
  explains: null,
  needsApproval: true,
};
const KEY = { key: 'ticket-881', entryId: ENTRY.id, requestSha256: 'a'.repeat(64) };

/** Issue 53 item 4: the adjustments' port reads on itself and writes only on the `tx` its unit hands. */
describe('the adjustments port writes only in a unit', () => {
  it('has no write verb on the port itself, and each on the tx of its unit', () => {
    const outer = {} as AdjustmentBooks;
    // @ts-expect-error a write verb is not on the port outside a unit
    expect(outer.record).toBeUndefined();
    // @ts-expect-error nor is an approval
    expect(outer.approve).toBeUndefined();
    expectTypeOf<AdjustmentBooks>().not.toHaveProperty('recordKey');
    expectTypeOf<Parameters<Parameters<AdjustmentBooks['unit']>[0]>[0]>().toHaveProperty('recordKey');
  });
});

describe.each(LEDGER_ENGINES)('the adjustments port in a unit (%s ledger)', (engine) => {
  it("rolls a unit's writes back together with the journal's, and commits them together", async () => {
    const location = (await engines.fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    await withOpenBooks(location, async (books) => {
      const planted = new Error('planted failure after the writes');
      const book = (fail: boolean) =>
        books.decide(async (tx) => {
          await tx.ledger.appendEntry(ENTRY, { now: new Date('2026-03-03T09:00:00Z') });
          await tx.of(adjustmentBooks).unit(async (adjustments) => {
            await adjustments.record(RECORD);
            await adjustments.recordKey(KEY);
          });
          if (fail) throw planted;
        });
      await expect(book(true)).rejects.toBe(planted);
      expect(await books.of(adjustmentBooks).count()).toBe(0);
      expect(await books.of(adjustmentBooks).ofKey(KEY.key)).toBeUndefined();
      expect(await books.ledger.hasEntry(ENTRY.id)).toBe(false);

      await book(false);
      await books.of(adjustmentBooks).unit((tx) => tx.approve(ENTRY.id, { by: 'ben', at: '2026-03-03T10:00:00.000Z' }));
      expect(await books.of(adjustmentBooks).all()).toMatchObject([
        { entryId: ENTRY.id, madeBy: 'ana', approval: { by: 'ben', at: '2026-03-03T10:00:00.000Z' } },
      ]);
      expect(await books.of(adjustmentBooks).ofKey(KEY.key)).toEqual({
        entryId: ENTRY.id,
        requestSha256: KEY.requestSha256,
      });
    });
  });
});
