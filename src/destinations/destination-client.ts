import type { LockedPeriodError, RequestRejectedError } from '../errors.js';
import type { BankDocumentRequest } from '../ledger/index.js';
import type { RenderedEntry, TaxChart, TaxFlows } from '../rules/index.js';
import type { OrganisationCheck } from './organisation-check.js';

/** What a destination allows, for chunking, pacing and the dry-run forecast. */
export interface DestinationLimits {
  /** Journals in one create request: Xero about 50, a QuickBooks batch 30. */
  entriesPerRequest: number;
  /** API calls in flight at once. */
  maxInFlight: number;
  /** API calls of any kind per minute. */
  requestsPerMinute: number;
  /** Write requests per minute, when lower than requestsPerMinute (QuickBooks: 40 batches). */
  writesPerMinute?: number;
  /** API calls per day, when the destination counts them (Xero: 5000). */
  requestsPerDay?: number;
}

/** A definite answer for one entry of a create request. */
export type DeliveryOutcome =
  | { status: 'posted'; remoteId: string }
  /** The destination refused this entry and stored nothing for it; the others of the request are unaffected. */
  | { status: 'refused'; error: LockedPeriodError | RequestRejectedError };

/** The rate an entry in a foreign currency is delivered at, and where it came from. */
export interface Conversion {
  currency: string;
  base: string;
  /** Base-currency units per one unit of `currency`, decimal text as supplied ("1.0825"). */
  rate: string;
  /** "rates.csv 2024-02-15", "config destinations.rates.fixed.EUR". */
  source: string;
}

/** The rate of `currency` for an entry dated `date`, or undefined when none is known. */
export type ExchangeRateLookup = (currency: string, date: string) => { rate: string; source: string } | undefined;

/** The rate a delivery kept (null for an entry that went out unconverted) and where the rate came from. */
export interface DeliveredRate {
  exchangeRate: string | null;
  rateSource: string | null;
}

/** One line as the destination holds it: its account there (Xero code, QuickBooks id) and signed base-currency cents. */
export interface RemoteLine {
  account: string;
  cents: bigint;
}

/** The tax the destination stores on one coded line: its code there (Xero TaxType, QuickBooks TaxCodeRef value and name) and signed cents (+debit). */
export interface RemoteTax {
  code: string;
  name?: string | undefined;
  cents: bigint;
  /** The coded line's amount (its base, tax included as the journal went out), signed like it, when the reply gives it. */
  baseCents?: bigint | undefined;
}

/**
 * A posted journal read back from the destination; `witness`: the entry id and chain hash its narration or note
 * carries (journalNarration); `taxes`: its coded lines' tax.
 */
export type RemoteJournal =
  | {
      state: 'present';
      lines: RemoteLine[];
      witness?: { entryId: string; chainHash: string } | undefined;
      taxes?: RemoteTax[] | undefined;
    }
  | { state: 'removed'; status: string };
/** What a destination's organisation is held to besides its own section and mapping, which its client knows. */
export interface OrganisationExpectations {
  /** The ledger's currency (ledgerline.yaml `currency`). */
  currency: string;
  configFile: string;
  /** Dates of the entries not yet delivered to this destination, for the lock-date check. */
  unpostedDates: readonly string[];
  /**
   * `doctor`: the ledger accounts those entries are booked to. With them a mapped account that fails is a
   * warning while no such entry uses it, and an account they use that the mapping leaves out is a failure.
   */
  usedAccounts?: ReadonlySet<string> | undefined;
}

/** What a destination's organisation holds that posting depends on, read once per client, checked as `doctor` lists and `post` starts. */
interface DestinationOrganisation {
  checks(expected: OrganisationExpectations): OrganisationCheck[];
}

export interface DestinationCallCounts {
  reads: number;
  writes: number;
}

/**
 * One accounting destination as the post pipeline drives it. Each method is
 * bounded in time and attempts.
 *
 * The contract that makes exactly-once delivery possible is in `send`: it
 * either returns an outcome for every entry, or throws OutcomeUnknownError
 * when the write may have been carried out (a timeout after sending, a
 * dropped connection, a 5xx), or throws anything else only when nothing was
 * written (429 past the budget, the daily limit, authentication, a request
 * refused whole before processing).
 */
