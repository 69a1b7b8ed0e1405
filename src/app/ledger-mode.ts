/**
 * How a command opens the ledger, said once in its line of the command table (cli/commands/index.ts) and read only
 * by Books.open (app/books.ts), so no command can create a ledger it should only read (issue 85):
 * - `create`: a SQLite path with nothing there becomes a new ledger (an empty PostgreSQL database gets the schema);
 *   migrates, gives booked entries their treatments, refuses a sealed ledger; a writer (below).
 * - `write`: as `create`, but only a ledger that is there: a SQLite path with nothing there is refused (exit 2,
 *   naming it) and nothing is made.
 * - `read`: only a ledger that is there; migrates and gives treatments when the user may write the file, else opens
 *   it read-only; a sealed ledger is read with a note. Not a writer.
 * - `read-only`: only a ledger that is there, through the engine's read-only connection (SQLite's `readonly`,
 *   PostgreSQL's read-only transactions): nothing is written, not even a migration (a ledger behind is refused).
 * A writer (`create`, `write`) holds a SQLite ledger against a restore while its books are open and witnesses the
 * chain's head when its work is done (configured-books.ts), both under the command's name.
 */
export type LedgerMode = 'create' | 'write' | 'read' | 'read-only';

/** The modes from the most a command may do to the least. */
const WIDEST_FIRST: readonly LedgerMode[] = ['create', 'write', 'read', 'read-only'];

/** How one command opens the ledger: its table entry's mode, and its name as the witness and the ledger's holders say it. */
export interface LedgerAccess {
  readonly mode: LedgerMode;
  /** `sync`, `transit accept`: the command and its verb. */
  readonly command: string;
}

/** The narrower of the command's own mode and `mode`: a step that only reads (`reconcile` listing) asks for no more. */
export function atMost(access: LedgerAccess, mode: LedgerMode): LedgerAccess {
  return WIDEST_FIRST.indexOf(mode) > WIDEST_FIRST.indexOf(access.mode) ? { ...access, mode } : access;
}

/** True for the modes that write the books: their command holds the ledger and witnesses its head. */
export function writes(mode: LedgerMode): boolean {
  return mode === 'create' || mode === 'write';
}
