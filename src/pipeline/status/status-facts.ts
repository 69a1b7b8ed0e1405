import type { Config } from '../../config/index.js';
import { describeTokenHealth, openTokenStore } from '../../destinations/index.js';
import {
  ledgerReads,
  sourcesQuiet,
  statusReport,
  type ExceptionWord,
  type LedgerReads,
  type StatusReport,
} from '../../reads/index.js';
import type { RecordedRun } from '../../reads/books/ledger-reads.js';
import { nextCronRun } from '../../scheduler/cron-schedule.js';
import { destinationKinds, sourceKinds } from '../kinds/index.js';
import { lastSync, runRecords, syncStandings } from '../runs/index.js';
import type { TransitBooks, TransitReport } from '../transit/index.js';
import { connectionsNeedingAction, type ConnectionNeedingAction } from './connections-needing-action.js';
import { listedReconcileItems, openItemsByKind, type ListingBooks } from './listed-reconcile-items.js';
import { transitAsOf } from './reconcile-listing.js';
import { messageOf } from '../../errors.js';

type CallsToday = NonNullable<Awaited<ReturnType<NonNullable<LedgerReads['callsUsedOn']>>>>;

/** What status reads of the books: the ledger's reads, the runs, the parked sources, the transit, and reconcile's listing. */
interface StatusBooks extends ListingBooks {
  /** The kinds' own books, as the registry reads them (the orders status counts are a kind's). */
  kindBooks: Parameters<typeof sourceKinds.ordersBySource>[0];
  parkedSources: { parked(): Promise<NonNullable<StatusFacts['parked']>> };
  transitBooks: TransitBooks;
  /** People's words on the exception queue's items (migration 0037): not status facts, read beside them. */
  exceptionWords: { words(): Promise<ExceptionWord[]> };
}
type StoredTokensByDestination = ReturnType<ReturnType<typeof openTokenStore>['readAll']>;

/** What `status` shows and `metrics` measures: the ledger's counts, what is open, the schedule and the tokens. */
export type StatusFacts = StatusReport & {
  /** The sources the queue parked (their close failed in every try), with the reason. */
  parked?: { sourceId: string; reason: string; day: string; parkedAt: string }[] | undefined;
  /** The sources failing in the latest run, each with the as-of day of its failing streak's first run. */
  failingSince?: { sourceId: string; since: string }[] | undefined;
  forTheRecord: { kind: string; count: number }[];
  discrepancies: { kind: string; open: number }[];
  /** The same open items per source and kind: what the fleet view and the metrics show for each source. */
  openBySource: { source: string; kind: string; open: number }[];
  moneyInTransit?: TransitReport;
  /** Each source's days without new data, and whether that makes it silent (the silent-source finding). */
  quiet: Awaited<ReturnType<typeof sourcesQuiet>>;
  /** The calls posts made to each destination organisation this UTC day (the call_budgets counters). */
  callsToday?: CallsToday | undefined;
  unconfiguredTokens?: UnconfiguredTokens;
  connections: ConnectionNeedingAction[];
  schedule: { cron: string; timezone: string; nextRunAt: string | null } | null;
  tokens: TokenHealth[] | { error: string };
};

/** The facts as of the books' `today` (what `status`, `metrics` and the fleet show), and the open action items among them. */
export async function statusFacts(
  books: StatusBooks,
  config: Config,
  request: { today: string; now: Date; read?: StatusRead },
): Promise<{
  facts: StatusFacts;
  openItems: OpenActionItem[];
  words: ExceptionWord[];
  latestRuns: RecordedRun[];
  sourceParts: Awaited<ReturnType<typeof syncStandings>>['latestParts'];
}> {
  const { today, now, read = {} } = request;
  const destinations = destinationKinds.delivering(config);
  let openItems: OpenActionItem[] = [];
  const standings = await syncStandings(books.of(runRecords), today);
  const reads = books.of(ledgerReads);
  const facts: StatusFacts = {
    // pipeline/runs still reads the last sync from the store (transitional, issue 39).
    ...(await statusReport(reads, {
      ledgerPath: config.ledger,
      destinations,
      explainedByLateOrders: sourceKinds.settledFindings().byLateOrders,
      today,
      lastSync: () => lastSync(books.of(runRecords)),
      openOrders: () => sourceKinds.ordersBySource(books.kindBooks),
      ...read,
    })),
    ...(await parkedOf(books)),
    // The failing sources' first failed run, when any is failing (`status --json` says nothing of it otherwise).
    ...(standings.failingSince.length > 0 ? { failingSince: standings.failingSince } : {}),
    ...(await callsTodayOf(reads, now)),
    quiet: await sourcesQuiet(reads, watchedSources(config, today)),
    // What is open is what reconcile lists open, counted from the same report; the exception queue lists them.
    ...openItemsByKind(
      await listedReconcileItems(books, config, { asOf: today, today }).then((listed) => {
        openItems = listed.items.filter((item) => item.class === 'action' && item.acknowledged === null);
        return listed;
      }),
    ),
    ...(await transitAsOf(books.transitBooks, config, { asOf: today, now }).then(
      (report) => report && { moneyInTransit: report },
    )),
    schedule: config.schedule
      ? {
          cron: config.schedule.cron,
          timezone: config.schedule.timezone,
          nextRunAt: (await nextCronRun(config.schedule.cron, config.schedule.timezone))?.toISOString() ?? null,
        }
      : null,
    ...tokensAndConnections(config, now),
  };
  // People's words on the queue's items and each command's latest runs (metrics): read beside the facts, as is each
  // source's part of the latest sync that took it (the fleet's last result).
  const [words, latestRuns] = await Promise.all([books.exceptionWords.words(), reads.latestRunsOfEachCommand()]);
  return {
    facts,
    openItems,
    words,
    latestRuns,
    sourceParts: partsWithLatestRun(standings.latestParts, facts.lastSync),
  };
}

