import type { Config } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import { openDestination, postInRun, postOutbox, type DeliveryWindow } from '../pipeline/post/index.js';
import type { AppProcess } from './app-process.js';
import { withBooksFor } from './configured-books.js';
import { configuredAlerts } from './configured-alerts.js';
import { postDestinationNamed } from './destination-choices.js';
import { sidePartsOf } from './post-side-parts.js';
import { runRecorded } from './run-recorded.js';
import { runRecords } from '../pipeline/runs/index.js';

/** A run whose heartbeat is older than this is presumed dead; one request waits at most minutes (429s), never this long. */
const RUN_LOCK_STALE_MS = 30 * 60_000;

/** A post's result inside its run (pipeline/post's PostRunResult, which its index does not name): a report or a plan. */
export type PostRunResult = Awaited<ReturnType<typeof postInRun>>;

/** What a recorded post is asked for, and how it reaches the books and its reader. */
export interface RecordedPostRequest {
  dryRun: boolean;
  /** With dryRun: the budget's plan (calls, calls left today, days, order) is what `show` is asked to print. */
  plan?: boolean;
  adoptDelivered?: boolean;
  /** Given the destination's name and the post's result (its report, or a dry run's plan) inside the run. */
  show: (name: string, result: PostRunResult) => void;
}

/**
 * A recorded post (or dry run) to `to` over `window`, on the ledger's books opened as a writer's and holding their
 * run lock: what `post` runs, and what a worker runs for a `post --queue` job.
 */
export async function postTo(
  context: AppProcess,
  config: Config,
  to: string,
  window: DeliveryWindow,
  request: RecordedPostRequest,
): Promise<ExitCode> {
  const destination = postDestinationNamed(to);
  const { client, mappings, bankDocuments, evidenceAttachments } = await openDestination(destination, config, {
    clock: context.clock,
    redact: context.redact,
    onSecrets: context.addSecrets,
    log: (line) => context.logger.info(line),
    stopSignal: context.stopSignal,
  });
  const alerts = request.dryRun ? undefined : configuredAlerts(context, config); // a dry run is someone at the terminal
  try {
    return await withBooksFor(config, context.ledger, (books) =>
      runRecorded(
        context,
        books.of(runRecords),
        {
          command: request.plan === true ? 'post --plan' : request.dryRun ? 'post --dry-run' : 'post',
          staleAfterMs: RUN_LOCK_STALE_MS,
          alerts: alerts && { to: alerts, label: `post to ${to}`, destinations: [to] },
          config: request.dryRun ? undefined : config,
        },
        async ({ runId, beat }) => {
          const result = await postInRun(
            { ledger: books.ledger, outbox: books.of(postOutbox, client.kind) },
            {
              config,
              mappings,
              client,
              window,
              dryRun: request.dryRun,
              adoptDelivered: request.adoptDelivered === true,
              clock: context.clock,
              log: (line) => context.logger.info(line, { runId }),
              onProgress: beat,
              ...sidePartsOf(books, config, destination, client.kind, { bankDocuments, evidenceAttachments }),
            },
          );
          request.show(client.name, result);
          logAttachedEvidence(
            context,
            client.name,
            runId,
            result.kind === 'posted' ? result.evidenceAttachments : undefined,
          );
          return result.outcome;
        },
      ),
    );
  } finally {
    await client.close();
    await bankDocuments?.client.close();
    await evidenceAttachments?.close();
  }
}

/** What became of the evidence files, in the run's log: counted, and each refusal with its reason. */
function logAttachedEvidence(
  context: AppProcess,
  name: string,
  runId: string,
  attached: Extract<PostRunResult, { kind: 'posted' }>['evidenceAttachments'],
): void {
  if (attached === undefined) return;
  context.logger.info(
    `${name}: evidence files attached ${attached.attached.length}, found already there ${attached.found.length}, ` +
      `left open ${attached.open.length}, refused ${attached.refused.length}`,
    { runId },
  );
  for (const refusal of attached.refused)
    context.logger.warn(`${name}: evidence ${refusal.file} not attached: ${refusal.reason}`, { runId });
}
