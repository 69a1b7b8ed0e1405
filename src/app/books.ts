import { loadMappings, type Config } from '../config/index.js';
import { LedgerSealedError } from '../errors.js';
import { Ledger } from '../ledger/index.js';
import { LedgerStore, journalBooksOver, type BooksOf } from '../store/index.js';
import { writes, type LedgerMode } from './ledger-mode.js';
import { treatmentsOfBooked } from '../rules/index.js';
import { sourceKinds } from '../pipeline/kinds/index.js';

/** How many entries booked before lines kept their treatment were given theirs, and the first and last of their dates. */
export type TreatmentsGiven = NonNullable<Awaited<ReturnType<typeof LedgerStore.giveTreatmentsToEntriesBookedBefore>>>;

export interface OpenBooksOptions {
  /** How the ledger is opened (ledger-mode.ts); `create` unless said. */
  mode?: LedgerMode;
  /** How long a SQLite ledger another process writes is waited for (see SqliteLedgerStore.open). */
  lockWaitMs?: number;
  /** Where a reading command says that its ledger is sealed (and, unless `onTreatments`, the treatments given). */
  onNote?: (line: string) => void;
  /** Where `migrate` hears of the treatments given to entries booked before lines kept theirs (giveBookedTreatments). */
  onTreatments?: (given: TreatmentsGiven) => void;
}

/**
 * The books of one command: the composition root. It opens the ledger the configuration names and hands each
 * use case the port that use case declares in its own folder (the store implements each one); nothing else
 * above the store holds the store itself.
 */
export class Books implements BooksOf {
  /** The finding kinds other records settle, as the registered kinds declare them (`books.of(transitBooks, books.findings)`). */
  readonly findings = sourceKinds.settledFindings();
  private journal: Ledger | undefined;
  private readonly opened = new Map<unknown, unknown>();

  /** Builds no books: each is built when the command first asks for it (`of`, `ledger`). */
  private constructor(private readonly store: LedgerStore) {}

  /** The journal: append-only, balanced, idempotent on entry ids. */
  get ledger(): Ledger {
    return (this.journal ??= new Ledger(journalBooksOver(this.store)));
  }

  /**
   * Opens the ledger named by the configuration (a SQLite file or a postgres:// database) as `mode` says
   * (ledger-mode.ts). A ledger `migrate --to` moved is sealed: a command that writes refuses it, naming where it
   * went, and one that only reads works on and says so (one ledger, one deliverer).
   */
  static async open(config: Config, options: OpenBooksOptions = {}): Promise<Books> {
    const mode = options.mode ?? 'create';
    const store = await LedgerStore.openAt(config.ledger, { ...STORE_OPENS[mode], lockWaitMs: options.lockWaitMs });
    try {
      const { seal } = await LedgerStore.identityOf(store);
      if (seal !== undefined) {
        const sealed = new LedgerSealedError(store.path, seal.movedTo, seal.movedAt);
        if (writes(mode)) throw sealed;
        options.onNote?.(`note: ${sealed.message}`);
      }
      if (seal === undefined && mode !== 'read-only') {
        const given = await giveBookedTreatments(store, config);
        if (given !== undefined) (options.onTreatments ?? sayTreatments(options.onNote))(given);
      }
    } catch (error) {
      await store.close();
      throw error;
    }
    return new Books(store);
  }

  /** `restore` of a PostgreSQL ledger: its ledger tables replaced by those of a ledgerline SQLite file, in one transaction. */
  static async restorePostgres(from: string, to: string): Promise<void> {
    await LedgerStore.restorePostgres(from, to);
  }

  /** What a file handed to `restore --from` is: a ledger with its identity, or empty, not SQLite, other tables. */
  static backupFileKind(path: string): ReturnType<typeof LedgerStore.backupFileKind> {
    return LedgerStore.backupFileKind(path);
  }

