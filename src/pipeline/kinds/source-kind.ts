import type { SourceConfig, SourceConfigKind } from '../../config/index.js';
import type { WebhookFormat } from '../../sources/index.js';
import type { BackfillRepoll, SourceReplayer } from '../backfill/index.js';
import type { SourceProbe } from '../operations/index.js';
import type { SourceReportFacts } from '../../reads/index.js';
import type { SourceSilence } from '../../rules/index.js';
import type { SourceCloser, SyncBooks } from '../sync/index.js';
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
  /** How its webhooks read, for a kind whose vendor sends them: `ledgerline webhooks` then takes them for its sources. */
  readonly webhookFormat?: WebhookFormat;
  /** Whether its sources land the bank's statements: a post's bank-side documents then follow the bank legs. */
  readonly landsBankStatements?: true;
  /** For a kind whose sources are bank accounts: how a statement file of one is imported (`ledgerline bank import`). */
  readonly statements?: StatementImporter;
  /** What the report draws of a source of this kind. */
  reportFacts(source: SourceConfig): SourceReportFacts;
  /** For a kind whose sources read orders files: how a backfill reads --orders-file and asks about its orders again. */
  ordersFileRepoll?(books: SyncBooks): BackfillRepoll;
  /** What "new data" is for its sources, for the silent-source finding; a kind without it is never called silent. */
  readonly silence?: SourceSilence;
  /**
   * For a kind whose sources keep a spool file beside the ledger (records the next sync imports once each): what a
   * person calls it and where the source's configuration reads it, so `migrate --to` carries it.
   */
  spoolOf?(source: SourceConfig): { what: string; path: string };
}
