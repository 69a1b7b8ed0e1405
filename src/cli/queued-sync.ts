import { configFingerprint, type Config, type SourceConfig } from '../config/index.js';
import { UsageError, type ExitCode } from '../errors.js';
import { createSystemClock } from '../http/clock.js';
import { RecordedSourceSchema, selectSources } from '../pipeline/runs/index.js';
import { enqueueCloses, recordedCloses, recordedClosesExitCode, waitForCloses, type RecordedClose, refuseUnusableOrdersFiles } from '../pipeline/sync/index.js';
import { JobQueue } from '../queue/index.js';
import { lockQueueSetup } from '../store/index.js';
import type { CommandContext } from './command.js';
import { withBooksFor, writeJson } from './load.js';
import { requirePostgresLedger } from './queue-flags.js';
import { runRecorded } from './run-recorded.js';
import { sourceMoneyLines } from './source-money-text.js';

/** A failed or expired close job is tried this many more times before the sync reports it. */
const CLOSE_JOB_RETRIES = 10;
/** How often the waiting sync looks at its jobs: one statement about those still pending, so often enough not to idle at the night's end. */
const POLL_MS = 250;

export interface QueuedSyncRequest {
  asOf: string;
  sourceIds: readonly string[];
  /** A close job still running this long after it started is taken for dead and retried by another worker. */
  jobExpirySeconds: number;
  /** How long to wait for the workers before giving up (the jobs stay queued). */
  waitSeconds: number;
  /** `--orders-file`, as an absolute path: the panel's close job carries it, and its worker reads it there. */
  ordersFile?: string | undefined;
}

/**
 * `sync --queue`: one close job per source for the day (a no-op for a source whose close is already
 * queued), then, once the workers have run them, the same summary and exit code as a local sync, read
 * back from what each job recorded in the ledger. Recorded as a `sync` run; it takes no lock of its own,
 * since it writes nothing but its record: each worker holds the lock of the source it closes.
 */
export async function runQueuedSync(context: CommandContext, config: Config, request: QueuedSyncRequest): Promise<ExitCode> {
  requirePostgresLedger(config, 'sync --queue');
  const sources = selectSources(config, { sourceIds: request.sourceIds });
  const sourceIds = sources.map((source) => source.id);
  const ordersFile = request.ordersFile === undefined ? undefined : { sourceId: ordersFilePanel(sources), path: request.ordersFile };
  if (ordersFile !== undefined) await refuseUnusableOrdersFiles([ordersFile.path]);
  const fingerprint = configFingerprint(config.file);
  return withBooksFor(config, {}, async (books) => {
    const queue = await JobQueue.open(config.ledger, { setupLock: () => lockQueueSetup(config.ledger), supervise: false, onError: (message) => context.logger.warn(message) });
    try {
      return await runRecorded(context, books.legacyStore, { command: 'sync', asOf: request.asOf, lock: { kind: 'none' } }, async () => {
        const queued = await enqueueCloses(queue, sourceIds, request.asOf, {
          expireInSeconds: request.jobExpirySeconds,
          retryLimit: CLOSE_JOB_RETRIES,
          configFingerprint: fingerprint,
          ...(ordersFile === undefined ? {} : { ordersFile }),
        });
        const already = queued.filter((close) => !close.enqueued).length;
        context.logger.info(`queued the closes of ${request.asOf} for ${queued.length} sources${already > 0 ? ` (${already} already queued)` : ''}; waiting for the workers`);
        const statuses = await waitForCloses(queue, queued, { clock: createSystemClock(), maxWaitMs: request.waitSeconds * 1000, pollMs: POLL_MS });
        const closes = await recordedCloses(books.syncBooks, queued, statuses);
        const summary = {
          asOf: request.asOf,
          sources: closes.flatMap((close) => close.sources),
          ...(closes.some((close) => close.ordersFileProblems !== undefined) ? { ordersFileProblems: closes.flatMap((close) => close.ordersFileProblems ?? []) } : {}),
        };
        printQueuedReport(context, summary, closes);
        return { exitCode: recordedClosesExitCode(closes), summary };
      });
    } finally {
      await queue.stop();
    }
  });
}

/** The one panel among `sources` an orders file is for, as a local sync requires it. */
function ordersFilePanel(sources: readonly SourceConfig[]): string {
  const panels = sources.filter((source) => source.kind === 'panel');
  if (panels.length !== 1) {
    throw new UsageError(panels.length === 0 ? '--orders-file needs a panel source among those synced' : '--orders-file needs --source when several panels are configured');
  }
  return panels[0]!.id;
}

/** What a local sync prints for the same closes (see printReport in commands/sync.ts). */
function printQueuedReport(context: CommandContext, summary: { asOf: string; sources: RecordedClose['sources']; ordersFileProblems?: string[] }, closes: readonly RecordedClose[]): void {
  if (context.json) {
    writeJson(context, { ...summary, dryRun: false, findings: closes.flatMap((close) => close.findings) });
    return;
  }
  const lines = [`sync as of ${summary.asOf}`];
  for (const source of summary.sources) lines.push(...sourceMoneyLines(RecordedSourceSchema.parse(source)));
  for (const problem of summary.ordersFileProblems ?? []) lines.push(`  ! orders file row skipped: ${problem}`);
  context.stdout.write(`${lines.join('\n')}\n`);
}
