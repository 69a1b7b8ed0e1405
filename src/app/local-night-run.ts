import { sourceKinds } from '../pipeline/kinds/index.js';
import type { Config, Mappings, ScheduleConfig } from '../config/index.js';
import { localNightSteps, runNightly, type NightlyRunResult } from '../pipeline/nightly/index.js';
import { syncBooks } from '../pipeline/sync/index.js';
import { panelProxyMayRun } from './ledger-holders.js';
import { postDestinationNamed } from './destination-choices.js';
import type { AppProcess } from './app-process.js';
import { witnessedSyncStep } from '../pipeline/witness/index.js';
import type { Books } from './books.js';
import { lateMoneyInTransit } from './late-money-in-transit.js';
import { chainHeadReads, closedPeriodDrift } from './night-verification.js';
import { localRunLock } from './local-run-lock.js';
import { entityAlertSender } from './configured-alerts.js';
import { withRunPings } from './pinged-runs.js';
import { syncStepWithSilence } from '../pipeline/status/index.js';
import { evidenceBooks } from '../pipeline/operations/index.js';
import { runRecords } from '../pipeline/runs/index.js';
import { evidenceAttachmentOutbox, postOutbox } from '../pipeline/post/index.js';
import { transitDocumentBooks } from './post-side-parts.js';

/** The local night over these books: its steps, pings, alerts, run lock and the reads it re-verifies (the schedule command adds the digest due after it). */
export function nightlyRun(
  context: AppProcess,
  config: Config,
  schedule: ScheduleConfig,
  mappings: Mappings,
  books: Books,
  /** The configuration read again with the destinations' sections, for the closed periods' re-verification. */
  withDestinations: (names: string[]) => Config,
): () => Promise<NightlyRunResult> {
  const steps = localNightSteps({
    config,
    mappings,
    ledger: books.ledger,
    runs: books.of(runRecords),
    syncBooks: books.of(syncBooks),
    clock: context.clock,
    now: context.now,
    redact: context.redact,
    onSecrets: context.addSecrets,
    sourceKinds: sourceKinds.forSync(),
    postDestination: postDestinationNamed,
    proxyAnswering: (sourceId) => panelProxyMayRun(config.ledger, sourceId),
    evidenceBooks: books.of(evidenceBooks),
    postOutbox: (destination) => books.of(postOutbox, destination),
    transitDocuments: (destination) => transitDocumentBooks(books, config, destination),
    evidenceAttachments: (destination) => books.of(evidenceAttachmentOutbox, destination),
  });
  const alerts = entityAlertSender(context, config);
  return () =>
    withRunPings(
      context,
      config,
      'the scheduled night',
      () =>
        runNightly({
          runs: books.of(runRecords),
          schedule,
          sandboxClock: config.sandboxClock,
          ...steps,
          sync: witnessedSyncStep(config.witness, books, syncStepWithSilence(books, config, steps.sync)),
          alerts,
          tokenExpiry: { tokenStorePath: config.tokenStore, withinDays: config.alerts.tokenExpiryDays },
          logger: context.logger,
          now: context.now,
          stopSignal: context.stopSignal,
          redact: context.redact,
          lock: {
            choice: localRunLock(
              config,
              config.sources.map((source) => source.id),
            ),
          },
          ...lateMoneyInTransit(context, config, books),
          ...closedPeriodDrift(context, config, books, withDestinations),
          chainHead: chainHeadReads(books),
        }),
      (result) => result.exitCode,
    );
}
