/**
 * The records the books keep besides the journal, as the use cases read them and the store writes them: one
 * definition each, which a use case's port names and the store's implementation returns (issue 39).
 */

/** Entry dates, inclusive; an open end means every entry on that side. */
export interface DeliveryWindow {
  from?: string | undefined;
  until?: string | undefined;
}

/** One entry's delivery to a destination, as the outbox holds it. */
export interface Delivery {
  entryId: string;
  state: 'pending' | 'sending' | 'posted' | 'refused' | 'skipped';
  remoteId: string | null;
  requestKey: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
  /** The rate of an entry sent in a foreign currency, and where it came from. */
  exchangeRate: string | null;
  rateSource: string | null;
}

/** Where one entry's delivery to the destination stands. */
export type DeliveryState = Delivery['state'];

/** The rate an entry goes out at, when it is in a foreign currency. */
export interface SentRate {
  rate: string;
  source: string;
}

/** What the destination did with one entry it was sent, as the outbox records it. */
export type DeliveryOutcome =
  { status: 'posted'; remoteId: string } | { status: 'refused'; error: { message: string } };

/**
 * How a run ended: `ok` (nothing needs a person), `attention` (open action items), `failed`, `interrupted`
 * (it died holding the ledger), or `refused` (another run held the ledger: nothing was done, and nothing is wrong).
 */
export type RunOutcome = 'ok' | 'attention' | 'failed' | 'interrupted' | 'refused';

/** The run a lock was taken over from: it ended without releasing the ledger (killed, crashed). */
export interface AbandonedRun {
  runId: string;
  pid: string;
  host: string;
  /** Whether its record was still open and is now marked interrupted. */
  markedInterrupted: boolean;
}

/** A recorded run as `status` and the console list it: which command, when it ran, how it ended, the day it was for. */
export interface RecordedRun {
  id: string;
  command: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  asOf: string | null;
  error: string | null;
}

/** What `status` counts in the ledger: entries, recent runs, orders, what is unposted, open findings, quarantine, latest closes. */
export interface LedgerCounts {
  entries: number;
  lastEntryDate: string | null;
  runs: RecordedRun[];
  openOrders: { sourceId: string; open: number; unknown: number; terminal: number }[];
  unposted: { destination: string; entries: number; refused: number }[];
  discrepancies: { kind: string; open: number }[];
  /** Balance falls the orders learned after them explained whole: resolved by those orders, not open (present when there are any). */
  explainedFalls?: number;
  quarantined: number;
  lastCloses: { sourceId: string; date: string }[];
}

/** A person's word on a reconcile item, as kept: who said it, when, and the note given with an ack. */
export interface Acknowledgement {
  action: 'ack' | 'unack';
  note: string | null;
  user: string;
  at: string;
}

/** Debits and credits, exact and as rendered for the destinations in whole cents. */
export interface DebitCreditTotals {
  debitMicros: bigint;
  creditMicros: bigint;
  debitCents: bigint;
  creditCents: bigint;
}

/** An account's totals over a period (or the whole ledger), in one currency. */
export interface AccountTotals extends DebitCreditTotals {
  /** "2026-03-31" by day, "2026-03" by month, null when not split. */
  period: string | null;
  account: string;
  currency: string;
}

/** One source's lines on one account and currency; `date` is null in a total over everything before a day. */
export interface AccountMovement extends DebitCreditTotals {
  date: string | null;
  sourceId: string;
  account: string;
  currency: string;
}

/** How `balances --by` splits the figures. */
export const BALANCE_PERIODS = ['day', 'month'] as const;
export type BalancePeriod = (typeof BALANCE_PERIODS)[number];

export interface AccountTotalsFilter {
  /** Entries dated on or after (a movement over a period); left out: from the first entry. */
  from?: string | undefined;
  /** Entries dated on or before. */
  to?: string | undefined;
  sourceId?: string | undefined;
  /** Split the totals per day or per calendar month of the entries' dates. */
  by?: BalancePeriod | undefined;
}

/** What one destination holds of the entries dated in a window. */
export interface DeliverySummary {
  destination: string;
  posted: number;
  /** Not delivered yet: no row, pending, or sending (a refused entry is counted apart). */
  unposted: number;
  refused: number;
  /** Left out on purpose (an entry whose lines all rendered to zero cents). */
  skipped: number;
}

/** A committed close as the close log keeps it, with the figure the books count from (as recorded, or as a later replay re-read it). */
export interface LoggedClose {
  closeId: bigint;
  date: string;
  runId: string;
  metric: string;
  valueMicros: bigint;
  currency: string;
}

/** A close as the close log keeps it: what the next close compares with, and the run whose replies a replay reads. */
export interface CloseTaken extends Omit<LoggedClose, 'closeId'> {
  sourceId: string;
  rawObservationId: bigint | number | undefined;
  now: Date;
}

/** A panel fall a close explained by a late charge, named by the event that booked it. */
export interface BookedFallExplanation {
  findingId: string;
  sourceId: string;
  orderId: string;
  amountMicros: bigint;
  currency: string;
  date: string;
  eventId: string;
}

/** What the proxy learnt of an add: the panel placed it (an order id), did not, or nobody can tell. */
export const ADD_OUTCOMES = ['placed', 'not_placed', 'unknown'] as const;
export type AddOutcomeKind = (typeof ADD_OUTCOMES)[number];

/** An `add` request as the proxy keeps it, before the panel is asked. */
export interface AddRequestRecord {
  requestId: string;
  sourceId: string;
  service: string | null;
  quantity: bigint | null;
  /** As orders are dated: "2026-03-02T17:25:48.120+00:00" in the books' time zone. */
  requestedAt: string;
  /** The machine's clock, ISO UTC. */
  receivedAt: string;
  keptVia: 'ledger' | 'spool';
}

