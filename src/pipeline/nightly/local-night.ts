import type { Config, Mappings } from '../../config/index.js';
import { EXIT, type ExitCode } from '../../errors.js';
import type { Clock } from '../../http/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { Logger } from '../../log/index.js';
import { nightSyncOf, type PostDays, type SyncStep } from './nightly-run.js';
import { entryEvidence, evidenceMappings, refuseUnfitOrganisation, type EvidenceBooks } from '../operations/index.js';
import {
  attachEvidence,
  bankDocumentsLine,
  budgetedClient,
  createTransitDocuments,
  openDestination,
  postEntries,
  type EvidenceAttachmentOutbox,
  type PostDestination,
  type PostOutbox,
  type RefusedEntry,
  type TransitDocumentBooks,
} from '../post/index.js';
import { dayWindows, type RunRecords } from '../runs/index.js';
import { syncNight, type SyncBooks, type SyncNightDependencies } from '../sync/index.js';
import { deliveriesRemovedByRestore } from '../witness/index.js';

interface LocalNightDependencies {
  config: Config;
  mappings: Mappings;
  ledger: Ledger;
  /** What the sync step records and books through: the run's summary, the closes. */
  runs: RunRecords;
  syncBooks: SyncBooks;
  clock: Clock;
  now: () => Date;
  redact: (text: string) => string;
  /** Told the secrets a destination client learns (a refreshed token), so every log and error redacts them. */
  onSecrets: (secrets: readonly string[]) => void;
  /** Each source's kind, for its close. */
  sourceKinds: Pick<SyncNightDependencies, 'closers' | 'readsOrdersFiles' | 'findingWords'> & {
    /** Whether any of these sources lands the bank's statements, for the post's bank-side documents. */
    landBankStatements: (sources: readonly Config['sources'][number][]) => boolean;
  };
  /** The destination a post step opens, by the name schedule.post gives it (from the destination kinds). */
  postDestination: (name: string) => PostDestination;
  /** Whether a panel proxy that can still answer an add is running for this source (absent: assume one may be). */
  proxyAnswering?: (sourceId: string) => boolean;
  /** Each entry's evidence, for a destination whose section says `evidence: attach`, and where its attached files are kept. */
  evidenceBooks: EvidenceBooks;
  /** Each destination's books: its deliveries, its bank-side documents (with the items and legs they follow), its attached files. */
  postOutbox: (destination: string) => PostOutbox;
  transitDocuments: (destination: string) => TransitDocumentBooks;
  evidenceAttachments: (destination: string) => EvidenceAttachmentOutbox;
}

/**
 * The night's steps run in this process (no `schedule.queue`): the sync step is the sync's own root,
 * `syncNight`, as `ledgerline sync` runs it; the post step delivers the synced days. runNightly records,
 * posts and alerts the night from them, as it does a queued night from queuedNightSteps.
 */
export function localNightSteps(deps: LocalNightDependencies): { sync: SyncStep; postDays: PostDays } {
  return {
    sync: async ({ asOf, runId, logger }) => {
      const outcome = await syncNight(
        {
          ...deps,
          ...deps.sourceKinds,
          chart: deps.mappings.chart.events,
          taxBook: deps.mappings.chart.taxBook,
          logger,
          runId,
        },
        { asOf, dryRun: false },
        deps.syncBooks,
      );
      return nightSyncOf(deps.runs, runId, outcome.report, deps.sourceKinds.findingWords);
    },
    postDays: postDaysWith(deps),
  };
}

/**
 * The scheduled run's post step: the delivery `ledgerline post X --from D
 * --to D` makes (outbox, look-ups, each entry exactly once), over the days
 * the scheduler synced, one window per run of consecutive days.
 */
