import type { Config, Mappings } from '../../config/index.js';
import { blockingProblems, checkQuickbooksCompany, checkXeroOrganisation, type DestinationClient, type OrganisationCheck } from '../../destinations/index.js';
import { ConfigError } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import type { DoctorBooks } from './doctor-books.js';

export interface OrganisationGateOptions {
  config: Config;
  mappings: Mappings;
  /** Dates of the entries not yet delivered to this destination (unpostedDates); none when only the blocking checks matter. */
  unpostedDates?: readonly string[];
}

/** Reads the destination's organisation (once per client) and checks it against the configuration and mappings. */
export async function organisationChecks(client: DestinationClient, options: OrganisationGateOptions): Promise<OrganisationCheck[]> {
  const organisation = await client.organisation();
  const { config, mappings } = options;
  const unpostedDates = options.unpostedDates ?? [];
  if (organisation.kind === 'xero') {
    const mapping = mappings.xero;
    if (!mapping) throw new ConfigError([{ file: config.file, path: 'mappings', message: 'has no Xero mapping (xero.yaml)' }]);
    return checkXeroOrganisation(organisation.facts, {
      currency: config.currency,
      region: config.destinations.xero?.region,
      configFile: config.file,
      mappingFile: mapping.file,
      accounts: mapping.accounts,
      unpostedDates,
    });
  }
  const mapping = mappings.quickbooks;
  if (!mapping) throw new ConfigError([{ file: config.file, path: 'mappings', message: 'has no QuickBooks mapping (quickbooks.yaml)' }]);
  return checkQuickbooksCompany(organisation.facts, { currency: config.currency, configFile: config.file, mappingFile: mapping.file, accounts: mapping.accounts, unpostedDates });
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