  /** Which ledger these books are (its identity, given when it was created). */
  async identity(): Promise<{ id: string; createdAt: string }> {
    const { id, createdAt } = await LedgerStore.identityOf(this.store);
    return { id, createdAt };
  }

  /** Where the ledger is, as errors name it. */
  get location(): string {
    return this.store.path;
  }

  /** Applies the migrations still pending (opening applies them already: `migrate` reports what ran now); returns how many ran. */
  async migrate(): Promise<number> {
    return (await this.store.migrate()).length;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /**
   * Runs `work` as one unit of work under the ledger's write lock (Ledger.decide), handed these books bound to
   * the unit (`tx`): what it reads through them stays true until what it writes through them commits, whoever
   * else runs at once. The books themselves stay outside it (see the store's index).
   */
  decide<T>(work: (tx: Books) => Promise<T>): Promise<T> {
    return this.store.unitOfWork((store) => {
      const tx = new Books(store);
      return tx.ledger.decide(() => work(tx));
    });
  }

  /**
   * A use case's books over this ledger (`books.of(evidenceBooks)`): the books object its `books/` folder writes
   * over the store's handle, typed by the port it declares there. Built once per books, on the first ask; one
   * that takes more than the handle (a destination's outbox) is built on each.
   */
  readonly of: BooksOf['of'] = (open, ...args) => {
    if (args.length > 0) return open(this.store, ...args);
    if (!this.opened.has(open)) this.opened.set(open, open(this.store, ...args));
    return this.opened.get(open) as ReturnType<typeof open>;
  };
}

/**
 * The store under the books. Read-only books open the ledger read-only; one that is missing or behind this
 * ledgerline (refused read-only) is first created or upgraded by an open for reading of its own, then opened
 * read-only again.
 */
/**
 * Entries booked before each line kept its tax treatment (migration 0039) are given theirs once, by the first open that
 * has both the books and the chart at hand (issue 82): each from the chart's `tax:` rules in force on its date, as every
 * reader coded it until then. A chart without `tax:`, or one that cannot be read now (doctor's to say), leaves them
 * waiting, read as before. Undefined when nothing was given.
 */
function giveBookedTreatments(store: LedgerStore, config: Config): Promise<TreatmentsGiven | undefined> {
  return LedgerStore.giveTreatmentsToEntriesBookedBefore(store, () => {
    const book = chartTaxBook(config);
    return book === undefined ? undefined : (entry) => treatmentsOfBooked(entry, book);
  });
}

/** The chart's tax book, or undefined when it has none or cannot be read (the command that needs it says why). */
function chartTaxBook(config: Config) {
  try {
    return loadMappings({
      chartPath: config.mappings,
      vocabularies: config.vocabularies,
      chartEvents: config.chartEvents,
    }).chart.taxBook;
  } catch {
    return undefined;
  }
}

/** The line every command but `migrate` says of the treatments given, on its notes (stderr). */
function sayTreatments(onNote: ((line: string) => void) | undefined) {
  return (given: TreatmentsGiven) => onNote?.(`note: ${treatmentsGivenLine(given)}`);
}

/** "line tax treatments: 9 entries booked earlier given theirs from the rules in force on their dates (2026-03-29 … 2026-04-02)". */
export function treatmentsGivenLine(given: TreatmentsGiven): string {
  const dates = given.from === undefined ? '' : ` (${given.from} … ${given.to ?? given.from})`;
  const entries = given.entries === 1 ? '1 entry' : `${given.entries} entries`;
  return `line tax treatments: ${entries} booked earlier given theirs from the rules in force on their dates${dates}`;
}

/** Each mode as the store opens a ledger: the one place a mode becomes the engine's options. */
const STORE_OPENS: Readonly<Record<LedgerMode, { forReading?: true; readOnly?: true; mustExist?: true }>> = {
  create: {},
  write: { mustExist: true },
  read: { forReading: true, mustExist: true },
  'read-only': { readOnly: true, mustExist: true },
};
