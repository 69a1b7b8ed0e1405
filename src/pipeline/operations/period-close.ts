import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastDayOfMonth } from '../../calendar/index.js';
import { UsageError } from '../../errors.js';
import { CHAIN_GENESIS, type ClosedPeriod, type Ledger, type SealHead } from '../../ledger/index.js';
import type { RemoteLine } from '../../destinations/index.js';
import { formatCents } from '../../money/index.js';
import type { RenderedEntry } from '../../rules/index.js';
import { PARTIAL, putInPlace, settleInterruptedCertificates } from './certificate-file.js';
import { verifyChain, type ChainPosition, type ChainVerification } from './chain-verification.js';
import type { SealBooks } from './books/seal-books.js';
import { sealBooks } from './books/seal-books.js';
import type { BooksOf } from '../../store/index.js';

/** The books a close reads and writes, bound to its unit of work. */
interface ClosingBooks extends BooksOf {
  ledger: Ledger;
}

/** What `ledgerline close --period` hands the close: what the command read of the destinations and the reports. */
interface PeriodCloseRequest {
  /** YYYY-MM. */
  period: string;
  /** Today in the books' time zone: a month is closed once it is over. */
  today: string;
  /** Each configured destination with an API, the lock date read from it (undefined: none set) and what it holds of an entry posted there. */
  destinations: readonly DestinationToClose[];
  /** The action items dated by the period end that nobody acknowledged (`reconcile --as-of <end>`), each with what settles it if not an ack. */
  openActionItems: (periodEnd: string) => Promise<readonly { id: string; message: string; nextStep?: string }[]>;
  /** Payouts and top-ups reported on or before the period end that nothing settled and nobody accepted (pipeline/transit): each blocks the close. */
  transfersInTransit: (periodEnd: string) => Promise<readonly { id: string; message: string }[]>;
  /** The trial balance at the period end, exactly as `balances --as-of <end> --json` prints it. */
  trialBalance: (periodEnd: string) => Promise<unknown>;
  allowUnlockedDestination: boolean;
  closedAt: string;
  closedBy: string;
  /** Where the certificate file goes (`<ledger folder>/certificates`). */
  certificateFolder: string;
  /** The seals' head of the tables beside the journal (side-tables-proof.ts), kept in the certificate as their witness. */
  rowSealsHead?: () => Promise<SealHead>;
  /** A crash test's kill point (src/runtime/kill-point.ts): `close:certificate-written`, before the unit commits. */
  at?: (moment: string) => void;
}

/** A destination a close reads: its name, its lock date, and the lines it holds of a posted entry. */
interface DestinationToClose {
  name: string;
  lockDate: string | undefined;
  /**
   * The journal a posted entry is at the destination, as the destination holds it: the client's expectedLines (mapped
   * and netted per destination account, at the rate the delivery kept), the one computation reconcile --with
   * compares a read-back with. Without it (the console, which certifies nothing) the ledger's own lines stand in.
   */
  receives?: (
    entry: RenderedEntry,
    delivery: { exchangeRate: string | null; rateSource: string | null },
  ) => { currency: string; lines: readonly RemoteLine[] };
}

const CLOSE_BLOCKERS = [
  'period_not_over',
  'chain_broken',
  'unposted_entries',
  'open_action_item',
  'in_transit',
  'destination_unlocked',
] as const;

export interface CloseBlocker {
  kind: (typeof CLOSE_BLOCKERS)[number];
  ref: string;
  message: string;
}

type PeriodCloseOutcome = (
  | { closed: false; period: string; blockers: CloseBlocker[] }
  | {
      closed: true;
      period: string;
      certificateFile: string;
      certificateSha256: string;
      chainHead: string;
      certificate: PeriodCertificate;
    }
) & { interrupted?: string[] };

/**
 * The journals a destination holds for the period, each as it holds it: its currency, its lines per destination
 * account (signed cents, debit positive) and their debit and credit totals; and the totals of them all per currency.
 */
interface DestinationAtClose {
  name: string;
  lockDate: string | null;
  lockedThroughPeriodEnd: boolean;
  journals: CertifiedJournal[];
  totals: CentTotals[];
}

interface CertifiedJournal {
  entryId: string;
  date: string;
  journalId: string | null;
  currency: string;
  lines: { account: string; cents: string }[];
  totals: CentTotals[];
}

