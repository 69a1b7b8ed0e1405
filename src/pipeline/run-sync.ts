import type { Config, PanelSourceConfig, SourceConfig } from '../config/index.js';
import { EXIT, LedgerlineError, UsageError, type ExitCode } from '../errors.js';
import type { Clock } from '../http/clock.js';
import { createHttpClient, type HttpClient } from '../http/http-client.js';
import { createRateLimiter } from '../http/throttle.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../http/retry-policy.js';
import type { Ledger } from '../ledger/index.js';
import type { Logger } from '../log/logger.js';
import type { EventRules, Granularity } from '../rules/index.js';
import { PANEL_RATE_LIMIT, createPanelClient, createPayelancerClient, type OrdersFileOrder } from '../sources/index.js';
import { bookSourceReplay, closesToReplay, planSourceReplay, type BackfillRun, type ReplayPlan } from './backfill/replay-source.js';
import { latestLoggedClose } from '../store/index.js';
import { findingsFolder, withFindingsListedOnce } from './finding-groups.js';
import { rawLanding } from './raw-landing.js';
import { itemClass } from './reconcile-report.js';
import type { CloseContext, SourceSyncReport } from './sync/close-context.js';
import { readPanelOrdersFiles, refuseUnusableOrdersFiles, requestRepoll, storedBatchMode, syncPanelClose } from './sync/panel-close.js';
import { syncPayelancerClose } from './sync/payelancer-close.js';

export interface SyncRequest {
  asOf: string;
  /**
   * A backfill window: the stored replies of the closes in it are read again
   * with today's readers, rules and chart (a difference is booked as a
   * correction dated on its day) and the orders of `ordersFile` are asked
   * about again at the next close. The nightly cursor does not move.
   */
  window?: { from: string; to: string } | undefined;
  /** Only these sources (default: all configured). */
  sourceIds?: readonly string[] | undefined;
  /** An extra orders file for the (single) panel being synced. */
  ordersFile?: string | undefined;
  dryRun: boolean;
  granularity?: Granularity | undefined;
}

