import { loadMappings, type Config } from '../../config/index.js';
import { EXIT, UsageError } from '../../errors.js';
import { createSystemClock } from '../../http/clock.js';
import type { Ledger } from '../../ledger/index.js';
import { CloseJobSchema } from '../../pipeline/queued-sync.js';
import { runSync, syncExitCode } from '../../pipeline/run-sync.js';
import { bookedMovements } from '../../pipeline/sync-money.js';
import { JobQueue } from '../../queue/index.js';
import { lockSources } from '../../store/index.js';
import type { Command, CommandContext } from '../command.js';
import { loadConfigFor, withLedger } from '../load.js';
import { runRecorded } from '../run-recorded.js';
import { waitForStop } from '../wait-for-stop.js';
import { findingsOf, summarize } from './sync.js';
import { positiveInteger, requirePostgresLedger } from '../queue-flags.js';

/** How long a close job waits for another worker still closing the same source before it fails (and is retried). */
const SOURCE_LOCK_WAIT_MS = 60_000;

export const workerCommand: Command = {
  usage: 'ledgerline worker [--concurrency N] [--expiry-check SECONDS]',
  options: {
    concurrency: { type: 'string', value: 'N', description: 'close jobs run at once by this worker (default 1)' },
    'expiry-check': { type: 'string', value: 'S', description: 'how often the queue looks for jobs whose worker died, to retry them (default 60)' },
  },
  examples: [
    'ledgerline worker --concurrency 4      # on each machine; `ledgerline sync --queue` hands out the closes',
  ],
  async run(context) {
    const concurrency = positiveInteger('--concurrency', context.values.concurrency, 1);
    const expiryCheck = positiveInteger('--expiry-check', context.values['expiry-check'], 60);
    const config = loadConfigFor(context, { sources: 'all' });
    requirePostgresLedger(config, 'ledgerline worker');
    const chart = loadMappings({ chartPath: config.mappings }).chart.events;
    return withLedger(config, async (ledger) => {
      const queue = await JobQueue.open(config.ledger, { supervise: true, maintenanceIntervalSeconds: expiryCheck, onError: (message) => context.logger.warn(message) });
      try {
        await queue.work('close', concurrency, (data) => takeClose(context, config, ledger, chart, data));
        context.logger.info(`taking close jobs, ${concurrency} at a time; SIGTERM finishes the jobs in hand and stops`);
        await waitForStop(context.stopSignal);
        context.logger.info('stopping: finishing the jobs in hand');
      } finally {
        await queue.stop();
      }
      return EXIT.ok;
    });
  },
};

/**
 * One close job: the source's sync of the day, as a local `sync --source` runs it, recorded as a `close`
 * run and holding that source's lock (not the whole ledger's). A throw fails the job, which is retried.
 */
async function takeClose(context: CommandContext, config: Config, ledger: Ledger, chart: Parameters<typeof runSync>[0]['chart'], data: unknown): Promise<{ runId: string }> {
  const parsed = CloseJobSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(`a close job on the queue cannot be read: ${parsed.error.message}`);
  const job = parsed.data;
  let runId = '';
  await runRecorded(
    context,
    ledger,
    {
      command: 'close',
      asOf: job.day,
      lock: { kind: 'source', hold: () => lockSources(config.ledger, [job.sourceId], { waitMs: SOURCE_LOCK_WAIT_MS }) },
    },
    async (run) => {
      runId = run.runId;
      const report = await runSync(
        { config, ledger, chart, logger: context.logger, now: context.now, clock: createSystemClock(), redact: context.redact, runId },
        { asOf: job.day, sourceIds: [job.sourceId], dryRun: false },
      );
      const summary = { ...summarize(report, await bookedMovements(ledger, report, runId, [])), findings: findingsOf(report) };
      return { exitCode: syncExitCode(report), summary };
    },
  );
  return { runId };
}
