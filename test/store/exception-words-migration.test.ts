import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { exceptionWordBooks } from '../../src/pipeline/adjustments/index.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { forgetAfter0038 } from '../support/forget-after-0035.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();

/** 0037 forgotten, and 0038 after it (the migrator refuses a gap; 0039 by forgetAfter0038): a ledger before the exception queue kept words. */
const BEFORE_0037 = [
  'DROP TABLE exception_words',
  "DELETE FROM kysely_migration WHERE name IN ('0037-exception-words', '0038-filed-return-seals')",
];

const ACK = {
  itemId: 'x-3f9a2c71',
  action: 'ack',
  facts: 'f-0123456789abcdef',
  assignee: null,
  note: 'asked the panel',
  user: 'ana',
  at: '2026-03-05T08:00:00.000Z',
} as const;

describe.each(LEDGER_ENGINES)('the exception words (0037) on a %s ledger', (engine) => {
  it('an older ledger gains the table empty; a word kept reads back as said, and the table refuses an edit or a delete', async () => {
    const location = (await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite');
    await (await LedgerStore.openAt(location)).close();
    await rawTransaction(location, [...forgetAfter0038(location), ...BEFORE_0037]);
    const store = await LedgerStore.openAt(location);
    try {
      const words = exceptionWordBooks(store);
      expect(await words.words()).toEqual([]);
      await words.unit((tx) => tx.recordExceptionWord(ACK));
      await words.unit((tx) =>
        tx.recordExceptionWord({ ...ACK, action: 'assign', facts: null, assignee: 'carla', note: null, user: 'ben' }),
      );
      expect(await words.words()).toEqual([
        ACK,
        { ...ACK, action: 'assign', facts: null, assignee: 'carla', note: null, user: 'ben' },
      ]);
      // An ack without the facts it saw could never come back when they change: refused by the schema.
      await expect(words.unit((tx) => tx.recordExceptionWord({ ...ACK, facts: null }))).rejects.toThrow();
    } finally {
      await store.close();
    }
    await expect(rawTransaction(location, ["UPDATE exception_words SET note = 'edited'"])).rejects.toThrow(
      /append-only/,
    );
    await expect(rawTransaction(location, ['DELETE FROM exception_words'])).rejects.toThrow(/append-only/);
    expect(await readBooks(location, (books) => books.count('exception_words'))).toBe(2);
  });
});
