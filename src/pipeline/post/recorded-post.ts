import { nextStepFor } from '../../alerts/next-step.js';
import { loadMappings, type Config, type Mappings } from '../../config/index.js';
import {
  openTokenStore,
  type BankDocumentState,
  type DestinationClient,
  type DestinationClientDependencies,
  type EvidenceAttachmentClient,
} from '../../destinations/index.js';
import { EXIT, StopRequestedError } from '../../errors.js';
import type { Clock } from '../../http/index.js';
import type { Ledger } from '../../ledger/index.js';
import { entryEvidence, loadExchangeRates, refuseUnfitOrganisation } from '../operations/index.js';
import { refusedItem, type RecordedResult } from '../runs/index.js';
import type { PostDestination } from './post-destination.js';
import { planPost, type PostPlan } from './post-plan.js';
import { callBudgetToday, recordCallsSpent, withinBudget, type CallBudget } from './call-budget.js';
import { planNights, type BudgetPlan } from './budget-plan.js';
import type { DeliveryWindow, PostOutbox } from './books/post-outbox.js';
import { postEntries, type PostReport } from './post-entries.js';
import type { BankDocumentOutbox } from './books/bank-document-outbox.js';
import { readBankDocuments, type BankDocumentsReport } from './bank-documents.js';
import { createTransitDocuments, type BankDocumentsAt, type TransitDocumentBooks } from './transit-documents.js';
import type { PostEvidence } from './evidence-hashes.js';
import { attachEvidence, type EvidenceAttachmentsReport } from './evidence-attachments.js';
import type { EvidenceAttachmentOutbox } from './books/evidence-attachment-outbox.js';

/** What a post's run records and alerts: its exit code, summary, why it stopped short, and the items to alert. */
type PostRunOutcome = RecordedResult & { summary: unknown };

/** A post's result inside its run: the report of a post or the plan of a dry run, with the run's outcome. */
export type PostRunResult =
  | {
      kind: 'posted';
      report: PostReport;
      bankDocuments?: BankDocumentsReport | undefined;
      evidenceAttachments?: EvidenceAttachmentsReport | undefined;
      outcome: PostRunOutcome;
    }
  | { kind: 'planned'; plan: PostPlan; nights: BudgetPlan; outcome: PostRunOutcome };

interface PostRun {
  config: Config;
  mappings: Mappings;
  client: DestinationClient;
  window: DeliveryWindow;
  dryRun: boolean;
  adoptDelivered: boolean;
  /** Journals a restore listed as removed at this destination (entry id → journal id): confirmed when found again. */
  removedByRestore?: ReadonlyMap<string, string> | undefined;
  clock: Clock;
  log: (line: string) => void;
  /** Called after each recorded request: it keeps the run lock alive. */
  onProgress: () => Promise<void>;
  /** The destination's bank-side documents, when its section asks for them, and the books they are kept in. */
  bankDocuments?: { at: BankDocumentsAt; books: TransitDocumentBooks; landsBankStatements: boolean } | undefined;
  /** Where each entry's evidence is read from, when the destination's section says `evidence: attach`, and where its files go. */
  evidence?:
    | (PostEvidence & {
        attachments?: { client: EvidenceAttachmentClient; outbox: EvidenceAttachmentOutbox } | undefined;
      })
    | undefined;
}

/** What opening a destination's clients needs from outside. */
interface OpeningDependencies {
  mappings?: Mappings;
  clock: Clock;
  redact: (text: string) => string;
  onSecrets: (secrets: readonly string[]) => void;
  log: (line: string) => void;
  /** The process's stop: a wait for the destination's pace ends at once when it aborts. */
  stopSignal?: AbortSignal | undefined;
}

/**
 * The destination's client and the mappings it was built with (the destination's own unless given): built
 * before the ledger is opened, so a destination missing from the configuration stops having touched nothing.
 * With them its bank-side documents' client, when its section asks for bank-side documents.
 */
export async function openDestination(
  to: PostDestination,
  config: Config,
  deps: OpeningDependencies,
): Promise<{
  client: DestinationClient;
  mappings: Mappings;
  bankDocuments: BankDocumentsAt | undefined;
  evidenceAttachments: EvidenceAttachmentClient | undefined;
}> {
  const { mappings, dependencies } = openingOf(to, config, deps);
  const client = await to.createClient(config, mappings, dependencies);
  const bankDocuments = await to.openBankDocuments?.(config, mappings, dependencies);
  const evidenceAttachments = await to.openEvidenceAttachments?.(config, mappings, dependencies);
  return { client, mappings, bankDocuments, evidenceAttachments };
}

/**
 * What the destination says now of the bank-side documents recorded for it, by item id (`transit`'s read-back);
 * undefined when its section does not ask for bank-side documents.
 */
export async function readTransitDocuments(
  to: PostDestination,
  config: Config,
  deps: OpeningDependencies,
  outbox: BankDocumentOutbox,
): Promise<Map<string, BankDocumentState> | undefined> {
  const { mappings, dependencies } = openingOf(to, config, deps);
  const at = await to.openBankDocuments?.(config, mappings, dependencies);
  if (at === undefined) return undefined;
  try {
    return await readBankDocuments(outbox, at.client);
  } finally {
    await at.client.close();
  }
}

