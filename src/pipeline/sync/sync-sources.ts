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
import { importSpooledAdds, type ProxyBooks } from '../../kinds/panel/proxy/index.js';
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
import { refuseUnusableOrdersFiles } from '../../kinds/panel/panel-close.js';
import type { SourceCloser, SourceClosers } from './source-closer.js';
import type { SyncBooks } from './sync-books.js';

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
  proxyBooks: ProxyBooks,
): Promise<SyncReport> {
  const sources = selectSources(deps.config, request);
  const pass: SyncPass = {
    deps,
    context: {
      ledger: deps.ledger,
      books,
      chart: deps.chart,
      granularity: request.granularity ?? deps.config.granularity,
      asOf: request.asOf,
      timezone: deps.config.timezone,
      runId: deps.runId,
      dryRun: request.dryRun,
      now: deps.now,
      logger: deps.logger,
      importSpool: (source) => importSpooledAdds({ proxyBooks, logger: deps.logger, now: deps.now }, source),
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
    const paths = [
      ...(deps.closers(source).ordersFilesOf?.(source) ?? []),
      ...(request.ordersFile === undefined ? [] : [request.ordersFile]),
    ];
    await refuseUnusableOrdersFiles(paths);
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
