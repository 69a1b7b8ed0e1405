import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { dailyMovements, journalDateSpan, movementsBefore, movementsWithin } from '../../src/store/daily-movements.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { transferEntry } from '../support/transfer-entry.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const now = new Date('2026-04-03T02:00:00Z');

describe.each(LEDGER_ENGINES)('per-day totals for the report (%s)', (engine) => {
  it('sums each day per source and account, exact and in the cents rendered, and totals what came before a day', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      const ledger = new Ledger(journalBooksOver(store));
      expect(await journalDateSpan(store)).toBeNull();
      // 0.004 + 0.004 on one day render 0.00 then 0.01 (cumulative cents): the day's total is 0.008 exact, 0.01 in cents.
      await ledger.appendEntry(
        transferEntry('je:a', '2026-03-30', 'smm-panel', 'smm_services_expense', 'panel_prepaid', 4_000n),
        { now },
      );
      await ledger.appendEntry(
        transferEntry('je:b', '2026-03-30', 'smm-panel', 'smm_services_expense', 'panel_prepaid', 4_000n),
        { now },
      );
      await ledger.appendEntry(
        transferEntry('je:c', '2026-03-31', 'smm-panel', 'panel_prepaid', 'smm_services_expense', 1_250_000n),
        { now },
      );
      await ledger.appendEntry(
        transferEntry('je:d', '2026-03-31', 'ads-publisher', 'payelancer_receivable', 'ad_revenue', 30_000_000n),
        { now },
      );

      expect(await journalDateSpan(store)).toEqual({ first: '2026-03-30', last: '2026-03-31' });
      const row = (
        date: string | null,
        sourceId: string,
        account: string,
        debit: [bigint, bigint],
        credit: [bigint, bigint],
      ) => ({
        date,
        sourceId,
        account,
        currency: 'USD',
        debitMicros: debit[0],
        debitCents: debit[1],
        creditMicros: credit[0],
        creditCents: credit[1],
      });
      expect(await dailyMovements(store, { from: '2026-03-31', to: '2026-03-31' })).toEqual([
        row('2026-03-31', 'ads-publisher', 'ad_revenue', [0n, 0n], [30_000_000n, 3000n]),
        row('2026-03-31', 'ads-publisher', 'payelancer_receivable', [30_000_000n, 3000n], [0n, 0n]),
        row('2026-03-31', 'smm-panel', 'panel_prepaid', [1_250_000n, 125n], [0n, 0n]),
        row('2026-03-31', 'smm-panel', 'smm_services_expense', [0n, 0n], [1_250_000n, 125n]),
      ]);
      // What a page draws per day: everything from 03-31, before it only panel_prepaid of smm-panel.
      expect(
        await dailyMovements(
          store,
          { from: '2026-03-30', to: '2026-03-31' },
          { allFrom: '2026-03-31', sourceIds: ['smm-panel'], accounts: ['panel_prepaid'] },
        ),
      ).toEqual([
        row('2026-03-30', 'smm-panel', 'panel_prepaid', [0n, 0n], [8_000n, 1n]),
        ...(await dailyMovements(store, { from: '2026-03-31', to: '2026-03-31' })),
      ]);
      expect(
        await dailyMovements(
          store,
          { from: '2026-03-30', to: '2026-03-31' },
          { allFrom: '2026-03-31', sourceIds: [], accounts: [] },
        ),
      ).toHaveLength(4);
      // The window's totals: 03-30's two charges and 03-31's refund on the same accounts, one row each.
      expect(await movementsWithin(store, { from: '2026-03-30', to: '2026-03-31' })).toEqual([
        row(null, 'ads-publisher', 'ad_revenue', [0n, 0n], [30_000_000n, 3000n]),
        row(null, 'ads-publisher', 'payelancer_receivable', [30_000_000n, 3000n], [0n, 0n]),
        row(null, 'smm-panel', 'panel_prepaid', [1_250_000n, 125n], [8_000n, 1n]),
        row(null, 'smm-panel', 'smm_services_expense', [8_000n, 1n], [1_250_000n, 125n]),
      ]);
      expect(await movementsBefore(store, '2026-03-31')).toEqual([
        row(null, 'smm-panel', 'panel_prepaid', [0n, 0n], [8_000n, 1n]),
        row(null, 'smm-panel', 'smm_services_expense', [8_000n, 1n], [0n, 0n]),
      ]);
    } finally {
      await store.close();
    }
  });
});