/**
 * Each source's part of the latest sync that took it, as the recent runs give it; a source none of them took (its
 * runs older than their window) keeps its part of the latest sync, as status's "last sync" shows it.
 */
function partsWithLatestRun(
  recent: Awaited<ReturnType<typeof syncStandings>>['latestParts'],
  latest: StatusFacts['lastSync'],
): Awaited<ReturnType<typeof syncStandings>>['latestParts'] {
  const taken = new Set(recent.map((part) => part.sourceId));
  return [...recent, ...(latest?.sources ?? []).filter((part) => !taken.has(part.sourceId))];
}

/** What a reader of the facts leaves out: `fleetOnly`, what the fleet view does not show (statusReport's page check and unposted counts). */
export interface StatusRead {
  fleetOnly?: boolean;
}

/** The call_budgets counters of this UTC day, when a post counted any (`status --json` says nothing of calls otherwise). */
async function callsTodayOf(reads: LedgerReads, now: Date): Promise<Pick<StatusFacts, 'callsToday'>> {
  const calls = (await reads.callsUsedOn?.(now.toISOString().slice(0, 10))) ?? [];
  return calls.length > 0 ? { callsToday: calls } : {};
}

/** An action item of reconcile nobody acknowledged: what blocks a close, as the exception queue lists it. */
type OpenActionItem = Awaited<ReturnType<typeof listedReconcileItems>>['items'][number];

/** The sources the queue parked, when there are any (`status --json` says nothing of parking otherwise). */
async function parkedOf(books: Pick<StatusBooks, 'parkedSources'>): Promise<Pick<StatusFacts, 'parked'>> {
  const parked = await books.parkedSources.parked();
  return parked.length > 0 ? { parked } : {};
}

interface TokenHealth {
  destination: string;
  refreshTokenExpiresAt: string;
  expiresInDays: number;
  /** The organisation `connect` chose, the last rotation: present when the store holds them. */
  organisation?: string;
  rotatedAt?: string;
}

/**
 * From one read of the token store: how long each destination's refresh token has left, for which organisation,
 * and each configured destination whose connection needs a person (not connected, expired) with the one next
 * step. A token store that cannot be read is said once, on the tokens line, not fatal.
 */
function tokensAndConnections(
  config: Config,
  now: Date,
): {
  tokens: TokenHealth[] | { error: string };
  connections: ConnectionNeedingAction[];
  unconfiguredTokens?: UnconfiguredTokens;
} {
  let stored: StoredTokensByDestination;
  try {
    stored = openTokenStore(config.tokenStore).readAll();
  } catch (error) {
    return { tokens: { error: messageOf(error) }, connections: [] };
  }
  // A destination removed from the configuration keeps its tokens in the store: said once, not listed as in use.
  const unconfigured = Object.keys(stored)
    .filter((destination) => !(destination in config.destinations))
    .sort();
  const tokens = Object.entries(stored)
    .filter(([destination]) => destination in config.destinations)
    .flatMap(([destination, held]): TokenHealth[] => {
      if (held.refreshTokenExpiresAt === undefined) return [];
      const expiresAt = new Date(held.refreshTokenExpiresAt);
      const health = describeTokenHealth(destination, held, now, 0);
      return [
        {
          destination,
          refreshTokenExpiresAt: expiresAt.toISOString(),
          expiresInDays: Math.floor((expiresAt.getTime() - now.getTime()) / 86_400_000),
          ...(health.organisation === undefined ? {} : { organisation: health.organisation }),
          ...(health.rotatedAt === undefined ? {} : { rotatedAt: health.rotatedAt }),
        },
      ];
    });
  const connections = connectionsNeedingAction(config, stored, now);
  return {
    tokens,
    connections,
    ...(unconfigured.length === 0
      ? {}
      : { unconfiguredTokens: { destinations: unconfigured, tokenStore: config.tokenStore, configFile: config.file } }),
  };
}

/** Tokens the store keeps for destinations the configuration no longer names. */
export interface UnconfiguredTokens {
  destinations: string[];
  tokenStore: string;
  configFile: string;
}

/** The configured sources with their silence thresholds and their kinds' word on new data, as of `today`. */
export function watchedSources(config: Config, today: string) {
  return {
    sources: config.sources.map((source) => ({
      id: source.id,
      silentAfterDays: source.silentAfterDays,
      silence: sourceKinds.silenceOf(source),
    })),
    defaultAfterDays: config.monitor.silentAfterDays,
    today,
  };
}
