import { addDays } from '../../calendar/index.js';
import type { SourceConfig } from '../../config/index.js';
import { BeforeFirstCloseError, LedgerlineError, UsageError } from '../../errors.js';
import {
  ordersFileReaders,
  selectSources,
  syncOutcome,
  type SourceSyncReport,
  type SyncDependencies,
  type SyncOutcome,
  type SyncReport,
  type SyncRequest,
} from '../runs/index.js';
import { bookSourceReplay, planSourceReplay, type ReplayPlan } from './replay-source.js';
import type { BackfillRun, SourceReplayers } from './source-replayer.js';
import type { ReplayWindow } from './replayed-closes.js';
import type { BackfillBooks } from './books/backfill-books.js';
import { mergedBySource, readHistory, readPastDays, type LiveClose } from './past-days-read.js';

/**
 * What a backfill with --orders-file needs of a kind that reads orders files: the file's rows, and the request to
 * ask about them again at the next sync. A row is the kind's own (`Order`): the backfill only counts them and hands
 * back to `request` what `read` gave.
 */
export interface BackfillRepoll<Order = unknown> {
  /** The good rows go to `onOrders`; returns the rows skipped ("orders.csv line 7: …"). */
  read(paths: readonly string[], onOrders: (orders: Order[]) => Promise<void>): Promise<string[]>;
  request(sourceId: string, orders: readonly Order[], asOf: string, now: Date): Promise<void>;
}

interface BackfillDependencies extends SyncDependencies {
  /** Each source's kind, to re-read its closes. */
  replayers: SourceReplayers;
  /** A source's orders-file reader and repoll request, for a source whose kind reads orders files. */
  repoll: (source: SourceConfig) => BackfillRepoll | undefined;
  /** The sync's live close, for the days after the latest close of a source whose kind reads past days. */
  closeLive?: LiveClose;
}

interface BackfillRequest extends Omit<SyncRequest, 'asOf'> {
  /**
   * The closes whose stored replies are read again with today's readers, rules
   * and chart (a difference is booked as a correction dated on its day); the
   * orders of `ordersFile` are asked about again at the next close. The nightly
   * cursor does not move, and no source is contacted.
   */
  window: ReplayWindow;
}

/** One source's replay plan, or why it could not be made (the source is then reported as failed, the others go on). */
type PlannedReplay = { source: SourceConfig; plan?: ReplayPlan; error?: LedgerlineError };

/**
 * The backfill's composition root, as `sync --from --to` runs it: every source's replay is planned
 * (re-read and checked) before any is booked, so a refusal leaves the whole ledger as it was; then
 * each plan is booked, and the report read into the run's summary, exit code and alert items.
 */
export async function backfillWindow(
  deps: BackfillDependencies,
  request: BackfillRequest,
  books: BackfillBooks,
): Promise<SyncOutcome> {
  return syncOutcome(deps, await backfillReport(deps, request, books), deps.runId);
}

async function backfillReport(
  deps: BackfillDependencies,
  request: BackfillRequest,
  books: BackfillBooks,
): Promise<SyncReport> {
  const { window } = request;
  const sources = selectSources(deps.config, request);
  await refuseDaysBeforeFirstClose(deps.replayers, books, sources, window);
  const history =
    deps.closeLive === undefined
      ? { reports: [], firstCloses: new Map<string, string>() }
      : await readHistory(sources, deps.replayers, books, window, deps.closeLive);
  for (const [sourceId, first] of history.firstCloses)
    deps.logger
      .child({ sourceId })
      .info(
        `read ${window.from} to ${addDays(first, -1)} before its first close (${first}): its opening moves to ${window.from}'s`,
      );
  // A source whose history was read re-reads through its old first close too: that day's opening is reversed there.
  const windowOf = (source: SourceConfig): ReplayWindow => {
    const first = history.firstCloses.get(source.id);
    return first === undefined || first <= window.to ? window : { from: window.from, to: first };
  };
  const [reader] = ordersFileReaders(sources, request, deps.readsOrdersFiles);
  const run = backfillRun(deps, books, request, await totalCloses(deps, books, sources, windowOf));
  const plans: PlannedReplay[] = [];
  for (const source of sources) {
    const planned = await planReplay(deps, run, source, windowOf(source));
    const first = history.firstCloses.get(source.id);
    if (planned.plan !== undefined && first !== undefined) planned.plan.openingMoved = { from: first, to: window.from };
    plans.push(planned);
  }
  // Only the orders the backfill names: the configured orders file may list every order ever placed.
  const named: unknown[] = [];
  const repoll = reader === undefined ? undefined : deps.repoll(reader);
  const ordersFileProblems =
    request.ordersFile === undefined || repoll === undefined
      ? []
      : await repoll.read([request.ordersFile], async (orders) => {
          for (const order of orders) named.push(order);
        });
  for (const problem of ordersFileProblems) deps.logger.warn(`orders file row skipped: ${problem}`);
  const reports: SourceSyncReport[] = [...history.reports];
  for (const planned of plans) reports.push(await bookReplay(deps, request, run, planned, named));
  if (deps.closeLive !== undefined)
    reports.push(...(await readPastDays(sources, deps.replayers, books, window, deps.closeLive)));
  return { asOf: window.to, window, dryRun: request.dryRun, sources: mergedBySource(reports), ordersFileProblems };
}

