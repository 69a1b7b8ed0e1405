import type { PanelSourceConfig, SourceConfig } from '../../config/index.js';
import { createHttpClient, type HttpClient } from '../../http/http-client.js';
import { createRateLimiter } from '../../http/throttle.js';
import { DEFAULT_RETRY_POLICY } from '../../http/retry-policy.js';
import type { Logger } from '../../log/logger.js';
import type { OnRawReply } from '../../http/raw-reply.js';
import { PANEL_RATE_LIMIT, createPanelClient, createPayelancerClient } from '../../sources/index.js';
import { rawLanding } from '../landing/index.js';
import { importSpooledAdds, type ProxyBooks } from '../panel-proxy/index.js';
import { findingsFolder, panelsAmong, withFindingsListedOnce, type SourceSyncReport, type SyncDependencies, type SyncReport, type SyncRequest, selectSources } from '../runs/index.js';
import type { CloseContext } from './close-context.js';
import { refuseUnusableOrdersFiles, storedBatchMode, syncPanelClose } from './panel-close.js';
import { syncPayelancerClose } from './payelancer-close.js';
import type { SyncBooks } from './sync-books.js';

/** What each source's close shares within one sync. */
interface SyncPass {
  deps: SyncDependencies;
  context: CloseContext;
  onRawReply: OnRawReply;
  ordersFilesByPanel: ReadonlyMap<string, string[]>;
  ordersFileProblems: string[];
}

/**
 * Takes the close of `asOf` for each selected source, one after the other.
 * A source that fails (after the HTTP layer's retries) is reported and the
 * others go on. A source's close commits in units of work of its own (an
 * ad-network close is one; a panel close books each polled chunk in one and
 * the balance step in the last), so a failure keeps what its units committed.
 */
export async function syncSources(deps: SyncDependencies, request: SyncRequest, books: SyncBooks, proxyBooks: ProxyBooks): Promise<SyncReport> {
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
    },
    onRawReply: rawLanding(books, { asOf: request.asOf, runId: deps.runId, dryRun: request.dryRun }),
    ordersFilesByPanel: await ordersFilesByPanel(panelsAmong(sources, request), request),
    ordersFileProblems: [],
  };
  const reports: SourceSyncReport[] = [];
  for (const source of sources) reports.push(await closeSource(pass, source));
  const report = { asOf: request.asOf, dryRun: request.dryRun, sources: reports, ordersFileProblems: pass.ordersFileProblems };
  return withFindingsListedOnce(report, findingsFolder(deps.config));
}

/** Each panel's orders files: only the headers are read here; each panel's close reads its files' rows and reports the bad ones. */
async function ordersFilesByPanel(panels: readonly PanelSourceConfig[], request: SyncRequest): Promise<Map<string, string[]>> {
  const byPanel = new Map<string, string[]>();
  for (const panel of panels) {
    const paths = [...(panel.ordersFile === undefined ? [] : [panel.ordersFile]), ...(request.ordersFile === undefined ? [] : [request.ordersFile])];
    await refuseUnusableOrdersFiles(paths);
    byPanel.set(panel.id, paths);
  }
  return byPanel;
}

async function closeSource(pass: SyncPass, source: SourceConfig): Promise<SourceSyncReport> {
  const { deps, context, onRawReply } = pass;
  const logger = deps.logger.child({ sourceId: source.id });
  const http = sourceHttp(deps, source, logger);
  try {
    logger.info(`taking the close of ${context.asOf}${context.dryRun ? ' (dry run)' : ''}`);
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
            createPanelClient({ sourceId: source.id, url: source.url, apiKey: source.apiKey, http, clock: deps.clock, onRawReply, batchMode: await storedBatchMode(context.books, source.id) }),
            {
              ordersFiles: pass.ordersFilesByPanel.get(source.id) ?? [],
              onOrdersFileProblems: (problems) => {
                for (const problem of problems) {
                  logger.warn(`orders file row skipped: ${problem}`);
                  pass.ordersFileProblems.push(problem);
                }
              },
              defaultCurrency: source.currency ?? deps.config.currency,
            },
          );
    if (report.error) logger.error(report.error.message);
    else logger.info(`booked ${report.events} events in ${report.entries.length} entries, ${report.findings.length} findings`);
    return report;
  } finally {
    await http.close();
  }
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
