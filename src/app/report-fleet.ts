import type { Config } from '../config/index.js';
import type { fleetView } from '../reads/index.js';
import type { CommandProcess } from '../cli/command.js';
import { loadEachEntityConfigFor } from './configured-books.js';
import { statusReader } from '../cli/status-reader.js';

/**
 * The report's fleet table: `status --fleet`'s rows of every entity the command is for (the one --entity names,
 * else each), most in need first. `config` is the report's own: without entities it is the only one, not read
 * again. A fleet is one row per configured source, so books with no source have none, and their ledger is not
 * read again for it. The table shows neither integrity nor what is unposted, so the status read skips its page
 * check (PRAGMA quick_check reads every page of the file: ~65 ms at 100,000 lines, growing with them) and the
 * unposted counts (a pass over every entry per destination).
 */
export async function reportFleet(context: CommandProcess, config: Config): Promise<ReturnType<typeof fleetView>> {
  const configs =
    context.entity !== undefined || config.entity === undefined ? [config] : loadEachEntityConfigFor(context);
  if (configs.every((each) => each.sources.length === 0)) return [];
  // Only a fleet with sources loads the status read (tokens, transit, schedule, reconcile).
  const { readFleetOf } = await import('./entity-status-reads.js');
  return (await readFleetOf(statusReader(context), configs, undefined, { fleetOnly: true })).rows;
}
