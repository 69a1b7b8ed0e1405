import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { accountTotals } from '../../src/store/account-totals.js';
import {
  chainCloseRecords,
  chainEnd,
  closedPeriodRows,
  closedPeriodsOfChain,
  form2FromSeq,
} from '../../src/store/chain-closes.js';
import {
  dailyMovements,
  journalDateSpan,
  movementsBefore,
  movementsFrom,
  movementsWithin,
} from '../../src/store/daily-movements.js';
import { chainHead, chainPosition, entryChainHashes } from '../../src/store/entry-chain-hashes.js';
import { LedgerStore } from '../../src/store/index.js';
import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { chainChunks } from '../../src/store/journal-chain.js';
import {
  countEntriesWithIdPrefix,
  dayNetByAccount,
  dayTreatedLines,
  journalReadsOver,
} from '../../src/store/journal-reads.js';
import { allRunningTotals } from '../../src/store/journal.js';
import { useTempDir } from '../support/temp-dir.js';
import { transferEntry } from '../support/transfer-entry.js';

const tempDir = useTempDir();
const now = new Date('2026-04-03T02:00:00Z');

async function all<T>(chunks: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = [];
  for await (const chunk of chunks) found.push(chunk);
  return found;
}

/** Two days of two sources: each read below answers something a read confused with its neighbour would not. */
async function twoDays(): Promise<LedgerStore> {
  const store = await LedgerStore.openAt(join(tempDir(), 'ledger.sqlite'));
  const ledger = new Ledger(journalBooksOver(store));
  await ledger.appendEntry(
    transferEntry('je:a1', '2026-03-30', 'smm-panel', 'smm_services_expense', 'panel_prepaid', 4_000n),
    {
      now,
    },
  );
  await ledger.appendEntry(
    transferEntry('je:a2', '2026-03-30', 'smm-panel', 'smm_services_expense', 'panel_prepaid', 9_000n),
    {
      now,
    },
  );
  await ledger.appendEntry(
    transferEntry('je:b1', '2026-03-31', 'ads-publisher', 'payelancer_receivable', 'ad_revenue', 30_000_000n),
    { now },
  );
  return store;
}

describe("the journal's reads through one door", () => {
  it('each verb answers as its read does over the handle the door was opened on', async () => {
    const store = await twoDays();
    try {
      const journal = journalReadsOver(store);
      const window = { from: '2026-03-31', to: '2026-03-31' };
      const pairs: [string, unknown, unknown][] = [
        [
          'accountTotals',
          await journal.accountTotals({ to: '2026-03-30' }),
          await accountTotals(store, { to: '2026-03-30' }),
        ],
        ['allRunningTotals', await journal.allRunningTotals(), await allRunningTotals(store)],
        ['dailyMovements', await journal.dailyMovements(window), await dailyMovements(store, window)],
        ['movementsWithin', await journal.movementsWithin(window), await movementsWithin(store, window)],
        ['movementsBefore', await journal.movementsBefore('2026-03-31'), await movementsBefore(store, '2026-03-31')],
        ['movementsFrom', await journal.movementsFrom('2026-03-31'), await movementsFrom(store, '2026-03-31')],
        ['journalDateSpan', await journal.journalDateSpan(), await journalDateSpan(store)],
        [
          'dayNetByAccount',
          await journal.dayNetByAccount('smm-panel', '2026-03-30'),
          await dayNetByAccount(store, 'smm-panel', '2026-03-30'),
        ],
        [
          'dayTreatedLines',
          await journal.dayTreatedLines('smm-panel', '2026-03-30'),
          await dayTreatedLines(store, 'smm-panel', '2026-03-30'),
        ],
        [
          'countEntriesWithIdPrefix',
          await journal.countEntriesWithIdPrefix('smm-panel', '2026-03-30', 'je:a'),
          await countEntriesWithIdPrefix(store, 'smm-panel', '2026-03-30', 'je:a'),
        ],
        ['chainHead', await journal.chainHead(), await chainHead(store)],
        ['chainPosition', await journal.chainPosition(), await chainPosition(store)],
        ['chainEnd', await journal.chainEnd(), await chainEnd(store)],
        [
          'entryChainHashes',
          await journal.entryChainHashes(['je:a1', 'je:b1']),
          await entryChainHashes(store, ['je:a1', 'je:b1']),
        ],
        ['chainChunks', await all(journal.chainChunks(2)), await all(chainChunks(store, 2))],
        ['chainCloseRecords', await journal.chainCloseRecords(), await chainCloseRecords(store)],
        ['form2FromSeq', await journal.form2FromSeq(), await form2FromSeq(store)],
        ['closedPeriodRows', await journal.closedPeriodRows(), await closedPeriodRows(store)],
        ['closedPeriodsOfChain', await journal.closedPeriodsOfChain(), await closedPeriodsOfChain(store)],
      ];
      for (const [verb, door, read] of pairs) expect({ verb, answer: door }).toEqual({ verb, answer: read });
      expect(pairs.map(([verb]) => verb).sort()).toEqual(Object.keys(journal).sort());
      // Neighbours answer apart, so a verb bound to its neighbour's read fails above.
      expect(await journal.movementsBefore('2026-03-31')).not.toEqual(await journal.movementsFrom('2026-03-31'));
      expect(await journal.countEntriesWithIdPrefix('smm-panel', '2026-03-30', 'je:a')).toBe(2);
      expect((await journal.chainPosition())?.position).toBe(3);
    } finally {
      await store.close();
    }
  });

  it("over a unit's tx it reads what the unit wrote before it commits, and the store's door does not once it rolls back", async () => {
    const store = await twoDays();
    try {
      await expect(
        store.unitOfWork(async (tx) => {
          await new Ledger(journalBooksOver(tx)).appendEntry(
            transferEntry('je:c1', '2026-04-01', 'smm-panel', 'panel_prepaid', 'bank', 1_000_000n),
            { now },
          );
          expect((await journalReadsOver(tx).chainHead())?.entryId).toBe('je:c1');
          expect(await journalReadsOver(tx).journalDateSpan()).toEqual({ first: '2026-03-30', last: '2026-04-01' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect((await journalReadsOver(store).chainHead())?.entryId).toBe('je:b1');
    } finally {
      await store.close();
    }
  });
});
