import type { Config, SourceConfig } from '../../config/index.js';
import { EXIT, UsageError, type ExitCode, type LedgerlineError } from '../../errors.js';
import type { Clock, RetryPolicy } from '../../http/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { Logger } from '../../log/index.js';
import { formatMicros } from '../../money/index.js';
import type {
  EventRules,
  Finding,
  Granularity,
  JournalEntry,
  PayoutMethod,
  RenderedLine,
  TaxBook,
} from '../../rules/index.js';
import { syncAlertItems, type RunAlertItems } from './run-alerts.js';
import type { RunRecords } from './books/run-records.js';
import { bookedMovements, sourceMoney } from './sync-money.js';
import {
  itemClass,
  listedOnceByKind,
  summedAmount,
  type FindingClasses,
  type FindingGroup,
} from './findings-listed.js';

/**
 * What a sync and a backfill share: the request, the run's dependencies, the report each source
 * gives back, and how a finished report becomes the run's summary, exit code and alert items.
 */
export interface SyncRequest {
  asOf: string;
  /**
   * The newest day a close can read now (a plain sync's day: yesterday, or the sandbox's). A source's first close
   * of an earlier day is refused for a kind whose API tells only the present; unknown (undefined), nothing is refused.
   */
  newestDay?: string | undefined;
  /** Only these sources (default: all configured). */
  sourceIds?: readonly string[] | undefined;
  /** An extra orders file for the (single) panel being synced (a backfill: the orders to ask about again). */
  ordersFile?: string | undefined;
  dryRun: boolean;
  granularity?: Granularity | undefined;
  /**
   * A day before the sources' first close, read for their history by a backfill: each source's state after the
   * history day closed last, carried to the next (CloseContext.history).
   */
  history?: Map<string, unknown> | undefined;
}

export interface SyncDependencies {
  config: Config;
  /** Whether a source's kind reads orders files: `--orders-file` is for exactly one such source among those taken. */
  readsOrdersFiles(source: SourceConfig): boolean;
  /** The registered kinds' words for their findings: which are information, kept for the record and needing nobody. */
  findingWords: FindingClasses;
  ledger: Ledger;
  /** Where the run's summary reads what it booked. */
  runs: RunRecords;
  chart: EventRules;
  /** The chart's tax book (Chart.taxBook): the entries booked take the tax by it; none, none is booked. */
  taxBook?: TaxBook | undefined;
  logger: Logger;
  now: () => Date;
  clock: Clock;
  redact: (text: string) => string;
  runId: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Called as a backfill works through its days (for a progress bar). */
  onProgress?: (done: number, total: number, label: string) => void;
  /** Whether a panel proxy that can still answer an add is running for this source (absent: assume one may be). */
  proxyAnswering?: (sourceId: string) => boolean;
}

export interface BookedPayout {
  date: string;
  /** The ad network's payout method, or a plug-in's payout event kind. */
  method: PayoutMethod | (string & {});
  currency: string;
  amountMicros: bigint;
}

export interface SourceSyncReport {
  sourceId: string;
  outcome: 'booked' | 'failed';
  events: number;
  entries: JournalEntry[];
  findings: Finding[];
  quarantined: number;
  error?: LedgerlineError;
  /** Panel only: how many orders were polled. */
  polled?: number;
  /** Ad network only: the payouts this close booked (the whole receivable, paid on a payout date). */
  payouts?: BookedPayout[];
  /** Backfill only: orders to be asked about again at the next close. */
  repollRequested?: number;
}

export interface SyncReport {
  asOf: string;
  /** A backfill's window (the closes re-read); absent for a sync. */
  window?: { from: string; to: string } | undefined;
  dryRun: boolean;
  sources: SourceSyncReport[];
  /** Rows of the orders files that could not be read and were skipped ("orders.csv line 7: …"): a person must fix them. */
  ordersFileProblems: string[];
}

/** What a sync or backfill gives its caller: the report, and what the run record, the output and the alerts take from it. */
export interface SyncOutcome {
  report: SyncReport;
  /** A dry run's planned entries rendered in cents, one list per entry of the report (empty outside a dry run). */
  plannedCents: RenderedLine[][];
  summary: SyncSummary;
  exitCode: ExitCode;
  alertItems: RunAlertItems;
}

type SyncSummary = Awaited<ReturnType<typeof syncSummary>>;

/** The report read into what its run records, prints and alerts: one reading for `sync`, `schedule` and `worker`. */
export async function syncOutcome(
  { ledger, runs, findingWords }: Pick<SyncDependencies, 'ledger' | 'runs' | 'findingWords'>,
  report: SyncReport,
  runId: string,
): Promise<SyncOutcome> {
  const plannedCents = report.dryRun
    ? await ledger.previewCents(report.sources.flatMap((source) => source.entries))
    : [];
  return {
    report,
    plannedCents,
    summary: await syncSummary(runs, report, runId, plannedCents, findingWords),
    exitCode: syncExitCode(report, findingWords),
    alertItems: syncAlertItems(report, findingWords),
  };
}

