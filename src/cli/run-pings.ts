import { createRunPinger, type RunPinger } from '../alerts/run-pings.js';
import type { Config } from '../config/index.js';
import { EXIT, LedgerlineError, type ExitCode } from '../errors.js';
import type { CommandProcess } from './command.js';

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
  await pinger.end(rid, exitCode, `${label}: ${OUTCOME_WORDS[exitCode] ?? 'failed'} (exit ${exitCode})`);
  return value;
}

/** The pinger for `monitor.ping`, or undefined when none is configured (or its `${VAR}` is not set for this command). */
function configuredPinger(context: CommandProcess, config: Config): RunPinger | undefined {
  const url = config.monitor.ping;
  if (url === undefined || config.unresolved.some((reference) => reference.path === 'monitor.ping')) return undefined;
  return createRunPinger({ url, logger: context.logger, redact: context.redact });
}
