import type { Config } from '../../config/index.js';
import { blockingProblems, type DestinationClient, type OrganisationCheck } from '../../destinations/index.js';
import { ConfigError } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import type { DoctorBooks } from './doctor-books.js';

export interface OrganisationGateOptions {
  /** The ledger's currency, and the file the checks' fixes name. */
  config: Pick<Config, 'currency' | 'file'>;
  /** Dates of the entries not yet delivered to this destination (unpostedDates); none when only the blocking checks matter. */
  unpostedDates?: readonly string[];
}

/** Reads the destination's organisation (once per client) and checks it against the configuration and the client's mapping. */
export async function organisationChecks(client: DestinationClient, options: OrganisationGateOptions): Promise<OrganisationCheck[]> {
  const organisation = await client.organisation();
  return organisation.checks({ currency: options.config.currency, configFile: options.config.file, unpostedDates: options.unpostedDates ?? [] });
}

/**
 * What `post` does before anything is sent: the organisation checks of
 * `doctor`, once per run, and a ConfigError (exit 2) naming every mapped
 * account or setting the organisation cannot take. A lock date stops
 * nothing here: post holds back the entries it locks and delivers the rest.
 */
export async function refuseUnfitOrganisation(client: DestinationClient, options: OrganisationGateOptions): Promise<void> {
  const problems = blockingProblems(await organisationChecks(client, options), client.name);
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The dates of the entries not yet delivered to `destination`, for the lock-date check. */
export async function unpostedDates(ledger: Ledger, books: DoctorBooks, destination: DestinationClient['kind']): Promise<string[]> {
  const undelivered = await books.undeliveredEntryIds(destination);
  const dates: string[] = [];
  for await (const entry of ledger.renderedEntries({})) if (undelivered.has(entry.id) && entry.lines.length > 0) dates.push(entry.date);
  return dates;
}