export interface DestinationClient {
  /** Its destination kind's name, which keys its outbox and token: xero, quickbooks. */
  readonly kind: string;
  /** As messages name it: "Xero", "QuickBooks". */
  readonly name: string;
  /** The organisation's base (home) currency as configured: entries in another are converted. */
  readonly baseCurrency: string;
  readonly limits: DestinationLimits;
  /**
   * Refuses, before anything is sent, an entry this destination cannot take as
   * configured: ConfigError for an unmapped account (the pipeline gathers
   * these and stops), another LedgerlineError for a problem of the entry alone.
   */
  check(entry: RenderedEntry): void;
  /**
   * For a destination that numbers journals from the entries (QuickBooks' DocNumber): a watcher fed every
   * entry the post reads, in book order, that answers why an entry must be held back when an earlier entry
   * already holds its number, and undefined otherwise.
   */
  journalNumberClash?(): (entry: RenderedEntry) => string | undefined;
  /**
   * Whether every line of the entry nets to zero on the account and code it would be sent to (a reclassification
   * between two ledger accounts mapped alike, issue 82): then the entry is skipped, never sent, as an entry of no cents is.
   */
  deliversNothing?(entry: RenderedEntry): boolean;
  /**
   * Its section creates a bank-side document per payout and top-up (`transit.createBankDocuments`): a Xero
   * BankTransaction (RECEIVE or SPEND coded to clearing) or QuickBooks Transfer moves each bank leg between
   * clearing and the bank there, so the ledger's bank legs
   * (je:bank-leg:…) are settled at the destination by those documents and never sent, or the move would count twice.
   */
  readonly createsBankDocuments?: boolean;
  /**
   * With createsBankDocuments, the ledger's bank accounts (the statement sources' ledgerAccount) whose two-line
   * entries (an `adjust` booking the rent off the statement) it settles by a bank-side document too, as a bank
   * leg (rules isBankSideEntry): Xero takes no manual journal on a bank account. Undefined: bank legs only.
   */
  readonly bankLedgerAccounts?: ReadonlySet<string>;
  /**
   * What a bank-side document ledgerline recorded there moved in its clearing account, base-currency cents
   * (+debit): its trial balance holds the transfers beside the journals, so the tie-out counts them with what was
   * posted. Example: payout po-7's BankTransaction of 312.40 received, coded to 631, → { account: '631', cents: -31240n }.
   */
  clearingMove?(document: BankDocumentRequest): RemoteLine;
  /**
   * The bank-side documents created under these references (adjusting entries' ids), each read back as a journal
   * with its coded lines' tax, by reference, with the document's id (issue 82): the tax tie-out counts them with the
   * journals. Undefined: the destination's bank-side documents carry no tax.
   */
  documentTaxes?(references: readonly string[]): Promise<Map<string, { documentId: string; held: RemoteJournal }>>;
  /** The last locked day (YYYY-MM-DD): entries dated on or before it cannot be posted. Undefined when nothing is locked. */
  lockDate(): Promise<string | undefined>;
  /**
   * Reads the organisation (chart of accounts, tax rates and tracking, or the
   * classes, locations, customers and vendors the mapping names; lock dates,
   * currency, country) once; later calls, and lockDate(), reuse it. From then
   * on, names in the mapping are sent as the ids the organisation gave them.
   */
  organisation(): Promise<DestinationOrganisation>;
  /** Asks the token endpoint for a new access token (rotating the refresh token where the destination does), as `doctor` checks it. */
  refreshToken(): Promise<void>;
  /** Which of these entries the destination already holds, by entry id, with the remote id of each. */
  findPosted(entries: readonly RenderedEntry[]): Promise<Map<string, string>>;
  /** Creates the entries (at most limits.entriesPerRequest) in one request carrying `requestKey`. */
  send(entries: readonly RenderedEntry[], requestKey: string): Promise<Map<string, DeliveryOutcome>>;
  /**
   * The idempotency key of a create request for these entries. `attempt`
   * changes it after a definite refusal, which the destination would
   * otherwise replay.
   */
  requestKey(entries: readonly RenderedEntry[], attempt: number): string;
  /**
   * The conversion of an entry not in the destination's base currency
   * (undefined for one that is); throws MissingRateError when no rate is known.
   */
  conversion(entry: RenderedEntry): Conversion | undefined;
  /**
   * What the destination should hold for an entry delivered at the rate its `delivery` kept (none: unconverted),
   * summed per remote account: the journal's own lines (in the currency it
   * carries, `currency`) and their effect on the books in the base currency.
   * What a close certifies of each journal, and what a read-back is compared with.
   */
  expectedLines(
    entry: RenderedEntry,
    delivery: DeliveredRate,
  ): { journal: RemoteLine[]; base: RemoteLine[]; currency: string };
  /** Reads posted journals back by remote id, in pages; an id missing from the map is not there at all. */
  readBack(remoteIds: readonly string[]): Promise<Map<string, RemoteJournal>>;
  /**
   * The mapping's tax flows when this destination codes the lines it is sent (issue 54), for the tax tie-out;
   * undefined when it codes none (no tax section, or a US QuickBooks company, which takes no code on a journal).
   */
  taxSetup?(): Promise<{ flows: TaxFlows; chart: TaxChart; untaxedCode?: string | undefined } | undefined>;
  /** Every journal the destination holds dated `from` to `to`, whoever entered it, in pages (a destination that cannot list them leaves it out). */
  journalsDated?(from: string, to: string): Promise<Map<string, RemoteJournal>>;
  /** Each account's balance (debit − credit, base-currency cents) through `asOf`, by remote account. */
  balances(asOf: string): Promise<Map<string, bigint>>;
  callCounts(): DestinationCallCounts;
  /** The organisation its calls count against (Xero's tenant id, QuickBooks' realm id): the key of its call budget. */
  readonly organisationId?: string;
  /** The calls left today as the vendor's last answer said (Xero's X-DayLimit-Remaining); undefined when none was sent. */
  vendorDayRemaining?(): number | undefined;
  close(): Promise<void>;
}
