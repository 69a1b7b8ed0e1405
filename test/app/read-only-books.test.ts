import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withOpenBooks } from '../support/books.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const engines = useLedgerEngines();
const tempDir = useTempDir('ledgerline-read-only-books-');

const word = { action: 'ack' as const, note: 'seen', user: 'ana', at: '2026-03-02T09:00:00.000Z' };

/** `serve`, `report` and `balances` open their books `readOnly` (issue 53 item 6): the engine refuses a write through them. */
describe.each(LEDGER_ENGINES)('read-only books (%s ledger)', (engine) => {
  it('refuse a write at the engine, read what was written before, and create a missing ledger first', async () => {
    const location = (await engines.fresh(engine)) ?? join(tempDir(), 'ledger.db');
    // A ledger that does not exist yet (SQLite) or an empty database (PostgreSQL): created and migrated, then read-only.
    await withOpenBooks(
      location,
      async (books) => {
        await expect(
          books.acknowledgements.unit((acks) => acks.recordAcknowledgement('finding:one', word)),
        ).rejects.toThrow(/read-only|readonly/i);
        expect((await books.ledgerReads.acknowledgementHistory()).size).toBe(0);
      },
      { readOnly: true },
    );
    await withOpenBooks(location, (books) =>
      books.acknowledgements.unit((acks) => acks.recordAcknowledgement('finding:two', word)),
    );
    await withOpenBooks(
      location,
      async (books) => {
        await expect(
          books.decide((tx) => tx.acknowledgements.unit((acks) => acks.recordAcknowledgement('finding:three', word))),
        ).rejects.toThrow(/read-only|readonly/i);
        expect([...(await books.ledgerReads.acknowledgementHistory()).keys()]).toEqual(['finding:two']);
      },
      { readOnly: true },
    );
  });
});
