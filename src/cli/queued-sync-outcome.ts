import type { Config } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { QueuedSyncOutcome, QueuedSyncRequest } from '../pipeline/sync/index.js';
import { queuedSyncJson, queuedSyncLines } from '../reads/sync-outcome-text.js';
import type { CommandProcess } from './command.js';
import { queueLedgerFor, requirePostgresLedgers } from './entity-queue.js';
import { writeJson } from './write-json.js';
import { runQueuedSync } from '../app/queued-sync-run.js';

/**
 * `sync --queue` over each entity's PostgreSQL ledger, its queue in the first entity's database, each entity's
 * outcome printed as a local sync of it prints (after its name on stderr, over several entities).
 */
export function syncThroughQueue(
  context: CommandProcess,
  configs: readonly Config[],
  request: QueuedSyncRequest,
): Promise<ExitCode> {
  requirePostgresLedgers(configs, 'sync --queue');
  return runQueuedSync(context, configs, request, {
    queueLedger: () => queueLedgerFor(context, configs[0]!),
    show: (outcomes) =>
      configs.forEach((config, index) => {
        if (configs.length > 1) context.stderr.write(`entity ${config.entity!}:\n`);
        printQueuedOutcome(context, outcomes[index]!);
      }),
  });
}

/** What a local sync prints for the same closes (reads' queuedSyncJson and queuedSyncLines). */
function printQueuedOutcome(context: CommandProcess, outcome: QueuedSyncOutcome): void {
  if (context.json) writeJson(context, queuedSyncJson(outcome));
  else context.stdout.write(`${queuedSyncLines(outcome).join('\n')}\n`);
}
