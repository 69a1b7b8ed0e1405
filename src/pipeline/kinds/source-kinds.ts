import {
  bankAccountsOf,
  type BankAccountSource,
  type SourceConfig,
  type SourceConfigKind,
} from '../../config/index.js';
import { panelSourceKind } from '../../kinds/panel/index.js';
import { payelancerSourceKind } from '../../kinds/payelancer/index.js';
import { bankStatementSourceKind } from '../../kinds/bank-statement/index.js';
import type { WebhookSource } from '../../sources/index.js';
import { sourceSeries, type SourceReportFacts } from '../../reads/index.js';
import type { KindReconcileItem } from '../../reads/reconcile-report.js';
import type { LedgerCounts } from '../../ledger/index.js';
import { z } from 'zod';
import { FindingKindSchema, type SourceSilence } from '../../rules/index.js';
import type { BackfillRepoll } from '../backfill/index.js';
import type { SyncBooks } from '../sync/index.js';
import type { StatementImporter } from '../transit/index.js';
import type { FindingVocabulary, KindCommand, KindReads, SourceCapabilities, SourceKind } from './source-kind.js';

/** A finding kind's words as registering reads them: a plug-in's words are input like any other. */
const FindingWordsSchema = z.strictObject({
  title: z.string().min(1),
  nextStep: z.string().min(1),
  class: z.enum(['action', 'information']).optional(),
});

/** The one registry of source kinds: the kinds ledgerline ships, one line each, then any a plug-in registers. */
const registered = new Map<string, SourceKind>();
registerSourceKind(payelancerSourceKind);
registerSourceKind(panelSourceKind);
registerSourceKind(bankStatementSourceKind);

/**
 * Adds a kind of source and returns its undo (the files of a test worker share one registry); a taken name is
 * refused, and so are findings it declares badly or that another kind declares (one kind's words per finding kind).
 */
export function registerSourceKind(kind: SourceKind): () => void {
  if (registered.has(kind.kind)) throw new Error(`a source kind named "${kind.kind}" is already registered`);
  refuseFindingsOf(kind);
  registered.set(kind.kind, kind);
  return () => {
    if (registered.get(kind.kind) === kind) registered.delete(kind.kind);
  };
}

function refuseFindingsOf(kind: SourceKind): void {
  for (const [name, words] of Object.entries(kind.findings ?? {})) {
    const problem = FindingKindSchema.safeParse(name).error ?? FindingWordsSchema.safeParse(words).error;
    if (problem !== undefined)
      throw new Error(
        `source kind "${kind.kind}" declares finding kind "${name}" badly: ${problem.issues[0]?.message}`,
      );
    const other = [...registered.values()].find(
      (each) => each.findings !== undefined && Object.hasOwn(each.findings, name),
    );
    if (other !== undefined)
      throw new Error(
        `source kind "${kind.kind}" declares finding kind "${name}", which kind "${other.kind}" declares`,
      );
  }
}

/** A configured source's kind; the configuration admits only registered kinds, so a source of another kind is a bug. */
function kindOf(source: SourceConfig): SourceKind {
  const kind = registered.get(source.kind);
  if (kind === undefined) throw new Error(`source ${source.id} names kind "${source.kind}", which is not registered`);
  return kind;
}

type Capability = keyof SourceCapabilities;

/** A configured source's capability `name`, from its kind; undefined: its kind has none. */
function capabilityOf<Name extends Capability>(source: SourceConfig, name: Name): SourceCapabilities[Name] | undefined {
  return kindOf(source).capabilities?.[name];
}

/** The capability `name` of each registered kind that has it, in the order they were registered. */
function kindsWith<Name extends Capability>(name: Name): SourceCapabilities[Name][] {
  const each = [...registered.values()].map((kind) => kind.capabilities?.[name]);
  return each.filter((capability): capability is SourceCapabilities[Name] => capability !== undefined);
}

/** What each kind with a capability says, kind by kind in the order they were registered, one read after the other. */
async function fromEachKind<T, Capability>(
  capabilities: readonly Capability[],
  read: (capability: Capability) => Promise<readonly T[]>,
): Promise<T[]> {
  const all: T[] = [];
  for (const capability of capabilities) all.push(...(await read(capability)));
  return all;
}

