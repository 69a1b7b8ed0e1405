import type { Config } from '../config/index.js';
import type { fleetView } from '../reads/index.js';
import type { StatusReader } from './status-facts-read.js';

/**
 * The report's fleet table: `status --fleet`'s rows of `configs` (every entity the report is for), most in need
 * first. A fleet is one row per configured source, so books with no source have none, and their ledger is not
 * read again for it. The table shows neither integrity nor what is unposted, so the status read skips its page
 * check (PRAGMA quick_check reads every page of the file: ~65 ms at 100,000 lines, growing with them) and the
 * unposted counts (a pass over every entry per destination).
 */
export async function reportFleet(
  reader: StatusReader,
  configs: readonly Config[],
): Promise<ReturnType<typeof fleetView>> {
  if (configs.every((each) => each.sources.length === 0)) return [];
  // Only a fleet with sources loads the status read (tokens, transit, schedule, reconcile).
  const { readFleetOf } = await import('./entity-status-reads.js');
  return (await readFleetOf(reader, configs, undefined, { fleetOnly: true })).rows;
}
