import type { Config } from '../../config/index.js';
import {
  blockingProblems,
  unfitAccounts,
  type DestinationClient,
  type OrganisationCheck,
  type UnfitAccounts,
} from '../../destinations/index.js';
import { ConfigError } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import { isBankSideEntry } from '../../rules/index.js';
import type { DoctorBooks } from './books/doctor-books.js';

interface OrganisationGateOptions {
  /** The ledger's currency, and the file the checks' fixes name. */
  config: Pick<Config, 'currency' | 'file'>;
  /** Dates of the entries not yet delivered to this destination (unpostedDates); none when only the blocking checks matter. */
  unpostedDates?: readonly string[];
  /** `doctor`: the ledger accounts of those entries, which weigh each mapped account's failure (waitingEntries). */
  usedAccounts?: ReadonlySet<string>;
}

/** Reads the destination's organisation (once per client) and checks it against the configuration and the client's mapping. */
export async function organisationChecks(
  client: DestinationClient,
  options: OrganisationGateOptions,
): Promise<OrganisationCheck[]> {
  const organisation = await client.organisation();
  return organisation.checks({
    currency: options.config.currency,
    configFile: options.config.file,
    unpostedDates: options.unpostedDates ?? [],
    usedAccounts: options.usedAccounts,
  });
}

/**
 * What `post` does before anything is sent: the organisation checks of
 * `doctor`, once per run, and a ConfigError (exit 2) naming every setting
 * the organisation cannot take. A mapped account it cannot take stops
 * nothing here: it is returned, and post holds back the entries booked to it
 * and delivers the rest (a new chart entry never stops a night by itself);
 * nor does a lock date: post holds back the entries it locks.
 */
export async function refuseUnfitOrganisation(
  client: DestinationClient,
  options: OrganisationGateOptions,
): Promise<UnfitAccounts> {
  const checks = await organisationChecks(client, options);
  const problems = blockingProblems(checks, client.name);
  if (problems.length > 0) throw new ConfigError(problems);
  return unfitAccounts(checks);
}

/**
 * The entries not yet delivered to `client`'s destination that it would be sent: their dates, for the lock-date
 * check, and the ledger accounts they are booked to (a bank leg is left out where the destination's own bank-side
 * documents settle it, as post skips it there).
 */
export async function waitingEntries(
  ledger: Ledger,
  books: DoctorBooks,
  client: Pick<DestinationClient, 'kind' | 'createsBankDocuments' | 'bankLedgerAccounts'>,
): Promise<{ dates: string[]; accounts: Set<string> }> {
  const undelivered = await books.undeliveredEntryIds(client.kind);
  const dates: string[] = [];
  const accounts = new Set<string>();
  for await (const entry of ledger.renderedEntries({})) {
    if (!undelivered.has(entry.id) || entry.lines.length === 0) continue;
    if (client.createsBankDocuments === true && isBankSideEntry(entry, client.bankLedgerAccounts)) continue;
    dates.push(entry.date);
    for (const line of entry.lines) accounts.add(line.account);
  }
  return { dates, accounts };
}
