import { createSystemClock } from '../../../src/http/clock.js';
import { createHttpClient } from '../../../src/http/http-client.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/http/retry-policy.js';
import { silentLogger } from '../../../src/log/logger.js';
import { rawLanding } from '../../../src/pipeline/landing/index.js';
import type { SourceSyncReport } from '../../../src/pipeline/sync/close-context.js';
import { syncPanelClose } from '../../../src/kinds/panel/panel-close.js';
import type { PanelSourceConfig } from '../../../src/kinds/panel/panel-config.js';
import { DEFAULT_CHART } from '../../rules/default-chart.js';
import type { Books } from '../../support/books.js';

/**
 * One panel close of `day` in process, as the sync takes it: a client of its own (the key redacted from what it
 * logs), each raw reply landed, the books' sync port, the run id `run:DAY` (`run:DAY:dry` for a dry run).
 */
export async function closePanelDay(
  books: Books,
  source: PanelSourceConfig,
  { day, ordersFiles, dryRun = false, now }: { day: string; ordersFiles: string[]; dryRun?: boolean; now: Date },
): Promise<SourceSyncReport> {
  const runId = `run:${day}${dryRun ? ':dry' : ''}`;
  const clock = createSystemClock();
  const http = createHttpClient({
    service: source.id,
    timeoutMs: 10_000,
    retry: DEFAULT_RETRY_POLICY,
    clock,
    redact: (text) => text.split(source.apiKey).join('[redacted]'),
  });
  const context = {
    ledger: books.ledger,
    books: books.syncBooks,
    chart: DEFAULT_CHART,
    granularity: 'day' as const,
    asOf: day,
    timezone: 'UTC',
    runId,
    dryRun,
    now: () => now,
    logger: silentLogger,
  };
  try {
    return await syncPanelClose(
      context,
      source,
      { http, clock, onRawReply: rawLanding(books.syncBooks, { asOf: day, runId, dryRun }) },
      { ordersFiles, onOrdersFileProblems: () => undefined, defaultCurrency: 'USD' },
    );
  } finally {
    await http.close();
  }
}
