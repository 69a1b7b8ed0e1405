import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { acknowledgementBooks } from '../../../src/pipeline/adjustments/index.js';
import { sourceKinds } from '../../../src/pipeline/kinds/index.js';
import { ledgerReads, reconcileReport, type LedgerReads, type ReconcileReads } from '../../../src/reads/index.js';
import { openBooks, withOpenBooks, type Books } from '../../support/books.js';
import { useTempDir } from '../../support/temp-dir.js';
import { syncBooks } from '../../../src/pipeline/sync/index.js';

const tempDir = useTempDir();
const RISE = 'finding:smm-panel:balance_rise:2026-04-01:2026-04-01';

function readsOver(books: Books): ReconcileReads {
  return {
    ...books.of(ledgerReads),
    kindItems: () => Promise.resolve([]),
    stuckOrders: () => Promise.resolve([]),
    findingWords: sourceKinds.findingWords(),
    explainedByLateOrders: sourceKinds.settledFindings().byLateOrders,
  };
}

describe('the read side behind its ports', () => {
  it('reconcile reads a ledger opened read-only through LedgerReads, with the word a person gave through Acknowledgements', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await withOpenBooks(path, async (books) => {
      const finding = {
        id: RISE,
        kind: 'balance_rise' as const,
        sourceId: 'smm-panel',
        date: '2026-04-01',
        amountMicros: 1_500_000n,
        currency: 'USD',
        ref: '2026-04-01',
        message: 'the balance rose by 1.50 USD',
      };
      await books.of(syncBooks).unit(async (tx) => {
        await tx.recordNewFindings([finding], new Date('2026-04-02T02:00:00.000Z'));
        await tx.quarantine(
          {
            sourceId: 'smm-panel',
            itemRef: 'order 23501',
            reason: 'status "Weird" is not one the panel documents',
            asOf: '2026-04-01',
          },
          new Date('2026-04-02T02:00:00Z'),
        );
      });
      await books.of(acknowledgementBooks).unit((acks) =>
        acks.recordAcknowledgement(RISE, {
          action: 'ack',
          note: 'bank transfer 4471',
          user: 'ana',
          at: '2026-04-02T09:00:00.000Z',
        }),
      );
    });

    const readOnly = await openBooks(path, { mode: 'read-only' });
    try {
      const report = await reconcileReport(readsOver(readOnly), '2026-04-01', '2026-04-02');
      expect(
        report.items.map(({ id, class: itemClass, acknowledged, amount, currency, ref, message }) => ({
          id,
          itemClass,
          acknowledged,
          amount,
          currency,
          ref,
          message,
        })),
      ).toEqual([
        {
          id: RISE,
          itemClass: 'action',
          acknowledged: { by: 'ana', at: '2026-04-02T09:00:00.000Z', note: 'bank transfer 4471' },
          amount: '1.50',
          currency: 'USD',
          ref: '2026-04-01',
          message: 'the balance rose by 1.50 USD',
        },
        {
          id: 'quarantine:1',
          itemClass: 'action',
          acknowledged: null,
          amount: null,
          currency: null,
          ref: 'order 23501',
          message: 'kept in quarantine (input): status "Weird" is not one the panel documents',
        },
      ]);
      expect({ clean: report.clean, open: report.open }).toEqual({ clean: false, open: 1 });
      // A report cannot write: the acknowledgement is not among the reads, nor is the journal's append.
      expectTypeOf<LedgerReads>().not.toHaveProperty('recordAcknowledgement');
      expectTypeOf<LedgerReads['journal']>().not.toHaveProperty('appendEntries');
    } finally {
      await readOnly.close();
    }
  });
});