interface CentTotals {
  currency: string;
  debit: string;
  credit: string;
}

interface PeriodCertificate {
  /** /2 certifies each journal's lines as the destination holds them; /1 (before issue 52) kept the ledger's gross totals only. */
  certificate: 'ledgerline period close/2';
  period: string;
  periodStart: string;
  periodEnd: string;
  /** The last entry appended dated on or before the period end, and its chain hash: what `verify` and reconcile recompute. */
  chainHeadAtPeriodEnd: ChainPosition | null;
  /** The seals' head when the certificate was made: `verify` names a sealed row deleted or changed before it. */
  rowSealsHead?: SealHead;
  destinations: DestinationAtClose[];
  trialBalance: unknown;
  allowUnlockedDestination: boolean;
  closedAt: string;
  closedBy: string;
}

/**
 * Closes a month (issue 42, item 2): refuses while anything blocks it, each blocker listed; otherwise writes its
 * certificate (keys sorted, so the same close gives the same bytes) beside the ledger and keeps the certificate's
 * SHA-256 and the chain head in the ledger, after which nothing is booked on or before the period end.
 * Example: --period 2026-03 on 2026-04-02, every March entry posted, nothing open, Xero locked through 2026-03-31
 * → certificates/2026-03.json, and an entry dated 2026-03-31 is refused from then on. Read and kept in one unit of
 * work under the ledger's lock, so two closes at once close once, and a sync beside it waits or is refused: the
 * request's reads are made over the books of that unit (`requestOver(tx)`).
 */
export async function closePeriod<Tx extends ClosingBooks>(
  books: { decide<T>(work: (tx: Tx) => Promise<T>): Promise<T> },
  requestOver: (tx: Tx) => PeriodCloseRequest,
): Promise<PeriodCloseOutcome> {
  const written: string[] = [];
  let outcome: PeriodCloseOutcome;
  try {
    // One unit under the ledger's lock: no append, close or decision comes in between what the close reads and its row.
    outcome = await books.decide((tx) => closeUnderLock(tx.of(sealBooks), tx.ledger, requestOver(tx), written));
  } catch (error) {
    // The unit rolled back: a certificate it wrote goes too, so no file stands for a close the books do not hold.
    for (const file of written) rmSync(file, { force: true });
    throw error;
  }
  // Committed: the certificate takes its name only now, so a close killed before its commit leaves no certificate.
  if (outcome.closed) putInPlace(`${outcome.certificateFile}${PARTIAL}`, outcome.certificateFile);
  return outcome;
}

async function closeUnderLock(
  books: SealBooks,
  ledger: Ledger,
  request: PeriodCloseRequest,
  written: string[],
): Promise<PeriodCloseOutcome> {
  const { periodStart, periodEnd } = periodBounds(request.period);
  const interrupted = settleInterruptedCertificates(request.certificateFolder, await books.closedPeriods());
  refuseClosedAlready(await books.closedPeriods(), request.period, periodEnd);
  const chain = await verifyChain(books, [periodEnd]);
  const { blockers, destinations } = await closeBlockers(books, ledger, request, chain);
  const said = interrupted.length === 0 ? {} : { interrupted };
  if (blockers.length > 0) return { closed: false, period: request.period, blockers, ...said };
  const headAtEnd = chain.headsThrough.get(periodEnd);
  const certificate: PeriodCertificate = {
    certificate: 'ledgerline period close/2',
    period: request.period,
    periodStart,
    periodEnd,
    chainHeadAtPeriodEnd: headAtEnd ?? null,
    ...(request.rowSealsHead && { rowSealsHead: await request.rowSealsHead() }),
    destinations,
    trialBalance: await request.trialBalance(periodEnd),
    allowUnlockedDestination: request.allowUnlockedDestination,
    closedAt: request.closedAt,
    closedBy: request.closedBy,
  };
  const kept = await keepCertificate(books, certificate, chain.head, request.certificateFolder, written);
  request.at?.('close:certificate-written');
  return { ...kept, ...said };
}

/** What the blockers of a close are judged from: the close's request without what only writing the certificate needs. */
export type CloseBlockerRequest = Pick<
  PeriodCloseRequest,
  'period' | 'today' | 'destinations' | 'openActionItems' | 'transfersInTransit' | 'allowUnlockedDestination'
>;

