import type { DestinationKind } from '../config/index.js';
import type { LockedPeriodError, RequestRejectedError } from '../errors.js';
import type { RenderedEntry } from '../ledger/rendered-entry.js';
import type { QuickbooksCompanyFacts } from './quickbooks/quickbooks-organisation-checks.js';
import type { XeroOrganisationFacts } from './xero/xero-organisation-checks.js';

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

/** What a destination's organisation holds that posting depends on, read once per client. */
export type DestinationOrganisation = { kind: 'xero'; facts: XeroOrganisationFacts } | { kind: 'quickbooks'; facts: QuickbooksCompanyFacts };

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
  readonly kind: DestinationKind;
  /** As messages name it: "Xero", "QuickBooks". */
  readonly name: string;
  readonly limits: DestinationLimits;
  /**
   * Refuses, before anything is sent, an entry this destination cannot take as
   * configured: ConfigError for an unmapped account (the pipeline gathers
   * these and stops), another LedgerlineError for a problem of the entry alone.
   */
  check(entry: RenderedEntry): void;
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
  callCounts(): DestinationCallCounts;
  close(): Promise<void>;
}
