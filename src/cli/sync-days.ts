import type { Config } from '../config/index.js';
import {
  dayOf,
  defaultAsOf,
  refuseBeyondSandboxDay,
  refuseReversedWindow,
  refuseUnendedDay,
  YESTERDAY,
  yesterdayIn,
} from '../app/books-days.js';
import type { CommandProcess } from './command.js';
import type { SyncFlags } from './sync-flags.js';

/** The day to close, or the window to replay, from the flags: refused before the ledger is opened (so it is left exactly as it was) when it has not ended. */
export async function readDays(
  context: CommandProcess,
  flags: SyncFlags,
  config: Config,
  isReplay: boolean,
): Promise<{
  now: Date;
  asOf: string | undefined;
  newestDay: string | undefined;
  window: { from: string; to: string } | undefined;
}> {
  const now = context.now();
  const needsDefault = flags['as-of'] === undefined || [flags['as-of'], flags.from, flags.to].includes(YESTERDAY);
  // The day a plain sync closes (the sandbox's on a trial): a first close before it must be of a kind that reads past days.
  const newestDay = isReplay ? undefined : await defaultAsOf(config, now);
  const latest = needsDefault && newestDay !== undefined ? newestDay : yesterdayIn(config.timezone, now);
  const from = dayOf(flags.from, latest);
  const to = dayOf(flags.to, latest);
  refuseReversedWindow({ flag: '--from', date: from }, { flag: '--to', date: to });
  const asOf = isReplay ? undefined : (dayOf(flags['as-of'], latest) ?? latest);
  refuseUnendedDay('--as-of', asOf, config.timezone, now);
  await refuseBeyondSandboxDay('--as-of', asOf, config, newestDay);
  refuseUnendedDay('--to', to, config.timezone, now);
  return { now, asOf, newestDay, window: from !== undefined && to !== undefined ? { from, to } : undefined };
}

/** A path as typed, from the working folder when it is not absolute. */
export function resolvePath(context: CommandProcess, path: string): string {
  return path.startsWith('/') ? path : `${context.cwd}/${path}`;
}
