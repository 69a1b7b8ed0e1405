import { configSecrets, loadConfig, type Config, type ConfigNeeds } from '../config/index.js';
import { LedgerSealedError } from '../errors.js';
import { Ledger, LedgerStore } from '../ledger/index.js';
import { readLedgerIdentity } from '../store/index.js';
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
 * Opens the ledger named by the configuration (a SQLite file or a postgres:// database), creating and
 * migrating it when needed. Commands that only read ask `forReading`, so they still work on a SQLite
 * ledger the user may only read.
 */
export async function openLedgerFor(config: Config, options: { forReading?: boolean; lockWaitMs?: number } = {}): Promise<OpenLedger> {
  const store = await LedgerStore.openAt(config.ledger, options);
  try {
    await refuseSealedForWriting(config, store, options.forReading === true);
  } catch (error) {
    await store.close();
    throw error;
  }
  return { ledger: new Ledger(store), store };
}

/** The books of a command: the journal, and the store the stages read their other repositories from. */
export interface OpenLedger {
  ledger: Ledger;
  store: LedgerStore;
}

/**
 * A ledger `migrate --to` moved is sealed: a command that writes refuses it, naming where it went, and one
 * that only reads works on and says so. One ledger, one deliverer: an old cron on the file posts nothing.
 */
async function refuseSealedForWriting(config: Config, store: LedgerStore, forReading: boolean): Promise<void> {
  const { seal } = await readLedgerIdentity(store);
  if (seal === undefined) return;
  const sealed = new LedgerSealedError(store.path, seal.movedTo, seal.movedAt);
  if (!forReading) throw sealed;
  sealNotices.get(config)?.(`note: ${sealed.message}`);
}

/**
 * Runs `work` with the ledger's store open, and closes it whatever happens: the stages take the store
 * (reports, post, reconcile, the queue's records).
 */
export async function withLedgerStore<T>(config: Config, work: (store: LedgerStore) => Promise<T> | T): Promise<T>;
/** The same for a command that only reads: it also works on a ledger the user may only read. */
export async function withLedgerStore<T>(config: Config, options: { forReading: true }, work: (store: LedgerStore) => Promise<T> | T): Promise<T>;
export async function withLedgerStore<T>(
  config: Config,
  ...args: [(store: LedgerStore) => Promise<T> | T] | [{ forReading: true }, (store: LedgerStore) => Promise<T> | T]
): Promise<T> {
  const [options, work] = args.length === 1 ? [{}, args[0]] : args;
  const { store } = await openLedgerFor(config, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The same with the journal over the store as well, for a command whose stages also book or read entries (sync, schedule, worker). */
export function withLedger<T>(config: Config, work: (ledger: Ledger, store: LedgerStore) => Promise<T> | T): Promise<T> {
  return withLedgerStore(config, (store) => work(new Ledger(store), store));
}

export function writeJson(context: CommandContext, value: unknown): void {
  context.stdout.write(
    `${context.redact(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2))}\n`,
  );
}
