import type { Config } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import { createSystemClock } from '../http/index.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import { RecordedSourceSchema, selectSources } from '../pipeline/runs/index.js';
import {
  planQueuedSync,
  queuedSyncNight,
  refusePastDays,
  type QueuedSyncOutcome,
  type QueuedSyncRequest,
} from '../pipeline/sync/index.js';
import { JobQueue } from '../queue/index.js';
import { lockQueueSetup } from '../store/index.js';
import type { CommandProcess } from './command.js';
import { queueLedgerFor, requirePostgresLedgers, withEachBooks } from './entity-queue.js';
import { writeJson } from './load.js';
import { runRecorded } from '../app/run-recorded.js';
import { withFleetPings } from '../app/run-pings.js';
import { sourceMoneyLines } from '../reads/index.js';

/**
 * `sync --queue`: every entity's closes (the one --entity names, else each of the file's) handed to the one queue at
 * once, so four workers close both entities' sources side by side; each entity's part recorded as a `sync` run in its
 * own ledger and printed as a local sync of it prints. It takes no lock of its own, since it writes nothing but its
 * records: each worker holds the lock of the source it closes.
 */
export async function runQueuedSync(
  context: CommandProcess,
  configs: readonly Config[],
  request: QueuedSyncRequest,
): Promise<ExitCode> {
  requirePostgresLedgers(configs, 'sync --queue');
  if (configs.length === 1) return queuedSyncOf(context, configs, request);
  // Over several entities, the fleet's check watches the process, as around a local sync of every entity.
  const names = configs.map((config) => config.entity!);
  return withFleetPings(
    context,
    configs[0]!,
    `sync of the fleet (${names.join(', ')})`,
    () => queuedSyncOf(context, configs, request),
    (code) => code,
  );
}

/** Each entity's part of the queued night, each recorded (and pinged to its own check) in its own ledger. */
async function queuedSyncOf(
  context: CommandProcess,
  configs: readonly Config[],
  request: QueuedSyncRequest,
): Promise<ExitCode> {
  const queueLedger = queueLedgerFor(context, configs[0]!);
  const plans = await Promise.all(configs.map((config) => planQueuedSync(config, request, sourceKinds.of)));
  return withEachBooks(configs, async (books) => {
    // No date a source cannot vouch for (issue 69): refused before any close is queued, as a local sync refuses it.
    for (const [index, config] of configs.entries())
      await refusePastDays(sourceKinds.of, books[index]!.syncBooks, selectSources(config, request), request);
    const queue = await JobQueue.open(queueLedger, {
      setupLock: () => lockQueueSetup(queueLedger),
      supervise: false,
      onError: (message) => context.logger.warn(message),
    });
    let night: Promise<QueuedSyncOutcome[]> | undefined;
    const outcomes = () =>
      (night ??= queuedSyncNight(
        queue,
        configs.map((config, index) => ({
          entity: config.entity,
          books: { runSummaries: books[index]!.syncBooks.runSummaries, parkedSources: books[index]!.parkedSources },
          plan: plans[index]!,
        })),
        { logger: context.logger, clock: createSystemClock() },
      ));
    try {
      // Each entity's run is recorded in its own ledger around the one night they share.
      const codes = await Promise.all(
        configs.map((config, index) =>
          runRecorded(
            context,
            books[index]!.runRecords,
            { command: 'sync', asOf: request.asOf, lock: { kind: 'none' }, config },
            async () => {
              const { exitCode, summary } = (await outcomes())[index]!;
              return { exitCode, summary };
            },
          ),
        ),
      );
      const shown = await outcomes();
      configs.forEach((config, index) => {
        if (configs.length > 1) context.stderr.write(`entity ${config.entity!}:\n`);
        printQueuedOutcome(context, shown[index]!);
      });
      return Math.max(...codes) as ExitCode;
    } finally {
      await queue.stop();
    }
  });
}

/** What a local sync prints for the same closes (see reads' syncOutcomeLines). */
function printQueuedOutcome(context: CommandProcess, { summary, closes }: QueuedSyncOutcome): void {
  if (context.json) {
    writeJson(context, { ...summary, dryRun: false, findings: closes.flatMap((close) => close.findings) });
    return;
  }
  const lines = [`sync as of ${summary.asOf}`];
  for (const source of summary.sources) lines.push(...sourceMoneyLines(RecordedSourceSchema.parse(source)));
  for (const problem of summary.ordersFileProblems ?? []) lines.push(`  ! orders file row skipped: ${problem}`);
  context.stdout.write(`${lines.join('\n')}\n`);
}