function postDaysWith(deps: LocalNightDependencies): PostDays {
  const { config, ledger, postOutbox, clock, evidenceBooks } = deps;
  return async ({ destination, days, logger, onProgress, stopSignal }) => {
    const to = deps.postDestination(destination);
    const opened = await openNightDestination(deps, to, logger, stopSignal);
    const { bankDocuments, evidenceAttachments } = opened;
    const budgeted = await budgetedClient(postOutbox(opened.client.kind), opened.client, clock.now());
    const { client } = budgeted;
    const evidence =
      to.attachesEvidence?.(config) === true
        ? { books: evidenceBooks, mappings: evidenceMappings(config.mappings) }
        : undefined;
    const refused: RefusedEntry[] = [];
    const windows: unknown[] = [];
    try {
      const unfitAccounts = await refuseUnfitOrganisation(client, { config });
      for (const window of dayWindows(days)) {
        const report = await postEntries({
          outbox: postOutbox(client.kind),
          ledger,
          client,
          window,
          clock,
          log: (line) => logger.info(line),
          onProgress,
          evidence,
          unfitAccounts,
          removedByRestore: deliveriesRemovedByRestore(config.witness, client.kind),
        });
        windows.push({
          ...window,
          posted: report.posted,
          refused: report.refused.length,
          skipped: report.skipped,
          unfinished: report.unfinished,
        });
        refused.push(...report.refused);
        // The destination is failing (limit, authorization, retries spent): later windows would fail the same way.
        if (report.stoppedBy !== undefined) {
          return {
            exitCode: report.stoppedBy.exitCode,
            failure: { errorClass: report.stoppedBy.error, message: report.stoppedBy.message },
            refused,
            summary: windows,
          };
        }
      }
      if (evidence !== undefined && evidenceAttachments !== undefined) {
        windows.push(await attachDaysEvidence(deps, { destination, days, attachments: evidenceAttachments }));
      }
      if (bankDocuments !== undefined) {
        const report = await createDaysTransitDocuments(deps, { destination, days, bankDocuments });
        logger.info(bankDocumentsLine(client.name, report));
        windows.push({ bankDocuments: countsOf(report) });
      }
    } finally {
      await budgeted.record(new Date(clock.now()).toISOString());
      await client.close();
      await bankDocuments?.client.close();
      await evidenceAttachments?.close();
    }
    const exitCode: ExitCode = refused.length > 0 ? EXIT.attention : EXIT.ok;
    return { exitCode, refused, summary: windows };
  };
}

/**
 * The post step's destination, opened as `post` opens it: its stop ends a wait for the destination at once
 * (StopRequestedError), the rest left for the next night.
 */
function openNightDestination(
  deps: LocalNightDependencies,
  to: PostDestination,
  logger: Logger,
  stopSignal: AbortSignal,
): ReturnType<typeof openDestination> {
  const { config, mappings, clock, redact, onSecrets } = deps;
  return openDestination(to, config, {
    mappings,
    clock,
    redact,
    onSecrets,
    log: (line) => logger.info(line),
    stopSignal,
  });
}

/** The synced days: the window `post` would be given for them. */
function windowOfDays(days: readonly string[]): { from: string | undefined; until: string | undefined } {
  const sorted = days.toSorted();
  return { from: sorted[0], until: sorted.at(-1) };
}

/** The evidence of the synced days' entries, attached as `post` attaches it for its window: the run summary's line. */
async function attachDaysEvidence(
  deps: LocalNightDependencies,
  days: { destination: string; days: readonly string[]; attachments: EvidenceAttachmentTarget },
): Promise<unknown> {
  const evidence = { books: deps.evidenceBooks, mappings: evidenceMappings(deps.config.mappings), ledger: deps.ledger };
  const report = await attachEvidence(
    deps.evidenceAttachments(days.destination),
    days.attachments,
    (entryId) => entryEvidence(evidence, entryId),
    {
      window: windowOfDays(days.days),
      now: () => new Date(deps.clock.now()).toISOString(),
    },
  );
  return { evidence: { attached: report.attached.length, ...countsOf(report) } };
}

/** The payouts and top-ups of the synced days, as `post` creates them for its window (any already made are left alone). */
function createDaysTransitDocuments(
  deps: LocalNightDependencies,
  days: { destination: string; days: readonly string[]; bankDocuments: TransitDocumentsTarget },
) {
  const { mappings, clock, config, sourceKinds } = deps;
  return createTransitDocuments(days.bankDocuments, deps.transitDocuments(days.destination), {
    events: mappings.chart.events,
    window: windowOfDays(days.days),
    now: () => new Date(clock.now()).toISOString(),
    landsBankStatements: sourceKinds.landBankStatements(config.sources),
  });
}

/** How many of a post's documents were found, left open and refused (and, for bank documents, created). */
function countsOf(report: {
  created?: readonly unknown[];
  found: readonly unknown[];
  open: readonly unknown[];
  refused: readonly unknown[];
}) {
  return {
    ...(report.created === undefined ? {} : { created: report.created.length }),
    found: report.found.length,
    open: report.open.length,
    refused: report.refused.length,
  };
}

/** What `openDestination` gives for evidence attachments and bank documents, when the destination takes them. */
type OpenedDestination = Awaited<ReturnType<typeof openDestination>>;
type EvidenceAttachmentTarget = NonNullable<OpenedDestination['evidenceAttachments']>;
type TransitDocumentsTarget = NonNullable<OpenedDestination['bankDocuments']>;
