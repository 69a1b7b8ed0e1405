import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acknowledgementBooks } from '../../src/pipeline/adjustments/index.js';
import { ledgerReads } from '../../src/reads/index.js';
import { withOpenBooks } from '../support/books.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const engines = useLedgerEngines();
const tempDir = useTempDir('ledgerline-read-only-books-');

const word = { action: 'ack' as const, note: 'seen', user: 'ana', at: '2026-03-02T09:00:00.000Z' };

/** `serve`, `report` and `balances` open their books `read-only` (issue 53 item 6): the engine refuses a write through them. */
describe.each(LEDGER_ENGINES)('read-only books (%s ledger)', (engine) => {
  it('refuse a write at the engine and read what was written before', async () => {
    const location = (await engines.fresh(engine)) ?? join(tempDir(), 'ledger.db');
    // Made by a command that may create a ledger (ledger-mode.ts): a read-only one never does.
    await withOpenBooks(location, () => undefined, { mode: 'create' });
    await withOpenBooks(
      location,
      async (books) => {
        await expect(
          books.of(acknowledgementBooks).unit((acks) => acks.recordAcknowledgement('finding:one', word)),
        ).rejects.toThrow(/read-only|readonly/i);
        expect((await books.of(ledgerReads).acknowledgementHistory()).size).toBe(0);
      },
      { mode: 'read-only' },
    );
    await withOpenBooks(location, (books) =>
      books.of(acknowledgementBooks).unit((acks) => acks.recordAcknowledgement('finding:two', word)),
    );
    await withOpenBooks(
      location,
      async (books) => {
        await expect(
          books.decide((tx) =>
            tx.of(acknowledgementBooks).unit((acks) => acks.recordAcknowledgement('finding:three', word)),
          ),
        ).rejects.toThrow(/read-only|readonly/i);
        expect([...(await books.of(ledgerReads).acknowledgementHistory()).keys()]).toEqual(['finding:two']);
      },
      { mode: 'read-only' },
    );
  });
});