/** What the commands ask of the registered kinds: never a kind by its name, always a configured source's kind or a capability. */
export const sourceKinds = {
  /** What the configuration needs of every registered kind, for `loadConfig`. */
  config(): readonly SourceConfigKind[] {
    return [...registered.values()];
  },
  /** The kind of a configured source: its closer for the sync, replayer for the backfill, probe for doctor. */
  of: kindOf,
  /** Whether the source's kind reads orders files (--orders-file is for one such source). */
  readsOrdersFiles: (source: SourceConfig): boolean => kindOf(source).ordersFilesOf !== undefined,
  /** Each source's orders-file repoll for a backfill, from its kind (none for a kind that reads no orders files). */
  ordersFileRepolls:
    (books: SyncBooks) =>
    (source: SourceConfig): BackfillRepoll | undefined =>
      capabilityOf(source, 'ordersFileRepoll')?.(books),
  reportFacts: (source: SourceConfig): SourceReportFacts => kindOf(source).reportFacts(source),
  /** Each source's balance account, by source id, as its kind declares it in its report facts (panel_prepaid, …). */
  balanceAccounts: (sources: readonly SourceConfig[]): ReadonlyMap<string, string> =>
    sourceSeries(sources, sourceKinds.reportFacts).balanceAccounts,
  /** What "new data" is for the source's kind (the silent-source finding); undefined: its sources are never silent. */
  silenceOf: (source: SourceConfig): SourceSilence | undefined => capabilityOf(source, 'silence'),
  /** The configured sources whose kind sends webhooks, each with its kind's format, for `ledgerline webhooks`. */
  webhookSources(sources: readonly SourceConfig[]): WebhookSource[] {
    return sources.flatMap((source) => {
      const format = capabilityOf(source, 'webhookFormat');
      return format === undefined ? [] : [{ id: source.id, kind: source.kind, format }];
    });
  },
  /** The spool file a source keeps beside the ledger, from its kind (undefined: none), for `migrate --to`. */
  spoolOf: (source: SourceConfig): { what: string; path: string } | undefined =>
    capabilityOf(source, 'spoolOf')?.(source),
  /** The items every registered kind raises for reconcile, kind by kind in the order they were registered. */
  reconcileItems: (books: KindReads, asOf: string): Promise<KindReconcileItem[]> =>
    fromEachKind(kindsWith('reconcileItems'), (items) => items(books, asOf)),
  /**
   * A source's orders still open since `seenBy`, judged on `judgedOn`, as reconcile's stuck orders in the words of the
   * kinds whose own books hold orders.
   */
  stuckOrders: (books: KindReads, sourceId: string, seenBy: string, judgedOn: string): Promise<KindReconcileItem[]> =>
    fromEachKind(kindsWith('orders'), (orders) => orders.stuckOpen(books, sourceId, seenBy, judgedOn)),
  /** Each source's orders by standing, from the kinds whose own books hold orders, kind by kind (status's counts). */
  ordersBySource: (books: KindReads): Promise<LedgerCounts['openOrders']> =>
    fromEachKind(kindsWith('orders'), (orders) => orders.bySource(books)),
  /** The finding kinds other records settle, as every registered kind declares them, for the store's ports. */
  settledFindings: (): { byTopUp: string[]; byLateOrders: string[] } => {
    const settled = kindsWith('findingsSettled');
    return {
      byTopUp: settled.flatMap((each) => each.byTopUp ?? []),
      byLateOrders: settled.flatMap((each) => each.byLateOrders ?? []),
    };
  },
  /**
   * The finding kinds every registered kind declares, with their words and class, for reconcile, the report, the
   * console and what a sync exits with and alerts.
   */
  findingWords: (): FindingVocabulary =>
    Object.assign({}, ...[...registered.values()].map((kind) => kind.findings ?? {})) as FindingVocabulary,
  /** The items an adjusting entry explains that the registered kinds show, in the order they were registered (adjust's help). */
  explainedByAdjusting: (): string[] => kindsWith('explainedByAdjusting'),
  /** The commands the registered kinds bring, kind by kind in the order they were registered, for the CLI's table. */
  commands: (): KindCommand[] => kindsWith('commands').flat(),
  /** The configured bank accounts whose kind imports statement files (`ledgerline bank import --account`). */
  statementAccounts: (sources: readonly SourceConfig[]): BankAccountSource[] =>
    bankAccountsOf(sources).filter((source) => capabilityOf(source, 'statements') !== undefined),
  /** The import of a statement file of one of those accounts, from its kind. */
  statementImporterOf(source: SourceConfig): StatementImporter {
    const importer = capabilityOf(source, 'statements');
    if (importer === undefined) throw new Error(`source ${source.id} of kind ${source.kind} imports no statements`);
    return importer;
  },
  /** Whether any of these sources lands the bank's statements, as a kind that imports them does (a post's bank-side documents then follow the bank legs). */
  landBankStatements: (sources: readonly SourceConfig[]): boolean =>
    sources.some((source) => capabilityOf(source, 'statements') !== undefined),
  /**
   * What a sync needs: each source's closer, which kinds read orders files, and the findings' words (which are
   * information); and the night's post, who lands statements.
   */
  forSync() {
    return {
      closers: kindOf,
      readsOrdersFiles: sourceKinds.readsOrdersFiles,
      findingWords: sourceKinds.findingWords(),
      landBankStatements: sourceKinds.landBankStatements,
    };
  },
};
