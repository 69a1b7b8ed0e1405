import { randomBytes } from 'node:crypto';
import { bankLedgerAccounts, type Config, type ConfigNeeds, type Mappings } from '../config/index.js';
import { configMappings } from './configured-books.js';
import { openTokenStore } from '../destinations/index.js';
import { ConfigError, LedgerlineError } from '../errors.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import {
  acknowledgementBooks,
  adjustmentBooks,
  bookAdjustment,
  filingBooks,
  type AdjustmentRequest,
} from '../pipeline/adjustments/index.js';
import { reconcileReport, sourceSeries } from '../reads/index.js';
import { findingsFolder, withRunLockMoment, runRecords } from '../pipeline/runs/index.js';
import { bookSettlingALine, transitBooks, transitTerms } from '../pipeline/transit/index.js';
import type { Books } from './index.js';
import type { AppProcess } from './app-process.js';
import { apiDestinationKind, apiDestinationNames, mappingsOf } from './destination-choices.js';
import { reconcileReadsOf } from './reconcile-reads.js';
import { sealBooks } from '../pipeline/operations/index.js';

/** The books an adjusting entry is booked through (pipeline/reports, AdjustingBooks). */
type AdjustingBooks = Parameters<Parameters<Parameters<typeof bookAdjustment>[0]>[0]>[0];

/** The configuration with the sections of the destinations it configures (their lock dates and mappings are read): a first read finds them. */
export function adjustingConfig(load: (need?: ConfigNeeds) => Config, warn: (line: string) => void): Config {
  const configured = apiDestinationNames().filter((name) => Object.hasOwn(load().destinations, name));
  // A destination whose credentials are not set (XERO_CLIENT_ID unset on an accountant's machine) cannot be asked its
  // lock date: the entry is the ledger's, so it is booked, the destination named, and post holds the entry back if locked.
  const unusable = configured.filter((name) => {
    try {
      load({ destinations: [name] });
      return false;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      warn(
        `could not read ${name}'s lock date (${error.message.replaceAll('\n', ' ')}); "ledgerline post ${name}" ` +
          'holds the entry back if its period is locked',
      );
      return true;
    }
  });
  const config = load({ destinations: configured.filter((name) => !unusable.includes(name)) });
  const destinations = Object.fromEntries(
    Object.entries(config.destinations).filter(([name]) => !unusable.includes(name)),
  ) as Config['destinations'];
  return { ...config, destinations };
}

/** What an adjusting entry is booked with besides its request: the process, the configuration (adjustingConfig), the books' day and the books. */
export interface AdjustingWiring {
  context: AppProcess;
  config: Config;
  /** The books' day, asked once and only when the request's own checks have passed. */
  today: () => Promise<string>;
  /** Runs the booking on books open for writing: books of its own, or those the caller has open already (`transit accept`). */
  withBooks: <T>(work: (books: Books) => Promise<T>) => Promise<T>;
}

/**
 * Books an adjusting entry (`adjust`, the console's form, `transit accept`): the request's own checks first, then the
 * books' day and the configured destinations' lock dates (nothing is asked of a destination for bad input), then the
 * entry written under the run lock and the ledger's lock, on books opened for writing only for that moment.
 */
export async function bookAdjustingEntry(
  wiring: AdjustingWiring,
  request: Omit<AdjustmentRequest, 'needsApproval'>,
  /** Whether the item it explains is open: by default a reconcile item of today; `transit accept` names its own. */
  openItem?: (itemId: string, books: Books) => Promise<boolean>,
): Promise<Awaited<ReturnType<typeof bookAdjustment>>> {
  const { context, config } = wiring;
  const destinations = apiDestinationNames().filter((name) => Object.hasOwn(config.destinations, name));
  const mappings = configMappings(config, mappingsOf(destinations));
  // A bank account needs no mapping where a bank-side document carries an entry of one other line (Xero's bank transaction).
  const settledAtBank = new Map(
    destinations.map((name) => [name, apiDestinationKind(name).api.bankSideAccounts?.(config) ?? new Set<string>()]),
  );
  let day: Promise<string> | undefined;
  const today = () => (day ??= wiring.today());
  const { stuckAfterDays } = sourceSeries(config.sources, sourceKinds.reportFacts);
  const reconcileItemOpen = async (itemId: string, books: Books) =>
    (
      await reconcileReport(
        reconcileReadsOf(books),
        await today(),
        await today(),
        stuckAfterDays,
        findingsFolder(config),
      )
    ).items.some((item) => item.id === itemId);
  const adjustingBooksOf = (books: Books): AdjustingBooks => ({
    decide: (work) => books.decide((tx) => work(adjustingBooksOf(tx))),
    ledger: books.ledger,
    adjustments: books.of(adjustmentBooks),
    acknowledgements: books.of(acknowledgementBooks),
    closedPeriods: () => books.of(sealBooks).closedPeriods(),
    filedReturns: () => books.of(filingBooks).filedReturns(),
    openItem: (itemId) => (openItem ?? reconcileItemOpen)(itemId, books),
  });
  return bookAdjustment(
    (work) => {
      const underRunLock = (books: Books) =>
        withRunLockMoment(
          books.of(runRecords),
          `adjust:${randomBytes(6).toString('hex')}`,
          () => context.now(),
          () => work(adjustingBooksOf(books)),
        );
      return wiring.withBooks(underRunLock);
    },
    { ...request, needsApproval: config.adjustments.requireApproval, settledAtBank },
    { mappings, today, locks: () => destinationLocks(context, config, destinations, mappings) },
  );
}

/** The lock date of each destination the configuration names with an API (a destination not reached is warned of and left out). */
async function destinationLocks(
  context: AppProcess,
  config: Config,
  destinations: readonly string[],
  mappings: Mappings,
): Promise<{ destination: string; lockDate: string | undefined }[]> {
  const locks: { destination: string; lockDate: string | undefined }[] = [];
  for (const name of destinations) {
    try {
      const client = await apiDestinationKind(name).api.createClient(config, mappings, {
        tokenStore: openTokenStore(config.tokenStore),
        clock: context.clock,
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
      context.logger.warn(
        context.redact(
          `could not read ${name}'s lock date (${error.message}); "ledgerline post ${name}" holds the entry back if its period is locked`,
        ),
      );
    }
  }
  return locks;
}

/**
 * `--settles`: the line checked against the books before anything is booked (a bad id books nothing), then recorded
 * as the entry's, as `user` as of the books' day.
 */
export async function bookSettlingTheLine(
  wiring: Omit<AdjustingWiring, 'today'> & { today: string; user: string },
  key: string,
  book: (settles: AdjustmentRequest['settles']) => ReturnType<typeof bookAdjustingEntry>,
): Promise<{ booked: Awaited<ReturnType<typeof bookAdjustingEntry>>; settled: string }> {
  const { context, config, today, user } = wiring;
  const options = { asOf: today, terms: transitTerms(config), now: context.now() };
  const word = { user, at: context.now().toISOString() };
  const bankAccounts = new Map(bankLedgerAccounts(config.sources).map((bank) => [bank.sourceId, bank.account]));
  const { booked, line } = await wiring.withBooks((books) =>
    bookSettlingALine(
      books.of(transitBooks, books.findings),
      options,
      key,
      (landed) =>
        book({
          line: key,
          account: bankAccounts.get(landed.account) ?? landed.account,
          amountMicros: landed.amountMicros,
          currency: landed.currency,
        }),
      word,
    ),
  );
  return { booked, settled: `${line.account}:${line.lineId}` };
}
