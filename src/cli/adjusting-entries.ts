import { randomBytes } from 'node:crypto';
import { loadMappings, type Config, type Mappings } from '../config/index.js';
import { openTokenStore } from '../destinations/index.js';
import { LedgerlineError } from '../errors.js';
import { createSystemClock } from '../http/clock.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import { bookAdjustment, reconcileReport, sourceSeries, type AdjustmentRecord, type AdjustmentRequest } from '../pipeline/reports/index.js';
import { findingsFolder, withRunLockMoment } from '../pipeline/runs/index.js';
import type { JournalEntry } from '../rules/index.js';
import { booksDays } from './calendar.js';
import type { CommandProcess } from './command.js';
import { apiDestinationKind, apiDestinationNames, mappingsOf } from './destination-choices.js';
import { loadConfigFor, withBooksFor } from './load.js';
import { reconcileReadsOf } from './reconcile-reads.js';

/** The configuration with the sections of the destinations it configures (their lock dates and mappings are read): a first read finds them. */
export function adjustingConfig(context: CommandProcess): Config {
  const configured = Object.keys(loadConfigFor(context).destinations);
  return loadConfigFor(context, { destinations: apiDestinationNames().filter((name) => configured.includes(name)) });
}

/**
 * Books an adjusting entry (`adjust`, the console's form): the configured destinations' mappings and lock dates
 * read first, then the entry written under the run lock, on books opened for writing only for that moment.
 */
export async function bookAdjustingEntry(
  context: CommandProcess,
  config: Config,
  request: Omit<AdjustmentRequest, 'needsApproval'>,
  /** Whether the item it explains is open: by default a reconcile item of today; `transit accept` names its own. */
  openItem?: (itemId: string) => Promise<boolean>,
): Promise<AdjustmentRecord & { entry: JournalEntry }> {
  const { mappings, locks } = await destinationLocks(context, config);
  const days = await booksDays(config, context.now(), (line) => context.logger.warn(line));
  const { stuckAfterDays } = sourceSeries(config.sources, sourceKinds.reportFacts);
  return withBooksFor(config, {}, (books) =>
    withRunLockMoment(books.runRecords, `adjust:${randomBytes(6).toString('hex')}`, () => context.now(), () =>
      bookAdjustment(
        { ledger: books.ledger, adjustments: books.adjustmentBooks, acknowledgements: books.acknowledgements },
        { ...request, needsApproval: config.adjustments.requireApproval },
        {
          mappings,
          locks,
          closedPeriods: () => books.sealBooks.closedPeriods(),
          openItem: openItem ?? (async (itemId) => (await reconcileReport(reconcileReadsOf(books), days.today, days.today, stuckAfterDays, findingsFolder(config))).items.some((item) => item.id === itemId)),
        },
      ),
    ),
  );
}

/** The destinations the configuration names with an API: their mappings (each must map the entry's accounts) and lock dates. */
async function destinationLocks(context: CommandProcess, config: Config): Promise<{ mappings: Mappings; locks: { destination: string; lockDate: string | undefined }[] }> {
  const destinations = apiDestinationNames().filter((name) => Object.hasOwn(config.destinations, name));
  const mappings = loadMappings({ chartPath: config.mappings, destinations: mappingsOf(destinations) });
  const clock = createSystemClock();
  const locks: { destination: string; lockDate: string | undefined }[] = [];
  for (const name of destinations) {
    try {
      const client = await apiDestinationKind(name).api.createClient(config, mappings, {
        tokenStore: openTokenStore(config.tokenStore),
        clock,
        redact: context.redact,
        onSecrets: context.addSecrets,
        log: (line) => context.logger.debug(line),
      });
      try {
        locks.push({ destination: client.name, lockDate: await client.lockDate() });
      } finally {
        await client.close();
      }
    } catch (error) {
      // Not connected yet, or unreachable: the entry is booked, and post holds it back if it turns out locked.
      if (!(error instanceof LedgerlineError)) throw error;
      context.logger.warn(context.redact(`could not read ${name}'s lock date (${error.message}); "ledgerline post ${name}" holds the entry back if its period is locked`));
    }
  }
  return { mappings, locks };
}