/** What --json prints and the run record keeps (`status` shows it): per source, the counts and the money booked. */
async function syncSummary(
  runs: RunRecords,
  report: SyncReport,
  runId: string,
  plannedCents: readonly RenderedLine[][],
  findingWords: FindingClasses,
) {
  const movements = await bookedMovements(runs, report, runId, plannedCents);
  return {
    ...(report.window ? { window: report.window } : { asOf: report.asOf }),
    sources: report.sources.map((source) => ({
      sourceId: source.sourceId,
      outcome: source.outcome,
      events: source.events,
      entries: source.entries.map((entry) => entry.id),
      findings: findingCount(source.findings),
      quarantined: source.quarantined,
      ...(source.polled === undefined ? {} : { polled: source.polled }),
      ...(source.error ? { error: source.error.message } : {}),
      ...sourceMoney(source, movements, findingWords),
    })),
    ...(report.ordersFileProblems.length > 0 ? { ordersFileProblems: report.ordersFileProblems } : {}),
  };
}

/** The findings as --json prints them, amounts in decimal text. */
export function findingsOf(report: SyncReport) {
  return report.sources.flatMap((source) =>
    source.findings.map((found) => ({
      ...found,
      amount: found.amountMicros === undefined ? undefined : formatMicros(found.amountMicros, 2),
      amountMicros: undefined,
    })),
  );
}

/** 3 when a source failed, 1 when something needs a person (an action finding, a quarantined reply, a skipped orders-file row), else 0 (DESIGN §6). */
export function syncExitCode(report: SyncReport, findingWords: FindingClasses): ExitCode {
  if (report.sources.some((source) => source.outcome === 'failed')) return EXIT.external;
  if (report.ordersFileProblems.length > 0) return EXIT.attention;
  // A finding kept for the record (a computed refund, a carried payout) needs nobody: the night stays 0.
  if (
    report.sources.some(
      (source) =>
        source.findings.some((found) => itemClass(found.kind, findingWords) === 'action') || source.quarantined > 0,
    )
  )
    return EXIT.attention;
  return EXIT.ok;
}

/** The sources a sync takes: those named (each must be configured), else every configured one. */
export function selectSources(config: Config, request: Pick<SyncRequest, 'sourceIds'>): SourceConfig[] {
  if (!request.sourceIds || request.sourceIds.length === 0) return config.sources;
  const unknown = request.sourceIds.filter((id) => !config.sources.some((source) => source.id === id));
  if (unknown.length > 0) {
    throw new UsageError(
      `--source ${unknown.join(', ')}: no such source in ${config.file} (configured: ${config.sources.map((source) => source.id).join(', ')})`,
    );
  }
  return config.sources.filter((source) => request.sourceIds!.includes(source.id));
}

/** The sources taken whose kind reads orders files; an --orders-file names one source's orders, so it needs exactly one among them. */
export function ordersFileReaders(
  sources: readonly SourceConfig[],
  request: Pick<SyncRequest, 'ordersFile'>,
  readsOrdersFiles: (source: SourceConfig) => boolean,
): SourceConfig[] {
  const readers = sources.filter(readsOrdersFiles);
  if (request.ordersFile !== undefined && readers.length !== 1) {
    throw new UsageError(
      readers.length === 0
        ? '--orders-file needs a panel source among those synced'
        : '--orders-file needs --source when several panels are configured',
    );
  }
  return readers;
}

/** A sync's finding as listed: a group carries the count it stands for and the file of its refs. */
type ListedFinding = Finding & { count?: number; refsFile?: string };

/**
 * The report with each source's findings listed once per kind and day beyond LISTED_ONE_BY_ONE: what the sync
 * summary, --json, the run record and the alert show. The ledger keeps every finding; `reconcile` groups them alike.
 */
export function withFindingsListedOnce(report: SyncReport, folder: string): SyncReport {
  return {
    ...report,
    sources: report.sources.map((source) => ({
      ...source,
      findings: listedOnceByKind(source.findings, (found) => found.sourceId, folder).map((entry) =>
        'item' in entry ? entry.item : groupFinding(entry.group),
      ),
    })),
  };
}

/** How many findings `findings` stands for, a group counting as its members. */
export function findingCount(findings: readonly ListedFinding[]): number {
  return findings.reduce((count, found) => count + (found.count ?? 1), 0);
}

function groupFinding(group: FindingGroup<Finding>): ListedFinding {
  const first = group.members[0]!;
  const sum = summedAmount(group.members, (found) =>
    found.amountMicros === undefined || found.currency === undefined
      ? undefined
      : { micros: found.amountMicros, currency: found.currency },
  );
  const { amountMicros: _amount, currency: _currency, ...rest } = first;
  return {
    ...rest,
    ...(sum === undefined ? {} : { amountMicros: sum.micros, currency: sum.currency }),
    id: group.id,
    ref: group.refsFile,
    message: group.message,
    count: group.members.length,
    refsFile: group.refsFile,
  };
}
