import { createSystemClock, type Clock } from '../../src/http/clock.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import type { OnRawReply } from '../../src/http/index.js';
import { DEFAULT_RETRY_POLICY } from '../../src/http/retry-policy.js';
import { silentLogger } from '../../src/log/logger.js';
import { rawLanding } from '../../src/pipeline/landing/index.js';
import type { CloseContext } from '../../src/pipeline/sync/close-context.js';
import { DEFAULT_CHART } from '../rules/default-chart.js';
import type { Books } from './books.js';
import { syncBooks } from '../../src/pipeline/sync/index.js';

/** What the sync hands a source kind's close of one day: the run's context, a client of the source's own, each raw reply landed. */
export interface InProcessNight {
  context: CloseContext;
  http: HttpClient;
  clock: Clock;
  onRawReply: OnRawReply;
}

/**
 * `close` given the night of `day` on `books` as the sync builds it: daily granularity in UTC, the default chart, a
 * silent logger, a system clock and a client for `source` that redacts its key from what it logs (closed after).
 */
export async function closeInProcess<T>(
  books: Books,
  source: { id: string; apiKey: string },
  { day, runId, dryRun, now }: { day: string; runId: string; dryRun: boolean; now: Date },
  close: (night: InProcessNight) => Promise<T>,
): Promise<T> {
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
    books: books.of(syncBooks),
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
    return await close({
      context,
      http,
      clock,
      onRawReply: rawLanding(books.of(syncBooks), { asOf: day, runId, dryRun }),
    });
  } finally {
    await http.close();
  }
}
