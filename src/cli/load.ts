import { configSecrets, loadConfig, type Config, type ConfigNeeds } from '../config/index.js';
import type { Ledger, LedgerStore } from '../ledger/index.js';
import { Books, withBooks } from '../pipeline/books/index.js';
import type { CommandContext } from './command.js';

/** Where a command that only reads says that its ledger is sealed: its stderr, keyed by the configuration it loaded. */
const sealNotices = new WeakMap<Config, (line: string) => void>();

/** Reads the configuration for what this command uses and registers its secrets for redaction. */
export function loadConfigFor(context: CommandContext, need: ConfigNeeds = {}): Config {
  const config = loadConfig({ path: context.configPath, env: context.env, cwd: context.cwd, need });
  context.addSecrets(configSecrets(config));
  sealNotices.set(config, (line) => context.stderr.write(`${context.redact(line)}\n`));
  return config;
}

/**
 * Opens the books named by the configuration (a SQLite file or a postgres:// database), creating and
 * migrating the ledger when needed. Commands that only read ask `forReading`, so they still work on a SQLite
 * ledger the user may only read, and on a sealed one (with a note on stderr).
 */
export function openBooksFor(config: Config, options: { forReading?: boolean; lockWaitMs?: number } = {}): Promise<Books> {
  const onNote = sealNotices.get(config);
  return Books.open(config, { ...options, ...(onNote === undefined ? {} : { onNote }) });
}

/** Runs `work` with the books open, and closes them whatever happens. */
export function withBooksFor<T>(config: Config, options: { forReading?: boolean; lockWaitMs?: number }, work: (books: Books) => Promise<T> | T): Promise<T> {
  const onNote = sealNotices.get(config);
  return withBooks(config, { ...options, ...(onNote === undefined ? {} : { onNote }) }, work);
}

/** The books of a command, as the stages not yet behind a port of their own take them (transitional, issue 39). */
export interface OpenLedger {
  ledger: Ledger;
  store: LedgerStore;
}

/** Transitional (issue 39): the ledger and its store, for the stages not yet behind a port of their own. */
export async function openLedgerFor(config: Config, options: { forReading?: boolean; lockWaitMs?: number } = {}): Promise<OpenLedger> {
  const books = await openBooksFor(config, options);
  return { ledger: books.ledger, store: books.legacyStore };
}

/** Transitional (issue 39): runs `work` with the ledger's store open, and closes it whatever happens. */
export async function withLedgerStore<T>(config: Config, work: (store: LedgerStore) => Promise<T> | T): Promise<T>;
/** The same for a command that only reads: it also works on a ledger the user may only read. */
export async function withLedgerStore<T>(config: Config, options: { forReading: true }, work: (store: LedgerStore) => Promise<T> | T): Promise<T>;
export async function withLedgerStore<T>(
  config: Config,
  ...args: [(store: LedgerStore) => Promise<T> | T] | [{ forReading: true }, (store: LedgerStore) => Promise<T> | T]
): Promise<T> {
  const [options, work] = args.length === 1 ? [{}, args[0]] : args;
  return withBooksFor(config, options, (books) => work(books.legacyStore));
}

/** Transitional (issue 39): the journal over the store as well, for a command whose stages also book or read entries. */
export function withLedger<T>(config: Config, work: (ledger: Ledger, store: LedgerStore) => Promise<T> | T): Promise<T> {
  return withBooksFor(config, {}, (books) => work(books.ledger, books.legacyStore));
}

export function writeJson(context: CommandContext, value: unknown): void {
  context.stdout.write(
    `${context.redact(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2))}\n`,
  );
}