/** The first and last day of a month. Example: 2024-02 → 2024-02-01 to 2024-02-29. */
export function periodBounds(period: string): { periodStart: string; periodEnd: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { periodStart: `${period}-01`, periodEnd: lastDayOfMonth(year, month) };
}

/**
 * Each thing that blocks closing the period, as `close --period` lists them, given the chain verified through its end;
 * and what each destination holds of the period, for its certificate. Reads only: the console lists them too.
 */
export async function closeBlockers(
  books: SealBooks,
  ledger: Ledger,
  request: CloseBlockerRequest,
  chain: ChainVerification,
): Promise<{ blockers: CloseBlocker[]; destinations: DestinationAtClose[] }> {
  const { periodStart, periodEnd } = periodBounds(request.period);
  const destinations = await destinationsAtClose(books, ledger, request, periodStart, periodEnd);
  const blockers: CloseBlocker[] = [];
  if (periodEnd >= request.today)
    blockers.push({
      kind: 'period_not_over',
      ref: periodEnd,
      message: `${request.period} ends ${periodEnd}: close it from the day after`,
    });
  const { broken } = chain;
  if (broken !== undefined)
    blockers.push({
      kind: 'chain_broken',
      ref: broken.entryId,
      message: `the journal's hash chain breaks at entry ${broken.entryId} (${broken.date}): run ledgerline verify`,
    });
  blockers.push(
    ...destinations.flatMap((destination) => destination.blockers),
    ...(await request.openActionItems(periodEnd)).map((item) => ({
      kind: 'open_action_item' as const,
      ref: item.id,
      message: `${item.message}: ${item.nextStep ?? `look at it, then ledgerline reconcile ack ${item.id} --note "…"`}`,
    })),
    ...(await request.transfersInTransit(periodEnd)).map((item) => ({
      kind: 'in_transit' as const,
      ref: item.id,
      message: `${item.message}: in transit at ${periodEnd} and not acknowledged`,
    })),
  );
  return { blockers, destinations: destinations.map((destination) => destination.atClose) };
}

/** A period is closed once, and months close in order: one at or before the last closed period end is refused. */
function refuseClosedAlready(closed: readonly ClosedPeriod[], period: string, periodEnd: string): void {
  const last = closed.at(-1);
  if (last === undefined || last.periodEnd < periodEnd) return;
  const which =
    last.period === period ? `${period} is closed already` : `${last.period} is closed, and periods close in order`;
  throw new UsageError(
    `${which} (certificate sha256:${last.certificateSha256}, ${last.closedAt} by ${last.closedBy}); a correction is an adjusting entry in the first open period`,
  );
}

/** Each destination's posted journals in the period and their totals, and what blocks the close there (unposted entries, its lock date). */
async function destinationsAtClose(
  books: SealBooks,
  ledger: Ledger,
  request: CloseBlockerRequest,
  from: string,
  to: string,
) {
  // One after the other: inside the close's unit every read goes over its one connection.
  const found = [];
  for (const destination of request.destinations) {
    const deliveries = await books.deliveriesBetween(destination.name, from, to);
    const postedLines: { currency: string; cents: bigint }[] = [];
    found.push({ destination, deliveries, journals: [] as CertifiedJournal[], postedLines, unposted: [] as string[] });
  }
  for await (const entry of ledger.renderedEntries({ from, to })) {
    if (entry.lines.length === 0) continue;
    for (const { destination, deliveries, journals, postedLines, unposted } of found) {
      const delivery = deliveries.get(entry.id);
      if (delivery?.state === 'posted') {
        const held = destination.receives?.(entry, delivery) ?? {
          currency: entry.lines[0]!.currency,
          lines: entry.lines.map((line) => ({ account: line.account, cents: line.cents })),
        };
        journals.push(certifiedJournal(entry, delivery.remoteId, held));
        postedLines.push(...held.lines.map((line) => ({ currency: held.currency, cents: line.cents })));
      } else if (delivery?.state !== 'skipped') unposted.push(entry.id);
    }
  }
  return found.map(({ destination: { name, lockDate }, journals, postedLines, unposted }) => {
    const atClose: DestinationAtClose = {
      name,
      lockDate: lockDate ?? null,
      lockedThroughPeriodEnd: lockDate !== undefined && lockDate >= to,
      journals,
      totals: centTotals(postedLines),
    };
    return { atClose, blockers: destinationBlockers(name, unposted, atClose, request) };
  });
}

