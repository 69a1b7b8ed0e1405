import { formatMicros } from '../../money/index.js';
import {
  lineKey,
  linesInReach,
  transitStandings,
  type JournalEntry,
  type LandedBankLine,
  type TransitStanding,
  type TransitState,
  type TransitTerms,
} from '../../rules/index.js';
import { acknowledgeWhatTheBankSettled } from './bank-side-findings.js';
import { bookBankLegs, type BankLegTerms } from './bank-legs.js';
import { clearingResidues, residuesOf, type ClearingResidue } from './clearing-residues.js';
import { handLineKeys, handWords, withLinesMatchedByHand } from './hand-matches.js';
import type { TransitBooks } from './books/transit-books.js';

/** What a destination's read-back says of one item's bank-side document (pipeline/post readBankDocuments). */
export interface DestinationDocument {
  documentId: string;
  reconciled: boolean;
}

/** One payout or top-up as `ledgerline transit --json` writes it (issue 41, item 4). */
export interface TransitReportItem {
  id: string;
  kind: 'payout' | 'topup';
  source: string;
  amount: string;
  currency: string;
  reportedOn: string;
  state: TransitState;
  ageDays: number;
  /**
   * The evidence: the landed bank line that settled it (`byHand` when a person matched it), or the destination's
   * reconciled document (its amount and date the document's).
   */
  match:
    | null
    | { amount: string; date: string; reference: string; bankLine: string; byHand?: true }
    | { amount: string; date: string; reference: string; document: string };
  /** An ambiguous item's equally good lines, for a person to choose one (`ledgerline transit match ID LINE`). */
  candidates?: { amount: string; date: string; reference: string; bankLine: string }[];
}

export interface TransitReport {
  asOf: string;
  items: TransitReportItem[];
  /** What a clearing account holds of items the bank settled (clearing-residues.ts); absent when nothing: the invariant holds. */
  clearingResidues?: ClearingResidue[];
}

/** The states that need a person: exit 1. */
const NEEDS_A_LOOK: ReadonlySet<TransitState> = new Set(['late', 'differs', 'ambiguous']);

export interface TransitOptions {
  asOf: string;
  terms: TransitTerms;
  record: boolean;
  now: Date;
  /** The destinations' read-back by item id: a document reconciled there makes its item `matched`. */
  documents?: ReadonlyMap<string, DestinationDocument>;
  /** With these, each item a bank line settled gets its bank leg booked once (bank-legs.ts): where states are recorded, and after an import. */
  bankLegs?: BankLegTerms;
  /** Told of each difference booked under an earlier acceptance (a late difference), in one line naming the item and the entry. */
  said?: (line: string) => void;
}

/**
 * Every item's standing as of a day, what clearing holds of settled items, and the bank legs booked: before any
 * report is made of it. Unrecorded, with no legs to book, the standings are judged as they are read, once: a
 * caller writing each as it goes never holds a year's 100,000 (issue 72); the residues and `needsALook` are
 * whole once the standings have been read to their end.
 */
export interface TransitJudgement {
  asOf: string;
  /** Oldest first. */
  standings: Iterable<TransitStanding>;
  clearingResidues: ClearingResidue[];
  bankLegsBooked: number;
  /** The entry ids of the bank legs booked, in the order booked. */
  bankLegIds: string[];
  /** Whether any item is late, differs or is ambiguous, or a clearing account holds money of a settled item. */
  needsALook: boolean;
}

/**
 * Every payout and top-up with its state as of a day, oldest first. With `record`, each item whose state is not
 * the one last recorded gets a new record with its evidence (append-only): run nightly, the records are its life.
 * With `bankLegs`, each item a bank line settled has its money moved out of clearing (once per item).
 */
export async function moneyInTransit(
  books: TransitBooks,
  options: TransitOptions,
): Promise<{ report: TransitReport; standings: TransitStanding[]; bankLegsBooked: number; bankLegIds: string[] }> {
  const judged = await judgeTransit(books, options);
  const standings = [...judged.standings];
  return {
    report: transitReport({ ...judged, standings }),
    standings,
    bankLegsBooked: judged.bankLegsBooked,
    bankLegIds: judged.bankLegIds,
  };
}

/**
 * As moneyInTransit, with no report made: a caller writing a year's items (100,000) makes each one's report item
 * as it writes it (transitReportItem), so they are never all held at once (issue 72).
 */
export async function judgeTransit(books: TransitBooks, options: TransitOptions): Promise<TransitJudgement> {
  const [items, accepted, atDestination, words] = await Promise.all([
    books.transitItems(options.terms.eventKinds),
    books.acceptedItems(),
    books.bankSideDocuments(),
    books.linkWords(),
  ]);
  const byHand = handWords(words);
  const lines = withLinesMatchedByHand(
    await books.bankLines(linesInReach(items, options.asOf, options.terms)),
    await books.linesNamed(handLineKeys(byHand)),
  );
  const documents = [...(options.documents ?? new Map<string, DestinationDocument>())];
  const reconciled = new Map(
    documents.filter(([, document]) => document.reconciled).map(([itemId, document]) => [itemId, document.documentId]),
  );
  for (const [itemId] of documents) atDestination.add(itemId);
  const judging = {
    items,
    lines,
    asOf: options.asOf,
    terms: options.terms,
    accepted,
    atDestination,
    reconciled,
    byHand,
  };
  if (!options.record && options.bankLegs === undefined)
    return judgedInTurn(books, options.asOf, transitStandings(judging));
  const standings = [...transitStandings(judging)];
  if (options.record) {
    const recorded = await books.recordedStates();
    const changed = standings.filter((standing) => recorded.get(standing.item.id) !== standing.state);
    await books.unitOfWork((tx) => tx.recordStates(changed, options.asOf, options.now));
  }
  const booked =
    options.bankLegs === undefined
      ? { legs: 0, legIds: [], lateDifferences: [] }
      : await bookBankLegs(books, standings, options.bankLegs, options.now);
  for (const entry of booked.lateDifferences) options.said?.(lateDifferenceLine(entry));
  if (options.bankLegs !== undefined) await acknowledgeWhatTheBankSettled(books, standings, options.now);
  const residues = await clearingResidues(books, standings);
  return {
    asOf: options.asOf,
    standings,
    clearingResidues: residues,
    bankLegsBooked: booked.legs,
    bankLegIds: booked.legIds,
    needsALook: standings.some((standing) => NEEDS_A_LOOK.has(standing.state)) || residues.length > 0,
  };
}

