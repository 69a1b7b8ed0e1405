import { createRunPinger, pingBody, type RunPinger } from '../alerts/run-pings.js';
import type { Config } from '../config/index.js';
import { ledgerReads } from '../reads/index.js';
import { EXIT, LedgerlineError, type ExitCode, messageOf } from '../errors.js';
import type { AppProcess } from './app-process.js';
import { withBooksFor } from './configured-books.js';
import { atMost, type LedgerAccess } from './ledger-mode.js';

const OUTCOME_WORDS: Partial<Record<ExitCode, string>> = {
  [EXIT.ok]: 'ok',
  [EXIT.attention]: 'finished with items to look at',
};

/**
 * A run between two monitor pings (when `monitor.ping` is configured; with entities:, the entity's own,
 * `entities.NAME.monitor.ping`): `/start` as it begins, then its exit code with a one-line summary naming the
 * entity, paired by the same rid. A run that throws pings the code the CLI will exit with.
 */
export function withRunPings<T>(
  context: AppProcess,
  config: Config,
  label: string,
  work: () => Promise<T>,
  exitCodeOf: (value: T) => ExitCode,
): Promise<T> {
  const ownPath = config.entity === undefined ? 'monitor.ping' : `entities.${config.entity}.monitor.ping`;
  const pinger = configuredPinger(context, config, config.monitor.ping, ownPath);
  return pinged(pinger, { entity: config.entity, label, config, ledger: context.ledger }, work, exitCodeOf);
}

/**
 * A run over every entity (sync or post without --entity) between two pings of the fleet's check, the top level's
 * `monitor.ping` of a file with entities:: the process itself is watched, each entity by its own check.
 */
export function withFleetPings<T>(
  context: AppProcess,
  config: Config,
  label: string,
  work: () => Promise<T>,
  exitCodeOf: (value: T) => ExitCode,
): Promise<T> {
  const pinger = configuredPinger(context, config, config.monitor.fleetPing, 'monitor.ping');
  return pinged(pinger, { label }, work, exitCodeOf);
}

async function pinged<T>(
  pinger: RunPinger | undefined,
  run: { entity?: string | undefined; label: string; config?: Config; ledger?: LedgerAccess },
  work: () => Promise<T>,
  exitCodeOf: (value: T) => ExitCode,
): Promise<T> {
  if (pinger === undefined) return work();
  const rid = await pinger.start();
  let value: T;
  try {
    value = await work();
  } catch (error) {
    const exitCode = error instanceof LedgerlineError ? error.exitCode : EXIT.internal;
    const why = messageOf(error).split('\n')[0] ?? '';
    const chainHead = await chainHeadOf(run);
    await pinger.end(rid, exitCode, pingBody({ ...run, outcome: 'failed', exitCode, why, chainHead }));
    throw error;
  }
  const exitCode = exitCodeOf(value);
  const outcome = OUTCOME_WORDS[exitCode] ?? 'failed';
  await pinger.end(rid, exitCode, pingBody({ ...run, outcome, exitCode, chainHead: await chainHeadOf(run) }));
  return value;
}

/**
 * The chain's head as the run left it, for the ping's body (issue 73): a witness the ledger file does not hold, kept
 * by the monitor. Example: "je:smm-panel:2026-04-02 sha256:3c9a… at position 97"; none for a run over every entity
 * (each entity's own check carries its ledger's), nor on an empty or unreadable ledger.
 */
async function chainHeadOf({
  config,
  ledger,
}: {
  config?: Config;
  ledger?: LedgerAccess;
}): Promise<string | undefined> {
  if (config === undefined || ledger === undefined) return undefined;
  try {
    // Read as a command that only reads opens its books: never created, a sealed ledger noted on its stderr.
    const head = await withBooksFor(config, atMost(ledger, 'read'), (books) => books.of(ledgerReads).chainPosition());
    return head === undefined ? undefined : `${head.entryId} sha256:${head.hash} at position ${head.position}`;
  } catch {
    return undefined;
  }
}

/** The pinger for `url`, or undefined when none is configured (or its `${VAR}`, at `path`, is not set for this command). */
function configuredPinger(
  context: AppProcess,
  config: Config,
  url: string | undefined,
  path: string,
): RunPinger | undefined {
  if (url === undefined || config.unresolved.some((reference) => reference.path === path)) return undefined;
  return createRunPinger({ url, logger: context.logger, redact: context.redact, clock: context.clock });
}
