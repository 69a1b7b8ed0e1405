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
export function mappedAccount<Account>(
  mapping: AccountMapping<Account>,
  account: string,
  entryId: string,
  destination: string,
): Account {
  const found = Object.hasOwn(mapping, account) ? mapping[account] : undefined;
  if (found !== undefined) return found;
  throw new ConfigError([
    {
      file: mappingLabel(destination),
      path: account,
      message: `ledger account "${account}" has no ${destination} mapping, but entry ${entryId} posts to it`,
    },
  ]);
}

/** How mappedAccount names a mapping it was handed without its file. */
function mappingLabel(destination: string): string {
  return `${destination} account mapping`;
}

/**
 * Runs a destination client's check of an entry with its mapping file named: an unmapped account's refusal then
 * reads "…/mappings/xero.yaml at accounts.bank: ledger account "bank" has no Xero mapping, but entry … posts to
 * it: add bank under accounts: in …/mappings/xero.yaml …" instead of naming no file.
 */
export function checkedWithMappingFile<T>(destination: string, file: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const label = mappingLabel(destination);
    throw new ConfigError(
      error.problems.map((problem) =>
        problem.file === label
          ? {
              file,
              path: `accounts.${problem.path}`,
              message: `${problem.message}: add ${problem.path} under accounts: in ${file} (the ${destination} account it goes to), then run the post again`,
            }
          : problem,
      ),
    );
  }
}
