import type { SourceConfig } from '../../config/index.js';
import {
  createHttpClient,
  type HttpClient,
  createRateLimiter,
  DEFAULT_RETRY_POLICY,
  type OnRawReply,
} from '../../http/index.js';
import type { Logger } from '../../log/index.js';
import { rawLanding } from '../landing/index.js';
import {
  findingsFolder,
  ordersFileReaders,
  withFindingsListedOnce,
  type SourceSyncReport,
  type SyncDependencies,
  type SyncReport,
  type SyncRequest,
  selectSources,
} from '../runs/index.js';
import type { CloseContext } from './close-context.js';
import type { SourceCloser, SourceClosers } from './source-closer.js';
import { closeBeforeLatest, refusePastDays } from './past-days.js';
import type { SyncBooks, SyncBooksReads, SyncBooksTx } from './books/sync-books.js';
import { UsageError } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import {
  type JournalEntry,
  JournalDraft,
  type EventRules,
  type TaxBook,
  type Finding,
  type Granularity,
  type SourceEvent,
} from '../../rules/index.js';

/** What the nightly sync needs besides a run's: each source's kind, to take its close. */
export interface SyncNightDependencies extends SyncDependencies {
  closers: SourceClosers;
}

/** What each source's close shares within one sync. */
interface SyncPass {
  deps: SyncNightDependencies;
  context: CloseContext;
  onRawReply: OnRawReply;
  ordersFilesBySource: ReadonlyMap<string, string[]>;
  ordersFileProblems: string[];
}

/**
 * Takes the close of `asOf` for each selected source, one after the other.
 * A source that fails (after the HTTP layer's retries) is reported and the
 * others go on. A source's close commits in units of work of its own (an
 * ad-network close is one; a panel close books each polled chunk in one and
 * the balance step in the last), so a failure keeps what its units committed.
 */
export async function syncSources(
  deps: SyncNightDependencies,
  request: SyncRequest,
  books: SyncBooks,
): Promise<SyncReport> {
  const sources = selectSources(deps.config, request);
  // A history day is before the first close on purpose: the backfill asked each source first (backfill-window.ts).
  if (request.history === undefined) await refusePastDays(deps.closers, books, sources, request);
  const pass: SyncPass = {
    deps,
    context: {
      ledger: deps.ledger,
      books,
      chart: deps.chart,
      taxBook: deps.taxBook,
      granularity: request.granularity ?? deps.config.granularity,
      asOf: request.asOf,
      timezone: deps.config.timezone,
      runId: deps.runId,
      dryRun: request.dryRun,
      now: deps.now,
      logger: deps.logger,
      ...(request.history === undefined ? {} : { history: request.history }),
      ...(deps.proxyAnswering === undefined ? {} : { proxyAnswering: deps.proxyAnswering }),
    },
    onRawReply: rawLanding(books, { asOf: request.asOf, runId: deps.runId, dryRun: request.dryRun }),
    ordersFilesBySource: await ordersFilesBySource(
      deps,
      ordersFileReaders(sources, request, deps.readsOrdersFiles),
      request,
    ),
    ordersFileProblems: [],
  };
  const reports: SourceSyncReport[] = [];
  for (const source of sources) reports.push(await closeSource(pass, source));
  const report = {
    asOf: request.asOf,
    dryRun: request.dryRun,
    sources: reports,
    ordersFileProblems: pass.ordersFileProblems,
  };
  return withFindingsListedOnce(report, findingsFolder(deps.config));
}

/** Each orders-file reader's files: only the headers are read here; each source's close reads its files' rows and reports the bad ones. */
async function ordersFilesBySource(
  deps: SyncNightDependencies,
  readers: readonly SourceConfig[],
  request: SyncRequest,
): Promise<Map<string, string[]>> {
  const bySource = new Map<string, string[]>();
  for (const source of readers) {
    const closer = deps.closers(source);
    const paths = [
      ...(closer.ordersFilesOf?.(source) ?? []),
      ...(request.ordersFile === undefined ? [] : [request.ordersFile]),
    ];
    await closer.refuseUnusableOrdersFiles?.(paths);
    bySource.set(source.id, paths);
  }
  return bySource;
}

async function closeSource(pass: SyncPass, source: SourceConfig): Promise<SourceSyncReport> {
  const { deps, context, onRawReply } = pass;
  const closer = deps.closers(source);
  const logger = deps.logger.child({ sourceId: source.id });
  const http = sourceHttp(deps, closer, source, logger);
  try {
    logger.info(`taking the close of ${context.asOf}${context.dryRun ? ' (dry run)' : ''}`);
    const report = await closer.close({
      context,
      source,
      http,
      clock: deps.clock,
      onRawReply,
      currency: deps.config.currency,
      ordersFiles: pass.ordersFilesBySource.get(source.id) ?? [],
      onOrdersFileProblems: (problems) => {
        for (const problem of problems) {
          logger.warn(`orders file row skipped: ${problem}`);
          pass.ordersFileProblems.push(problem);
        }
      },
    });
    if (report.error) logger.error(report.error.message);
    else
      logger.info(
        `booked ${report.events} events in ${report.entries.length} entries, ${report.findings.length} findings`,
      );
    return report;
  } finally {
    await http.close();
  }
}