/**
 * A judgement whose standings are judged as they are read: each one's residue and whether it needs a look are
 * noted as it passes, so nothing holds the standings read (the legs and differences are read first, once).
 */
async function judgedInTurn(
  books: TransitBooks,
  asOf: string,
  standings: Iterable<TransitStanding>,
): Promise<TransitJudgement> {
  const residueOf = await residuesOf(books);
  const judgement: TransitJudgement = {
    asOf,
    standings: [],
    clearingResidues: [],
    bankLegsBooked: 0,
    bankLegIds: [],
    needsALook: false,
  };
  judgement.standings = (function* noted() {
    for (const standing of standings) {
      const residues = residueOf(standing);
      judgement.clearingResidues.push(...residues);
      if (NEEDS_A_LOOK.has(standing.state) || residues.length > 0) judgement.needsALook = true;
      yield standing;
    }
  })();
  return judgement;
}

/**
 * The report of a judgement: each item as `transit --json` writes it, and the residues when clearing holds any
 * (read after the items: a judgement in turn has them whole only then).
 */
export function transitReport({ asOf, standings, clearingResidues }: TransitJudgement): TransitReport {
  const report = { asOf, items: Array.from(standings, transitReportItem) };
  return clearingResidues.length === 0 ? report : { ...report, clearingResidues };
}

/** The states in which an item's money is known to have reached the bank. */
const SETTLED: ReadonlySet<TransitState> = new Set(['matched', 'closed']);

/**
 * What blocks closing a month: each payout and top-up reported on or before `periodEnd` that no bank line or
 * reconciled document settled by `asOf` (the close's day: what is known now) and nobody accepted, and each item
 * whose money a clearing account holds though the bank settled it (clearing-residues.ts).
 * Example: closing March on 04-05, payout of 03-31 matched by the line of 04-02 → not listed; top-up of 03-25
 * with no line, late → listed; payout of 04-01 → not March's.
 */
export async function unsettledTransit(
  books: TransitBooks,
  options: TransitOptions & { periodEnd: string },
): Promise<{ id: string; message: string }[]> {
  const { report } = await moneyInTransit(books, { ...options, record: false });
  const accepted = await books.acceptedItems();
  const unsettled = report.items
    .filter((item) => item.reportedOn <= options.periodEnd && !SETTLED.has(item.state) && !accepted.has(item.id))
    .map((item) => ({
      id: item.id,
      message:
        `${item.kind} ${item.id} of ${item.amount} ${item.currency} reported ${item.reportedOn} is ` +
        `${item.state} (${item.ageDays} days); once its bank line is in, or with "ledgerline transit ` +
        `accept ${item.id} --note …"`,
    }));
  // A residue left in clearing blocks the close too, whichever month its item is of: the books would carry it.
  return [...unsettled, ...(report.clearingResidues ?? []).map(({ id, message }) => ({ id, message }))];
}

/** A late difference as a person reads it: the entry, its lines and why. */
function lateDifferenceLine(entry: JournalEntry): string {
  const lines = entry.lines.map(
    (line) =>
      `${line.amountMicros > 0n ? 'Dr' : 'Cr'} ${line.account} ` +
      `${formatMicros(line.amountMicros < 0n ? -line.amountMicros : line.amountMicros)} ${line.currency}`,
  );
  return `booked ${entry.id} dated ${entry.date}: ${lines.join(', ')} (${entry.description})`;
}

/** One standing as `transit --json` writes it. */
export function transitReportItem({
  item,
  state,
  ageDays,
  match,
  document,
  candidates,
}: TransitStanding): TransitReportItem {
  const amount = formatMicros(item.amountMicros);
  // Each optional key added to the object made, not spread into a copy: a year's 100,000 items (issue 72).
  const reported: TransitReportItem = {
    id: item.id,
    kind: item.kind,
    source: item.sourceId,
    amount,
    currency: item.currency,
    reportedOn: item.reportedOn,
    state,
    ageDays,
    match: null,
  };
  if (match !== null) {
    const evidence: TransitReportItem['match'] = lineEvidence(match.line, item.amountMicros, amount);
    if (match.byHand === true) evidence.byHand = true;
    reported.match = evidence;
  } else if (document !== undefined) reported.match = { amount, date: item.reportedOn, reference: item.id, document };
  if (candidates !== undefined) reported.candidates = candidates.map((line) => lineEvidence(line));
  return reported;
}

/** A bank line as the report names it: its amount (`written` when it is `micros`, as a matched payout's is), day, reference and key (account:line id). */
function lineEvidence(
  line: LandedBankLine,
  micros?: bigint,
  written?: string,
): { amount: string; date: string; reference: string; bankLine: string } {
  return {
    amount: line.amountMicros === micros && written !== undefined ? written : formatMicros(line.amountMicros),
    date: line.bookedOn,
    reference: line.reference,
    bankLine: lineKey(line),
  };
}
