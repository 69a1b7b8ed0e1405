import type { Config, DestinationConfigKind, DestinationMappingKind } from '../config/index.js';
import type { ConnectionSetup } from './connection-state.js';
import type { ConnectOutcome } from './consent/connect-flow.js';
import type { VendorConsent } from './consent/vendor-consent.js';
import type { PostDestination } from '../pipeline/post/post-destination.js';
import type { LedgerExportFormat, LedgerExportRequest } from '../reads/ledger-export.js';
import type { LedgerReads } from '../reads/books/ledger-reads.js';
import type { Writable } from 'node:stream';

/**
 * A kind of destination: everything ledgerline needs to know of it, in one bundle, as a kysely `Dialect`
 * bundles what a database needs. Each capability is optional; a kind has the ones it can do. The commands,
 * help and configuration ask the registry (destination-kinds.ts) for the kinds with a capability instead of
 * naming any kind.
 */
export interface DestinationKind {
  /** The word the command line and the configuration use: `export --format hledger`, `destinations.xero`. */
  readonly name: string;
  /** The mapping file it reads beside the chart (xero.yaml), when its accounts are not the chart's own. */
  readonly mapping?: DestinationMappingKind;
  /** Its section under `destinations:` in ledgerline.yaml, when it has settings. */
  readonly config?: DestinationConfigKind;
  /** `export --format NAME`: a file the books are written to. */
  readonly exportFormat?: DestinationExportFormat;
  /** `post`, `doctor --to`, `reconcile --with`, `connect`, `disconnect`: a book-keeping service ledgerline talks to. */
  readonly api?: DestinationApi;
  /**
   * What init writes of its section for an accountant's file format: `example`, the section's lines (indented two
   * spaces under `destinations:`) with illustrative values, live in the sandbox's configuration so the export works on
   * its books; commented for `init --for csv` under `ask`, what to ask the accountant for.
   */
  readonly initSection?: { readonly example: string; readonly ask: string };
  /** The region its section says the organisation is in (`destinations.xero.region`): `vat` makes that region's return. */
  taxRegion?(config: Config): string | undefined;
}

/** What a destination with an API brings: its client (for post, doctor, reconcile) and its consent (for connect). */
export interface DestinationApi extends Pick<
  PostDestination,
  'createClient' | 'openBankDocuments' | 'attachesEvidence' | 'openEvidenceAttachments'
> {
  /** The service as help and messages name it: "Xero", "QuickBooks Online". */
  readonly service: string;
  /** Whose developer app its credentials come from, as the fix for a missing section says: "Xero", "Intuit". */
  readonly appVendor: string;
  /** What connect and disconnect need of its section; undefined when the configuration has none. */
  consent(config: Config): Promise<VendorConsent | undefined>;
  /** What connect says it connected: `organisation "Acme Ltd" (tenant …)`, `company 9130…`. */
  describeConnection(connection: ConnectOutcome['connection']): string;
  /** What its section says of the connection (a pasted refresh token, a custom connection); undefined without a section. */
  connectionSetup(config: Config): ConnectionSetup | undefined;
  /** Whether its section asks ledgerline to create the bank-side documents of payouts and top-ups (`transit.createBankDocuments`). */
  createsBankDocuments(config: Config): boolean;
  /**
   * The ledger's bank accounts whose two-line entries (an `adjust` of a statement line) it settles by a bank-side
   * document rather than a journal, so they need no mapping there (Xero with transit.createBankDocuments: it takes
   * no manual journal on a bank account); empty where it takes such entries as journals.
   */
  bankSideAccounts?(config: Config): ReadonlySet<string>;
  /** What `init --for NAME` writes and says for the real service. */
  readonly production: ProductionSetup;
}

/** A destination's part of a production configuration: its section, the variables it reads, the redirect URI to register. */
interface ProductionSetup {
  /** Its entry under `destinations:`, indented two spaces, every line explained. */
  readonly section: string;
  readonly variables: readonly string[];
  /** What to register in the vendor's developer portal, in a sentence. */
  readonly redirect: string;
  /**
   * `init --region`: the commented tax section its mapping file gets for a business registered there (issue 54);
   * live for a `rehearsal` against the sandbox playing the region (issue 70).
   */
  taxSection?(region: string, registered: boolean, rehearsal?: boolean): string;
}

/** What `export` writes for a kind; the format's name is the kind's. */
export interface DestinationExportFormat extends Omit<LedgerExportFormat, 'name' | 'write' | 'fileName'> {
  /** What `export --help` says of it, after its name: "Xero's manual journal import (CSV)". */
  readonly description: string;
  /** Writes the entries of the request's window to `out` (ending it when `endOut`); says what it wrote. */
  write(reads: LedgerReads, request: DestinationExportRequest, out: Writable, endOut: boolean): Promise<string>;
  /** The file's own name where the format's rules give one (a FEC's `<SIREN>FEC<AAAAMMJJ>.txt`). */
  fileName?(request: DestinationExportRequest): string;
  /** The last day ("MM-DD") of the fiscal years its section keeps, when the format is of a fiscal year (a FEC, a DATEV header). */
  fiscalYearEnd?(config: Pick<Config, 'destinations'>): string | undefined;
}

/** What the registry hands a kind's export: the request, and what the kinds of the configured sources declare. */
export interface DestinationExportRequest extends LedgerExportRequest {
  /**
   * Each configured source's balance account, by source id, as its kind declares it: a reported balance is asserted
   * on the source's one (hledger, Beancount). A source the configuration no longer names has none.
   */
  readonly balanceAccounts: ReadonlyMap<string, string>;
  /**
   * The fiscal year the window sits in, by the format's fiscalYearEnd: the one holding `to` (else `from`, else the
   * day before `madeAt`). Undefined for a format that keeps no fiscal year.
   */
  readonly fiscalYear: { start: string; end: string } | undefined;
}
