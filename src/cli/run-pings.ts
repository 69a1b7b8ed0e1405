import { createRunPinger, type RunPinger } from '../alerts/run-pings.js';
import type { Config } from '../config/index.js';
import { EXIT, LedgerlineError, type ExitCode } from '../errors.js';
import type { CommandProcess } from './command.js';
import { withBooksFor } from './load.js';

const OUTCOME_WORDS: Partial<Record<ExitCode, string>> = {
  [EXIT.ok]: 'ok',
  [EXIT.attention]: 'finished with items to look at',
};

/**
 * A run between two monitor pings (when `monitor.ping` is configured): `/start` as it begins, then its exit code
 * with a one-line summary, paired by the same rid. A run that throws pings the code the CLI will exit with.
 */
export async function withRunPings<T>(
  context: CommandProcess,
  config: Config,
  label: string,
  work: () => Promise<T>,
  exitCodeOf: (value: T) => ExitCode,
): Promise<T> {
  const pinger = configuredPinger(context, config);
  if (pinger === undefined) return work();
  const rid = await pinger.start();
  let value: T;
  try {
    value = await work();
  } catch (error) {
    const exitCode = error instanceof LedgerlineError ? error.exitCode : EXIT.internal;
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    await pinger.end(rid, exitCode, `${label}: failed (exit ${exitCode}): ${why}`);
    throw error;
  }
  const exitCode = exitCodeOf(value);
  const body = `${label}: ${OUTCOME_WORDS[exitCode] ?? 'failed'} (exit ${exitCode})${await chainHeadForPing(config)}`;
  await pinger.end(rid, exitCode, body);
  return value;
}

/**
 * The chain's head as the run left it, for the ping's body (issue 73): a witness the ledger file does not hold, kept
 * by the monitor. Example: " · chain head je:smm-panel:2026-04-02 sha256:3c9a… at position 97"; none on an empty
 * or unreadable ledger.
 */
async function chainHeadForPing(config: Config): Promise<string> {
  try {
    const head = await withBooksFor(config, { forReading: true }, (books) => books.ledgerReads.chainPosition());
    return head === undefined ? '' : ` · chain head ${head.entryId} sha256:${head.hash} at position ${head.position}`;
  } catch {
    return '';
  }
}

/** The pinger for `monitor.ping`, or undefined when none is configured (or its `${VAR}` is not set for this command). */
function configuredPinger(context: CommandProcess, config: Config): RunPinger | undefined {
  const url = config.monitor.ping;
  if (url === undefined || config.unresolved.some((reference) => reference.path === 'monitor.ping')) return undefined;
  return createRunPinger({ url, logger: context.logger, redact: context.redact });
}
