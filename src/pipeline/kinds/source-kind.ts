import type { SourceConfig, SourceConfigKind } from '../../config/index.js';
import type { WebhookFormat } from '../../sources/index.js';
import type { BackfillRepoll, SourceReplayer } from '../backfill/index.js';
import type { SourceProbe } from '../operations/index.js';
import type { LedgerReads, SourceReportFacts } from '../../reads/index.js';
import type { KindReconcileItem } from '../../reads/reconcile-report.js';
import type { LedgerCounts } from '../../ledger/index.js';
import type { SourceSilence } from '../../rules/index.js';
import type { SourceCloser, SyncBooks } from '../sync/index.js';
import type { BooksOf } from '../../store/index.js';
import type { StatementImporter } from '../transit/index.js';

/**
 * A kind of source, as kysely's Dialect bundles what a database needs: each
 * use case declares the part it needs (the configuration its entry, the sync
 * its close, the backfill its replay, `doctor` its probe, the report its
 * series) and a kind brings them all. `kind` is the word a source names in
 * ledgerline.yaml (`kind: panel`). docs/adding-a-source.md walks through one.
 */
export interface SourceKind extends SourceConfigKind, SourceCloser, SourceReplayer, SourceProbe {
  readonly kind: string;
  /** What the report draws of a source of this kind. */
  reportFacts(source: SourceConfig): SourceReportFacts;
  /**
   * The finding kinds its closes raise, and the items it adds to reconcile, each with its words (title and next
   * step): reconcile, the report and the console say them. A kind raises no finding it does not declare here.
   */
  readonly findings?: FindingVocabulary;
  /** What only some kinds can do: the use cases find it through the registry (source-kinds.ts, `kindsWith('orders')`), never by a kind's name. */
  readonly capabilities?: Partial<SourceCapabilities>;
}

/** The capabilities a kind of source may bring, by name. */
export interface SourceCapabilities {
  /** How its webhooks read, for a kind whose vendor sends them: `ledgerline webhooks` then takes them for its sources. */
  readonly webhookFormat: WebhookFormat;
  /**
   * For a kind whose sources are bank accounts: how a statement file of one is imported (`ledgerline bank import`).
   * Its sources land the bank's statements: a post's bank-side documents then follow the bank legs.
   */
  readonly statements: StatementImporter;
  /** For a kind whose sources read orders files: how a backfill reads --orders-file and asks about its orders again. */
  readonly ordersFileRepoll: (books: SyncBooks) => BackfillRepoll;
  /** What "new data" is for its sources, for the silent-source finding; a kind without it is never called silent. */
  readonly silence: SourceSilence;
  /**
   * For a kind whose sources keep a spool file beside the ledger (records the next sync imports once each): what a
   * person calls it and where the source's configuration reads it, so `migrate --to` carries it.
   */
  readonly spoolOf: (source: SourceConfig) => { what: string; path: string };
  /**
   * Items it raises for reconcile as of `asOf`, from its own books and the ledger's (a panel's balance its books
   * disagree with, the panel proxy's adds without an outcome), each of a kind it declares in `findings`.
   */
  readonly reconcileItems: (books: KindReads, asOf: string) => Promise<KindReconcileItem[]>;
  /** Which of the finding kinds it declares other records settle: a top-up's bank line, or orders learned after them. */
  readonly findingsSettled: { readonly byTopUp?: readonly string[]; readonly byLateOrders?: readonly string[] };
  /** For a kind whose sources hold orders in its own books: what reconcile (the ones open too long) and status (their counts) read of them. */
  readonly orders: SourceOrderReads;
  /** The commands it brings (the panel's `ledgerline panel-proxy`): help lists them after `webhooks`, in registering order. */
  readonly commands: readonly KindCommand[];
  /** An item of its sources a person's adjusting entry explains, by id, as `adjust --explains` takes it: adjust's help shows it. */
  readonly explainedByAdjusting: string;
}

/**
 * A command a kind brings, from its folder: its name and help's summary, and its module, loaded only when it runs.
 * `load` gives a `Command` (src/cli/command.ts), which the CLI's table takes it as: the registry does not type the CLI.
 */
export interface KindCommand {
  readonly name: string;
  readonly summary: string;
  /** How it opens the ledger, as a line of the CLI's command table says it (app/ledger-mode.ts; `write`: a ledger that is there). */
  readonly ledger: 'create' | 'write' | 'read' | 'read-only' | 'none';
  load(): Promise<unknown>;
}

/**
 * The finding kinds a kind of source raises, each in a bookkeeper's words: what happened (a title, no full stop),
 * and what to do next; and, for one listed only for the record, `class: 'information'` (default: an action item,
 * which makes the sync exit 1 and the night alert). Example: { unknown_order: { title: 'An order the panel does not
 * know', nextStep: 'Check … , then acknowledge it with a note (…).' } }.
 */
export type FindingVocabulary = Readonly<
  Record<string, { readonly title: string; readonly nextStep: string; readonly class?: 'action' | 'information' }>
>;

/** What the read side reads of a kind's orders, from its own books. */
export interface SourceOrderReads {
  /**
   * A source's orders still open that the ledger first saw on or before `seenBy`, oldest first, as reconcile's items
   * judged on `judgedOn` (the source's latest close), each of a kind it declares in `findings`.
   */
  stuckOpen(books: KindReads, sourceId: string, seenBy: string, judgedOn: string): Promise<KindReconcileItem[]>;
  /** The orders of each of its sources by standing (open, unknown, terminal), by source id. */
  bySource(books: KindReads): Promise<LedgerCounts['openOrders']>;
}

/**
 * A kind's own books as the books a command opened hand them (`books.of(panelReads)`): over the store's handle, so
 * only its reads; and the ledger's reads, which its reconcile items hold its books against.
 */
export interface KindReads extends BooksOf {
  readonly ledgerReads: Pick<LedgerReads, 'latestBalanceCloses' | 'journal'>;
}