/**
 * A window wholly before the first close of a source whose kind tells only the present is refused before anything is
 * read or written (BeforeFirstCloseError): its opening balance holds those days and nothing can read them, so it
 * would book nothing and exit 0. A kind that reads past days reads them (readHistory).
 */
async function refuseDaysBeforeFirstClose(
  kinds: SourceReplayers,
  books: BackfillBooks,
  sources: readonly SourceConfig[],
  window: ReplayWindow,
): Promise<void> {
  for (const source of sources) {
    if (kinds(source).readsPastDays === true) continue;
    const first = await books.firstClose(source.id);
    const latest = await books.latestClose(source.id);
    if (first !== undefined && latest !== undefined && window.to < first)
      throw new BeforeFirstCloseError(source.id, window, {
        ...{ first, dayBeforeFirst: addDays(first, -1), latest },
        api: 'present',
      });
  }
}

async function totalCloses(
  deps: BackfillDependencies,
  books: BackfillBooks,
  sources: readonly SourceConfig[],
  windowOf: (source: SourceConfig) => ReplayWindow,
): Promise<number> {
  let total = 0;
  for (const source of sources) total += await deps.replayers(source).closesToReplay(books, source, windowOf(source));
  return total;
}

function backfillRun(
  deps: BackfillDependencies,
  books: BackfillBooks,
  request: BackfillRequest,
  total: number,
): BackfillRun {
  let replayed = 0;
  return {
    ledger: deps.ledger,
    books,
    chart: deps.chart,
    taxBook: deps.taxBook,
    granularity: request.granularity ?? deps.config.granularity,
    timeZone: deps.config.timezone,
    runId: deps.runId,
    now: deps.now,
    dryRun: request.dryRun,
    onClose: (date) => {
      replayed += 1;
      deps.onProgress?.(replayed, total, date);
    },
  };
}

async function planReplay(
  deps: BackfillDependencies,
  run: BackfillRun,
  source: SourceConfig,
  window: ReplayWindow,
): Promise<PlannedReplay> {
  try {
    return { source, plan: await planSourceReplay(run, deps.replayers(source), source, window) };
  } catch (error) {
    if (!(error instanceof LedgerlineError) || error instanceof UsageError) throw error;
    deps.logger.child({ sourceId: source.id }).error(error.message);
    return { source, error };
  }
}

async function bookReplay(
  deps: BackfillDependencies,
  request: BackfillRequest,
  run: BackfillRun,
  { source, plan, error }: PlannedReplay,
  named: readonly unknown[],
): Promise<SourceSyncReport> {
  const logger = deps.logger.child({ sourceId: source.id });
  if (!plan)
    return {
      sourceId: source.id,
      outcome: 'failed',
      events: 0,
      entries: [],
      findings: [],
      quarantined: 0,
      ...(error ? { error } : {}),
    };
  const corrections = await bookSourceReplay(run, plan);
  const { window } = request;
  logger.info(
    `re-read ${plan.replayed.closesInWindow} closes from ${window.from} to ${window.to}: ${corrections.length} correcting entries`,
  );
  const report: SourceSyncReport = {
    sourceId: source.id,
    outcome: 'booked',
    events: 0,
    entries: corrections,
    findings: [],
    quarantined: 0,
  };
  const repoll = deps.repoll(source);
  if (repoll === undefined || named.length === 0) return report;
  const latest = await run.books.latestClose(source.id);
  if (latest === undefined)
    throw new UsageError(
      `${source.id}: no close has been taken yet, so there is nothing to backfill; run a plain sync first`,
    );
  if (!request.dryRun) await repoll.request(source.id, named, latest, deps.now());
  logger.info(`${named.length} orders named by --orders-file will be asked about again at the next sync`);
  return { ...report, repollRequested: named.length };
}
