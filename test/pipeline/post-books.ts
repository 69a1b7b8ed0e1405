import { join } from 'node:path';
import type { JournalEntry } from '../../src/rules/index.js';
import { openBooks, type Books } from '../support/books.js';
import { withLedgerTables } from '../support/ledger-tables.js';
import { START_MS } from './post-fixtures.js';

/*
 * The posting suites' doors to real books, apart from post-fixtures.ts: the unit tier's use cases over port doubles
 * load post-fixtures.ts (clients, entries) and must not reach books.ts through it (test/architecture/unit-doubles.test.ts).
 */

/** The books of the ledger.sqlite in `dir`, or of the PostgreSQL ledger at `url` when one is given (the posting suites run on both). */
export async function openLedgerBooks(dir: string, url?: string): Promise<Books> {
  return openBooks(ledgerLocation(dir, url));
}

/** Where that ledger is: the PostgreSQL URL when given, else the ledger.sqlite in `dir`. */
export function ledgerLocation(dir: string, url?: string): string {
  return url ?? join(dir, 'ledger.sqlite');
}

/** Books `entries` in one unit of work through the bulk append (a statement per table and chunk, not per entry: on PostgreSQL each is a round trip). */
export async function appendEntries(books: Books, entries: readonly JournalEntry[]): Promise<void> {
  await books.ledger.appendEntries(entries, { now: new Date(START_MS) });
}

/** Each entry's delivery state at `destination`, by entry id, as the outbox's table holds it. */
export async function deliveryStates(books: Books, destination: string): Promise<Record<string, string>> {
  const rows = await withLedgerTables(books, ({ db, all }) =>
    all(
      db
        .selectFrom('deliveries')
        .select(['entry_id', 'state'])
        .where('destination', '=', destination)
        .orderBy('entry_id'),
    ),
  );
  return Object.fromEntries(rows.map((row) => [row.entry_id, row.state]));
}