function openingOf(
  to: PostDestination,
  config: Config,
  deps: OpeningDependencies,
): { mappings: Mappings; dependencies: DestinationClientDependencies } {
  const mappings =
    deps.mappings ??
    loadMappings({
      chartPath: config.mappings,
      vocabularies: config.vocabularies,
      chartEvents: config.chartEvents,
      destinations: to.mapping === undefined ? [] : [to.mapping],
    });
  const dependencies = {
    tokenStore: openTokenStore(config.tokenStore),
    rates: loadExchangeRates(config.destinations.rates),
    clock: deps.clock,
    redact: deps.redact,
    onSecrets: deps.onSecrets,
    log: deps.log,
    stopSignal: deps.stopSignal,
  };
  return { mappings, dependencies };
}

/**
 * A post (or dry run) inside its recorded run: the checks of `doctor` first, so a refusal is recorded and
 * alerted (an account or setting the organisation cannot take, or credentials it refuses stop the run before
 * anything is sent), then the delivery or its plan, and the outcome the run records and alerts.
 */
export async function postInRun(books: { ledger: Ledger; outbox: PostOutbox }, run: PostRun): Promise<PostRunResult> {
  const budget = await callBudgetToday(books.outbox, run.client, run.clock.now());
  if (run.dryRun || budget === undefined) return postWithin(books, run, budget);
  try {
    return await postWithin(books, { ...run, client: withinBudget(run.client, budget) }, budget);
  } finally {
    await recordCallsSpent(books.outbox, run.client, budget, new Date(run.clock.now()).toISOString());
  }
}

/** postInRun's work, through a client that may refuse a call once the day's budget is spent. */
async function postWithin(
  books: { ledger: Ledger; outbox: PostOutbox },
  run: PostRun,
  budget: CallBudget | undefined,
): Promise<PostRunResult> {
  const { ledger, outbox } = books;
  const { client, window } = run;
  const unfitAccounts = await refuseUnfitOrganisation(client, { config: run.config });
  if (run.dryRun) {
    const plan = await planPost({ ledger, outbox, client, window, unfitAccounts });
    const nightly = { settingsReads: client.callCounts().reads, entriesPerRequest: client.limits.entriesPerRequest };
    return {
      kind: 'planned',
      plan,
      nights: planNights(plan.entries, nightly, vendorsWord(client, budget), plan.calls.total),
      outcome: { exitCode: EXIT.ok, summary: { wouldSend: plan.entries.length, calls: plan.calls.total } },
    };
  }
  const report = await postEntries({ ...run, outbox, ledger, unfitAccounts });
  // A post stopped short (the destination failing) leaves the documents and files to the next post, as it leaves its entries.
  if (report.stoppedBy) return { kind: 'posted', report, outcome: postOutcome(client.kind, report) };
  const now = () => new Date(run.clock.now()).toISOString();
  const bankDocuments =
    run.bankDocuments &&
    (await createTransitDocuments(run.bankDocuments.at, run.bankDocuments.books, {
      events: run.mappings.chart.events,
      window,
      now,
      landsBankStatements: run.bankDocuments.landsBankStatements,
    }));
  const { evidence } = run;
  const attachments = evidence?.attachments;
  const evidenceAttachments =
    attachments &&
    (await attachEvidence(
      attachments.outbox,
      attachments.client,
      (entryId) => entryEvidence({ books: evidence.books, ledger, mappings: evidence.mappings }, entryId),
      { window, now },
    ));
  return {
    kind: 'posted',
    report,
    bankDocuments,
    evidenceAttachments,
    outcome: postOutcome(client.kind, report, bankDocuments, evidenceAttachments),
  };
}

/** A post's report as its run's outcome: stopped early → the stop's exit code and a failure; refusals → exit 1 and an action item each. */
function postOutcome(
  to: string,
  report: PostReport,
  bankDocuments?: BankDocumentsReport,
  attached?: EvidenceAttachmentsReport,
): PostRunOutcome {
  const documents = bankDocuments && {
    created: bankDocuments.created.length,
    found: bankDocuments.found.length,
    open: bankDocuments.open.length,
    refused: bankDocuments.refused.length,
  };
  const evidence = attached && {
    attached: attached.attached.length,
    found: attached.found.length,
    open: attached.open.length,
    refused: attached.refused.length,
  };
  // Asked to stop (SIGTERM) mid-post: nothing failed, so no error and no alert; the next post resumes.
  const stoppedBy = report.stoppedBy?.error === StopRequestedError.name ? undefined : report.stoppedBy;
  return {
    exitCode: report.stoppedBy
      ? report.stoppedBy.exitCode
      : report.refused.length > 0 || (attached?.refused.length ?? 0) > 0
        ? EXIT.attention
        : EXIT.ok,
    summary: {
      posted: report.posted,
      refused: report.refused.length,
      skipped: report.skipped,
      unfinished: report.unfinished,
      ...(documents && { bankDocuments: documents }),
      ...(evidence && { evidence }),
    },
    ...(stoppedBy ? { error: stoppedBy.message } : {}),
    ...(report.stoppedBy && !stoppedBy ? { interrupted: true } : {}),
    alertItems: {
      failures: stoppedBy
        ? [
            {
              subject: to,
              kind: stoppedBy.error,
              message: stoppedBy.message,
              nextStep: nextStepFor(stoppedBy.error, to, [to]),
            },
          ]
        : [],
      actionItems: report.refused.map((refusal) => refusedItem(to, refusal)),
    },
  };
}

/** Today's budget with the calls left as the vendor last said (its word wins over the ledger's count), when it said. */
function vendorsWord(client: DestinationClient, budget: CallBudget | undefined): CallBudget | undefined {
  const left = client.vendorDayRemaining?.();
  return budget === undefined || left === undefined ? budget : { ...budget, left };
}
