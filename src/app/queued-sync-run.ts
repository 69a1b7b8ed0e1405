import type { Config } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import { selectSources, runRecords } from '../pipeline/runs/index.js';
import {
  planQueuedSync,
  queuedSyncNight,
  refusePastDays,
  type QueuedSyncOutcome,
  type QueuedSyncRequest,
  parkedSources,
  syncBooks,
} from '../pipeline/sync/index.js';
import { JobQueue } from '../queue/index.js';
import { locks } from '../store/index.js';
import type { AppProcess } from './app-process.js';
import { withEachBooks } from './configured-books.js';
import { runRecorded } from './run-recorded.js';
import { withFleetPings } from './pinged-runs.js';

/** How a queued sync reaches the queue and the books, and hands back what it did: the command's ways. */
interface QueuedSyncWiring {
  /** The ledger whose database holds the job queue (the first entity's). */
  queueLedger(): string;
  /** Given each entity's outcome (in the configurations' order) once every entity's run is recorded. */
  show(outcomes: readonly QueuedSyncOutcome[]): void;
}

/**
 * `sync --queue`: every entity's closes (the one --entity names, else each of the file's) handed to the one queue at
 * once, so four workers close both entities' sources side by side; each entity's part recorded as a `sync` run in its
 * own ledger and shown as a local sync of it is. It takes no lock of its own, since it writes nothing but its
 * records: each worker holds the lock of the source it closes.
 */
export async function runQueuedSync(
  context: AppProcess,
  configs: readonly Config[],
  request: QueuedSyncRequest,
  wiring: QueuedSyncWiring,
): Promise<ExitCode> {
  if (configs.length === 1) return queuedSyncOf(context, configs, request, wiring);
  // Over several entities, the fleet's check watches the process, as around a local sync of every entity.
  const names = configs.map((config) => config.entity!);
  return withFleetPings(
    context,
    configs[0]!,
    `sync of the fleet (${names.join(', ')})`,
    () => queuedSyncOf(context, configs, request, wiring),
    (code) => code,
  );
}

/** Each entity's part of the queued night, each recorded (and pinged to its own check) in its own ledger. */
async function queuedSyncOf(
  context: AppProcess,
  configs: readonly Config[],
  request: QueuedSyncRequest,
  wiring: QueuedSyncWiring,
): Promise<ExitCode> {
  const queueLedger = wiring.queueLedger();
  const plans = await Promise.all(configs.map((config) => planQueuedSync(config, request, sourceKinds.of)));
  return withEachBooks(configs, context.ledger, async (books) => {
    // No date a source cannot vouch for (issue 69): refused before any close is queued, as a local sync refuses it.
    for (const [index, config] of configs.entries())
      await refusePastDays(sourceKinds.of, books[index]!.of(syncBooks), selectSources(config, request), request);
    const queue = await JobQueue.open(queueLedger, {
      setupLock: () => locks.holdQueueSetup(queueLedger),
      supervise: false,
      onError: (message) => context.logger.warn(message),
    });
    let night: Promise<QueuedSyncOutcome[]> | undefined;
    const outcomes = () =>
      (night ??= queuedSyncNight(
        queue,
        configs.map((config, index) => ({
          entity: config.entity,
          books: {
            runSummaries: books[index]!.of(syncBooks).runSummaries,
            parkedSources: books[index]!.of(parkedSources),
          },
          plan: plans[index]!,
        })),
        { logger: context.logger, clock: context.clock },
      ));
    try {
      // Each entity's run is recorded in its own ledger around the one night they share.
      const codes = await Promise.all(
        configs.map((config, index) =>
          runRecorded(
            context,
            books[index]!.of(runRecords),
            { command: 'sync', asOf: request.asOf, lock: { kind: 'none' }, config },
            async () => {
              const { exitCode, summary } = (await outcomes())[index]!;
              return { exitCode, summary };
            },
          ),
        ),
      );
      wiring.show(await outcomes());
      return Math.max(...codes) as ExitCode;
    } finally {
      await queue.stop();
    }
  });
}
