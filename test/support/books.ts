import type { Config } from '../../src/config/index.js';
import { Books, type OpenBooksOptions } from '../../src/app/index.js';

/**
 * The tests' one way to real books (issue 53 item 5): the composition root the CLI uses (src/app), on a
 * SQLite file or a postgres:// database, handing out each use case's port (`books.syncBooks`, `books.ledger`,
 * `books.runRecords`, …). A test asks the books what a use case asks them, never the store's insides, so a
 * change of the store's shape lands in src/ and here, not in every test. What a test must see or break below the
 * ports (a row of a table, a tampered line) goes through ledger-tables.ts.
 */
export async function openBooks(location: string, options: OpenBooksOptions = {}): Promise<Books> {
  // The composition root reads only where the ledger is from the configuration.
  const books = await Books.open({ ledger: location } as Config, options);
  locations.set(books, location);
  return books;
}

/** Where each open books' ledger is, as the test named it (`books.location` hides a PostgreSQL URL's password). */
const locations = new WeakMap<Books, string>();

/** The SQLite file or postgres:// URL `books` were opened at: for ledger-tables.ts, a second look at the same ledger. */
export function locationOf(books: Books): string {
  const location = locations.get(books);
  if (location === undefined) throw new TypeError(`the books at ${books.location} were not opened by openBooks`);
  return location;
}

/** Runs `work` with the books at `location` open, and closes them whatever happens. */
export async function withOpenBooks<T>(
  location: string,
  work: (books: Books) => Promise<T> | T,
  options: OpenBooksOptions = {},
): Promise<T> {
  const books = await openBooks(location, options);
  try {
    return await work(books);
  } finally {
    await books.close();
  }
}

/** Every row of a streamed read (Array.fromAsync is Node 22). */
export async function collect<Row>(rows: AsyncIterable<Row>): Promise<Row[]> {
  const all: Row[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

export type { Books };