export interface SyncDependencies {
  config: Config;
  ledger: Ledger;
  chart: EventRules;
  logger: Logger;
  now: () => Date;
  clock: Clock;
  redact: (text: string) => string;
  runId: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Called as a backfill works through its days (for a progress bar). */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface SyncReport {
  asOf: string;
  window?: { from: string; to: string } | undefined;
  dryRun: boolean;
  sources: SourceSyncReport[];
  /** Rows of the orders files that could not be read and were skipped ("orders.csv line 7: …"): a person must fix them. */
  ordersFileProblems: string[];
}

/**
 * Takes the close of `asOf` for each selected source, one after the other.
 * A source that fails (after the HTTP layer's retries) is reported and the
 * others go on; each source's booking is one transaction.
 */
export async function runSync(deps: SyncDependencies, request: SyncRequest): Promise<SyncReport> {
  return withFindingsListedOnce(await closeSources(deps, request), findingsFolder(deps.config));
}

async function closeSources(deps: SyncDependencies, request: SyncRequest): Promise<SyncReport> {
  const sources = selectSources(deps.config, request);
  const panels = sources.filter((source): source is PanelSourceConfig => source.kind === 'panel');
  if (request.ordersFile !== undefined && panels.length !== 1) {
    throw new UsageError(
      panels.length === 0 ? '--orders-file needs a panel source among those synced' : '--orders-file needs --source when several panels are configured',
    );
  }
  if (request.window) return runBackfill(deps, request, request.window, sources);
  // Only the headers are read here; each panel's close reads its files' rows and reports the bad ones.
  const ordersFilesByPanel = new Map<string, string[]>();
  const ordersFileProblems: string[] = [];
  for (const panel of panels) {
    const paths = [...(panel.ordersFile === undefined ? [] : [panel.ordersFile]), ...(request.ordersFile === undefined ? [] : [request.ordersFile])];
    await refuseUnusableOrdersFiles(paths);
    ordersFilesByPanel.set(panel.id, paths);
  }

  const context: CloseContext = {
    ledger: deps.ledger,
    chart: deps.chart,
    granularity: request.granularity ?? deps.config.granularity,
    asOf: request.asOf,
    timezone: deps.config.timezone,
    runId: deps.runId,
    dryRun: request.dryRun,
    now: deps.now,
    logger: deps.logger,
  };
  const onRawReply = rawLanding(deps.ledger.store, { asOf: request.asOf, runId: deps.runId, dryRun: request.dryRun });
  const reports: SourceSyncReport[] = [];
  for (const source of sources) {
    const logger = deps.logger.child({ sourceId: source.id });
    const http = sourceHttp(deps, source, logger);
    try {
      logger.info(`taking the close of ${request.asOf}${request.dryRun ? ' (dry run)' : ''}`);
      const report =
        source.kind === 'payelancer'
          ? await syncPayelancerClose(
              context,
              source,
              createPayelancerClient({ sourceId: source.id, baseUrl: source.baseUrl, apiKey: source.apiKey, http, clock: deps.clock, onRawReply }),
              deps.config.currency,
            )
          : await syncPanelClose(
              context,
              source,
              createPanelClient({
                sourceId: source.id,
                url: source.url,
                apiKey: source.apiKey,
                http,
                clock: deps.clock,
                onRawReply,
                batchMode: await storedBatchMode(deps.ledger.store, source.id),
              }),
              {
                ordersFiles: ordersFilesByPanel.get(source.id) ?? [],
                onOrdersFileProblems: (problems) => {
                  for (const problem of problems) {
                    logger.warn(`orders file row skipped: ${problem}`);
                    ordersFileProblems.push(problem);
                  }
                },
                defaultCurrency: source.currency ?? deps.config.currency,
              },
            );
      if (report.error) logger.error(report.error.message);
      else logger.info(`booked ${report.events} events in ${report.entries.length} entries, ${report.findings.length} findings`);
      reports.push(report);
    } finally {
      await http.close();
    }
  }
  return { asOf: request.asOf, dryRun: request.dryRun, sources: reports, ordersFileProblems };
}

async function runBackfill(deps: SyncDependencies, request: SyncRequest, window: { from: string; to: string }, sources: readonly SourceConfig[]): Promise<SyncReport> {
  let totalCloses = 0;
  for (const source of sources) totalCloses += await closesToReplay(deps.ledger, source, window);
  let replayedCloses = 0;
  const run: BackfillRun = {
    ledger: deps.ledger,
    chart: deps.chart,
    granularity: request.granularity ?? deps.config.granularity,
    runId: deps.runId,
    now: deps.now,
    dryRun: request.dryRun,
    onClose: (date) => {
      replayedCloses += 1;
      deps.onProgress?.(replayedCloses, totalCloses, date);
    },
  };
  // Every source is re-read and checked before any is booked: a refusal leaves the whole ledger as it was.
  const plans: { source: SourceConfig; plan?: ReplayPlan; error?: LedgerlineError }[] = [];
  for (const source of sources) {
    try {
      plans.push({ source, plan: await planSourceReplay(run, source, window) });
    } catch (error) {
      if (!(error instanceof LedgerlineError) || error instanceof UsageError) throw error;
      deps.logger.child({ sourceId: source.id }).error(error.message);
      plans.push({ source, error });
    }
  }
  // Only the orders the backfill names: the configured orders file may list every order ever placed.
  const named: OrdersFileOrder[] = [];
  const ordersFileProblems =
    request.ordersFile === undefined
      ? []
      : await readPanelOrdersFiles([request.ordersFile], async (orders) => {
          for (const order of orders) named.push(order);
        });
  for (const problem of ordersFileProblems) deps.logger.warn(`orders file row skipped: ${problem}`);
  const reports: SourceSyncReport[] = [];
  for (const { source, plan, error } of plans) {
    const logger = deps.logger.child({ sourceId: source.id });
    if (!plan) {
      reports.push({ sourceId: source.id, outcome: 'failed', events: 0, entries: [], findings: [], quarantined: 0, ...(error ? { error } : {}) });
      continue;
    }
    const corrections = await bookSourceReplay(run, plan);
    logger.info(`re-read ${plan.replayed.closesInWindow} closes from ${window.from} to ${window.to}: ${corrections.length} correcting entries`);
    let report: SourceSyncReport = { sourceId: source.id, outcome: 'booked', events: 0, entries: corrections, findings: [], quarantined: 0 };
    if (source.kind === 'panel' && named.length > 0) {
      const latest = await latestLoggedClose(deps.ledger.store, source.id);
      if (latest === undefined) throw new UsageError(`${source.id}: no close has been taken yet, so there is nothing to backfill; run a plain sync first`);
      if (!request.dryRun) await requestRepoll(deps.ledger.store, source.id, named, latest, deps.now());
      logger.info(`${named.length} orders named by --orders-file will be asked about again at the next sync`);
      report = { ...report, repollRequested: named.length };
    }
    reports.push(report);
  }
  return { asOf: request.asOf, window, dryRun: request.dryRun, sources: reports, ordersFileProblems };
}

/** 3 when a source failed, 1 when something needs a person (an action finding, a quarantined reply, a skipped orders-file row), else 0 (DESIGN §6). */
export function syncExitCode(report: SyncReport): ExitCode {
  if (report.sources.some((source) => source.outcome === 'failed')) return EXIT.external;
  if (report.ordersFileProblems.length > 0) return EXIT.attention;
  // A finding kept for the record (a computed refund, a carried payout) needs nobody: the night stays 0.
  if (report.sources.some((source) => source.findings.some((found) => itemClass(found.kind) === 'action') || source.quarantined > 0)) return EXIT.attention;
  return EXIT.ok;
}

/** The sources a sync takes: those named (each must be configured), else every configured one. */
export function selectSources(config: Config, request: Pick<SyncRequest, 'sourceIds'>): SourceConfig[] {
  if (!request.sourceIds || request.sourceIds.length === 0) return config.sources;
  const unknown = request.sourceIds.filter((id) => !config.sources.some((source) => source.id === id));
  if (unknown.length > 0) {
    throw new UsageError(`--source ${unknown.join(', ')}: no such source in ${config.file} (configured: ${config.sources.map((source) => source.id).join(', ')})`);
  }
  return config.sources.filter((source) => request.sourceIds!.includes(source.id));
}

function sourceHttp(deps: SyncDependencies, source: SourceConfig, logger: Logger): HttpClient {
  const perMinute = source.kind === 'panel' ? (source.rateLimitPerMinute ?? PANEL_RATE_LIMIT.requestsPerMinute) : undefined;
  return createHttpClient({
    service: source.id,
    timeoutMs: deps.timeoutMs ?? 30_000,
    retry: deps.retry ?? DEFAULT_RETRY_POLICY,
    ...(perMinute === undefined
      ? {}
      : { rateLimiter: createRateLimiter({ requestsPerMinute: perMinute, burst: Math.min(PANEL_RATE_LIMIT.burst, perMinute) }, deps.clock) }),
    clock: deps.clock,
    redact: deps.redact,
    log: (line) => logger.warn(line),
  });
}
