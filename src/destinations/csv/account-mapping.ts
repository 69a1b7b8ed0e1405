import { ConfigError } from '../../errors.js';

/**
 * A destination's account table as the mappings loader hands it over: ledger
 * account key → that destination's account (or, for the chart, its entry).
 */
export type AccountMapping<Account> = Readonly<Record<string, Account>>;

/**
 * The mapped account a line of `entryId` posts to. Only own keys count, so a
 * ledger account called "constructor" cannot find Object.prototype's. The
 * mappings loader normally refuses an incomplete mapping first; this is the
 * last guard before anything is written or sent.
 */
export function mappedAccount<Account>(mapping: AccountMapping<Account>, account: string, entryId: string, destination: string): Account {
  const found = Object.hasOwn(mapping, account) ? mapping[account] : undefined;
  if (found !== undefined) return found;
  throw new ConfigError([
    {
      file: `${destination} account mapping`,
      path: account,
      message: `ledger account "${account}" has no ${destination} mapping, but entry ${entryId} posts to it`,
    },
  ]);
}