/** One posted journal as the certificate names it: the lines the destination holds, in account order, and their totals. */
function certifiedJournal(
  entry: RenderedEntry,
  journalId: string | null,
  held: { currency: string; lines: readonly RemoteLine[] },
): CertifiedJournal {
  const lines = [...held.lines].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  return {
    entryId: entry.id,
    date: entry.date,
    journalId,
    currency: held.currency,
    lines: lines.map((line) => ({ account: line.account, cents: formatCents(line.cents) })),
    totals: centTotals(lines.map((line) => ({ currency: held.currency, cents: line.cents }))),
  };
}

function destinationBlockers(
  name: string,
  unposted: readonly string[],
  atClose: DestinationAtClose,
  request: CloseBlockerRequest,
): CloseBlocker[] {
  const blockers: CloseBlocker[] = [];
  if (unposted.length > 0) {
    const shown = unposted.slice(0, 5).join(', ') + (unposted.length > 5 ? ', …' : '');
    blockers.push({
      kind: 'unposted_entries',
      ref: name,
      message: `${name}: ${unposted.length} entr${unposted.length === 1 ? 'y' : 'ies'} of ${request.period} not posted (${shown}): run ledgerline post ${name}`,
    });
  }
  if (!atClose.lockedThroughPeriodEnd && !request.allowUnlockedDestination) {
    const lock = atClose.lockDate === null ? 'has no lock date' : `is locked through ${atClose.lockDate} only`;
    blockers.push({
      kind: 'destination_unlocked',
      ref: name,
      message: `${name} ${lock}, before the period end: ask the accountant to lock it through the end of ${request.period}, or close with --allow-unlocked-destination (recorded in the certificate)`,
    });
  }
  return blockers;
}

/** Debits and credits in cents per currency, in currency order. Example: 1.01 and −1.01 USD → { USD, debit 1.01, credit 1.01 }. */
function centTotals(lines: readonly { currency: string; cents: bigint }[]): CentTotals[] {
  const sums = new Map<string, { debit: bigint; credit: bigint }>();
  for (const line of lines) {
    const sum = sums.get(line.currency) ?? { debit: 0n, credit: 0n };
    if (line.cents > 0n) sum.debit += line.cents;
    else sum.credit -= line.cents;
    sums.set(line.currency, sum);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, sum]) => ({ currency, debit: formatCents(sum.debit), credit: formatCents(sum.credit) }));
}

/**
 * Keeps the certificate's hash, then writes the certificate (a file renamed into place), inside the close's unit: an
 * append since the verification refuses the close instead, and nothing is written. `written` names the file, for
 * the close to remove should the unit not commit.
 */
async function keepCertificate(
  books: SealBooks,
  certificate: PeriodCertificate,
  headNow: string,
  folder: string,
  written: string[],
): Promise<PeriodCloseOutcome> {
  const text = sortedJson(certificate);
  const certificateSha256 = createHash('sha256').update(text).digest('hex');
  const chainHead = certificate.chainHeadAtPeriodEnd?.hash ?? CHAIN_GENESIS;
  const close = {
    period: certificate.period,
    periodEnd: certificate.periodEnd,
    chainHead,
    certificateSha256,
    closedAt: certificate.closedAt,
    closedBy: certificate.closedBy,
  };
  if (!(await books.unit((tx) => tx.recordClose(close, headNow)))) {
    throw new UsageError(
      `entries were booked while ${certificate.period} was being closed, so its certificate may miss some: run ledgerline close --period ${certificate.period} again`,
    );
  }
  mkdirSync(folder, { recursive: true });
  const certificateFile = join(folder, `${certificate.period}.json`);
  // Renamed into place once the unit commits (closePeriod); a close killed before then leaves only the partial file.
  written.push(`${certificateFile}${PARTIAL}`, certificateFile);
  writeFileSync(`${certificateFile}${PARTIAL}`, text);
  return { closed: true, period: certificate.period, certificateFile, certificateSha256, chainHead, certificate };
}

/** JSON with every object's keys in code-point order and two-space indents, ending in a newline: the same value gives the same bytes. */
function sortedJson(value: unknown): string {
  const sorted = (_key: string, item: unknown): unknown =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item;
  return `${JSON.stringify(value, sorted, 2)}\n`;
}