/** What came of a request, as the books keep it. */
export interface AddOutcomeRecord {
  requestId: string;
  outcome: AddOutcomeKind;
  orderId: string | null;
  httpStatus: number | null;
  /** The landed reply it was read from (landAddReply), when the panel answered. */
  rawObservationId: bigint | null;
  /** Why the outcome is unknown ("no answer: timed out…"), for the person reading reconcile. */
  detail: string | null;
  answeredAt: string;
  keptVia: 'ledger' | 'spool';
}

/** A request that may have placed an order nobody can name: no outcome was kept, or the outcome is unknown. */
export type UnansweredAddRequest = Omit<AddRequestRecord, 'keptVia'> & {
  /** Null when no outcome was kept at all (the proxy stopped before the panel answered). */
  detail: string | null;
};

/** A close whose balance read came after a request, and the balance_fall finding it made, if any. */
export interface CloseAfterRequest {
  date: string;
  /** When the balance reply arrived (its raw row's fetched_at), or when the close was logged. */
  readAt: string;
  fall: { id: string; amountMicros: bigint | null; currency: string | null; resolvedAt: string | null } | undefined;
}

/**
 * A run of entries as the hash chain reads them (issue 42, and 52: the cents; issue 56: each entry's columns once,
 * not once per line): entries in append order (seq), then their exact lines (by seq, then line number) and the
 * rendered lines kept apart in rendered_lines (their rounding lines; every rendered line of an entry booked before
 * migration 0015), each row an array as the engine gives it. `verify` and `close` chain them and recompute the cents.
 */
export interface ChainChunk {
  entries: [
    seq: bigint,
    id: string,
    date: string,
    sourceId: string,
    description: string,
    eventIdsJson: string,
    chainHash: string | null,
    contentHash: string,
    /** 1 for a reclassification rendered in pairs (migration 0040). */
    reclassification: bigint | number,
  ][];
  /** cents: those kept for export and delivery (null on a line booked before migration 0015). */
  lines: [
    seq: bigint,
    account: string,
    currency: string,
    amountMicros: bigint,
    description: string | null,
    cents: bigint | null,
  ][];
  rendered: [seq: bigint, account: string, currency: string, cents: bigint, description: string | null][];
}

/** A close as a record of the hash chain (migration 0026): where it sits (after the entry of seq afterSeq; 0n: before any) and its link. */
export interface ChainCloseRecord extends ClosedPeriod {
  afterSeq: bigint;
  chainHash: string;
}

/**
 * A tax return marked filed (`ledgerline vat file`, issue 70): its period and dates, the form (VAT, BAS, GST101A),
 * the currency, each box's figure as decimal text (UK {"1": "12.80", …}; AU {"G1": …, "1A": …}), the SHA-256 of
 * the return as `vat` printed it, when (ISO instant) and by whom (the operating-system user).
 */
export interface FiledReturn {
  period: string;
  from: string;
  to: string;
  form: string;
  currency: string;
  boxes: Record<string, string>;
  returnSha256: string;
  filedAt: string;
  filedBy: string;
}

/** A month closed by `ledgerline close` (migration 0018): the chain head its certificate names and the certificate's SHA-256. */
export interface ClosedPeriod {
  period: string;
  periodEnd: string;
  chainHead: string;
  certificateSha256: string;
  closedAt: string;
  closedBy: string;
}

/**
 * One bank-side document to create at a destination: for a payout the money arriving in the bank account from its
 * clearing account, for a top-up the money leaving the bank account to the top-up clearing account. The item's id
 * is the document's Reference, which is how it is found again. In Xero an adjusting entry of a statement line no
 * item took goes the same way: its entry id as the item's, kind payout for money in and topup for money out, its
 * other account in clearingAccount.
 * Example: payout po-7 of 312.40 USD due 2026-11-14 from payout_clearing_paypal (631 in mappings/xero.yaml) →
 * Xero bank transaction RECEIVE 312.40 into 090 (the configured bank account) coded to 631, Reference "po-7", Date 2026-11-14.
 */
export interface BankDocumentRequest {
  /** The payout's or top-up's id (or an adjusting entry's): the document's Reference. */
  itemId: string;
  kind: 'payout' | 'topup';
  /** Micro-units, positive. */
  amount: bigint;
  currency: string;
  /** The day it is due at the bank, YYYY-MM-DD. */
  date: string;
  /** The ledger account the item sits in until it reaches the bank (payout_clearing_paypal, topup_clearing): the client maps it as journals are mapped. */
  clearingAccount: string;
  /** The destination's own bank account (Xero code, QuickBooks id): `transit.bankAccount` in its section. */
  bankAccount: string;
  /**
   * An adjusting entry's source (`adjustments`), by which its other line is coded as the ledger counts it (issue 82);
   * undefined for a payout's or top-up's, whose clearing account no tax rule codes.
   */
  sourceId?: string | undefined;
}

/** What the books hold of one item's bank-side document at one destination: the intent alone, or the document's id too. */
export type BankDocumentRecord = { state: 'intent' } | { state: 'created'; documentId: string };

/** An adjusting entry as kept beside its journal entry: who booked it, when and why, and its approval. */
export interface AdjustmentRecord {
  entryId: string;
  /** The entry's accounting date. */
  date: string;
  reason: string;
  madeBy: string;
  /** ISO 8601. */
  madeAt: string;
  /** The reconcile item the entry explains (`--explains`), acknowledged with it. */
  explains: string | null;
  /** Whether a second person must approve it before it is posted (adjustments.requireApproval when it was booked). */
  needsApproval: boolean;
  approval: { by: string; at: string } | null;
}