function sourceHttp(deps: SyncDependencies, closer: SourceCloser, source: SourceConfig, logger: Logger): HttpClient {
  const budget = closer.requestBudget?.(source);
  return createHttpClient({
    service: source.id,
    timeoutMs: deps.timeoutMs ?? 30_000,
    retry: deps.retry ?? DEFAULT_RETRY_POLICY,
    ...(budget === undefined ? {} : { rateLimiter: createRateLimiter(budget, deps.clock) }),
    clock: deps.clock,
    redact: deps.redact,
    log: (line) => logger.warn(line),
  });
}

/** What a booking needs from the run around it (a CloseContext has all of it). */
export interface BookingRun {
  ledger: Ledger;
  books: SyncBooks;
  chart: EventRules;
  /** The chart's tax book (Chart.taxBook): the entries booked take the tax by it; none, none is booked. */
  taxBook?: TaxBook | undefined;
  granularity: Granularity;
  runId: string;
  now: () => Date;
}

/** The run's settings with the verbs of the unit of work a booking writes in. */
export type BookingUnit = Omit<BookingRun, 'books'> & { books: SyncBooksTx };

interface CloseBooking {
  sourceId: string;
  events: readonly SourceEvent[];
  findings: readonly Finding[];
  /** The source's own progress (order states, counters, closes), written in the same unit of work. */
  writeProgress: (tx: SyncBooksTx) => Promise<void>;
}

export interface BookedClose {
  /** Events new to the ledger (a replayed event id is skipped). */
  events: SourceEvent[];
  entries: JournalEntry[];
  findings: Finding[];
}

/**
 * Commits one source's close as a single unit of work: its new events, the
 * journal entries they make, its findings and its progress. A crash before
 * the commit leaves the ledger as it was; a crash after leaves it complete;
 * either way the next run converges on the same books.
 */
export async function bookClose(run: BookingRun, booking: CloseBooking): Promise<BookedClose> {
  const now = run.now();
  return run.books.unit(async (tx) => {
    const unit = { ...run, books: tx, ledger: tx.ledger };
    const events = await tx.recordNewEvents(booking.events, { runId: run.runId, now });
    const findings = await tx.recordNewFindings(booking.findings, now);
    await booking.writeProgress(tx);
    // The journal last: on PostgreSQL the append holds the ledger's chain lock until the commit, and every
    // other close's append waits for it (4 lanes waited 140 ms an append with the progress written after it).
    const entries = await appendJournal(unit, booking.sourceId, events, now);
    return { events, entries, findings };
  });
}

/** Journalizes events new to the ledger and appends the entries, numbered after the day's entries already booked. */
async function appendJournal(
  run: BookingUnit,
  sourceId: string,
  events: readonly SourceEvent[],
  now: Date,
): Promise<JournalEntry[]> {
  const draft = new JournalDraft(run.chart, run.granularity, run.taxBook);
  for (const event of events) draft.add(event);
  return appendDraft(run, sourceId, draft, now);
}

/**
 * Appends the entries of a journal drafted as a close booked its events (the events are new to the ledger);
 * `check` sees them first and may stop the unit of work before anything is appended.
 */
export async function appendDraft(
  run: BookingUnit,
  sourceId: string,
  draft: JournalDraft,
  now: Date,
  check?: (entries: readonly JournalEntry[]) => void,
): Promise<JournalEntry[]> {
  const existingEntryIds = await run.books.entryIdsOn(sourceId, draft.dates());
  const entries = draft.entries(existingEntryIds);
  check?.(entries);
  await run.ledger.appendEntries(entries, { runId: run.runId, now });
  return entries;
}

/**
 * A close goes forward: a live close of a day before a source's latest close is refused (DESIGN §4; the sync
 * asked each source first, past-days.ts, in the kind's words). Returns that latest close (undefined before the
 * first), for a close that starts from it.
 */
export async function refuseDayBeforeLatestClose(
  books: SyncBooksReads,
  sourceId: string,
  asOf: string,
): Promise<string | undefined> {
  const latest = await books.latestClose(sourceId);
  if (latest !== undefined && asOf < latest) {
    throw new UsageError(closeBeforeLatest(sourceId, asOf, latest, undefined));
  }
  return latest;
}
