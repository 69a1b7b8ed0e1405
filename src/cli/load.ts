import { configSecrets, loadConfig, type Config, type ConfigNeeds } from '../config/index.js';
import { Ledger, LedgerStore } from '../ledger/index.js';
import type { CommandContext } from './command.js';

/** Reads the configuration for what this command uses and registers its secrets for redaction. */
export function loadConfigFor(context: CommandContext, need: ConfigNeeds = {}): Config {
  const config = loadConfig({ path: context.configPath, env: context.env, cwd: context.cwd, need });
  context.addSecrets(configSecrets(config));
  return config;
}

/**
 * Opens the ledger named by the configuration (a SQLite file or a postgres:// database), creating and
 * migrating it when needed. Commands that only read ask `forReading`, so they still work on a SQLite
 * ledger the user may only read.
 */
export async function openLedgerFor(config: Config, options: { forReading?: boolean; lockWaitMs?: number } = {}): Promise<Ledger> {
  return new Ledger(await LedgerStore.openAt(config.ledger, options));
}

/** Runs `work` with the ledger open, and closes it whatever happens. */
export async function withLedger<T>(config: Config, work: (ledger: Ledger) => Promise<T> | T): Promise<T>;
/** The same for a command that only reads: it also works on a ledger the user may only read. */
export async function withLedger<T>(config: Config, options: { forReading: true }, work: (ledger: Ledger) => Promise<T> | T): Promise<T>;
export async function withLedger<T>(
  config: Config,
  ...args: [(ledger: Ledger) => Promise<T> | T] | [{ forReading: true }, (ledger: Ledger) => Promise<T> | T]
): Promise<T> {
  const [options, work] = args.length === 1 ? [{}, args[0]] : args;
  const ledger = await openLedgerFor(config, options);
  try {
    return await work(ledger);
  } finally {
    await ledger.store.close();
  }
}

export function writeJson(context: CommandContext, value: unknown): void {
  context.stdout.write(
    `${context.redact(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2))}\n`,
  );
}
