import { createHash } from 'node:crypto';
import type { Mappings } from '../../config/index.js';
import { AdjustmentInLockedPeriodError, LockedPeriodError, UsageError } from '../../errors.js';
import type { ClosedPeriod, FiledReturn, Ledger } from '../../ledger/index.js';
import { cleanInput } from '../../log/index.js';
import { formatMicros } from '../../money/index.js';
import { isCalendarDate, type JournalEntry } from '../../rules/index.js';
import type { Acknowledgements } from './books/acknowledgement-books.js';
import {
  adjustmentEntryId,
  draftAdjustingEntry,
  type AdjustmentLineText,
  type AdjustmentTypedIn,
} from './adjusting-entry.js';
import type { AdjustmentBooks, AdjustmentRecord } from './books/adjustment-books.js';

/** What booking an adjusting entry reads and writes with: the journal, the adjustments' records, the acknowledgements. */
interface AdjustingBooks {
  /** Runs `work` in one unit of work under the ledger's lock, handed these books bound to it (Ledger.decide). */
  decide<T>(work: (tx: AdjustingBooks) => Promise<T>): Promise<T>;
  ledger: Pick<Ledger, 'appendEntry'>;
  adjustments: AdjustmentBooks;
  acknowledgements: Acknowledgements;
  /** Whether a reconcile item of this id is open today (the ids `reconcile` lists); asked under the ledger's lock. */
  openItem: (itemId: string) => Promise<boolean>;
  /** The periods closed so far, each with its certificate's SHA-256 (for --corrects). */
  closedPeriods: () => Promise<readonly ClosedPeriod[]>;
  /** The tax returns filed so far (issue 70): a lock of the ledger's own, named beside the destinations'. */
  filedReturns: () => Promise<readonly FiledReturn[]>;
}

/** Opens the books for writing (and whatever the caller holds while they are open) for one piece of work. */
type OpenAdjustingBooks = <T>(work: (books: AdjustingBooks) => Promise<T>) => Promise<T>;

export interface AdjustmentRequest {
  date: string;
  currency: string;
  reason: string;
  lines: readonly AdjustmentLineText[];
  /** A reconcile item the entry explains: it is acknowledged with the entry as its evidence. */
  explains?: string | undefined;
  /** A date in a closed period this entry corrects (a correction learned after the close): the entry names it and the period's certificate. */
  corrects?: string | undefined;
  /** The idempotency key a person gave (`--id`); without one the key is the entry's content and date. */
  id?: string | undefined;
  /** Per destination, the bank accounts it settles by a bank-side document in an entry of two lines (no mapping needed there). */
  settledAtBank?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Where a person typed it (default: `adjust`'s flags): the refusals name its fields. */
  typedIn?: AdjustmentTypedIn;
  /** The landed bank line the entry settles (`--settles`): the entry must move its bank account by the line's amount. */
  settles?: BankMovement | undefined;
  /** `--tax CODE`: the chart's code its revenue and expense lines are coded and split by (issue 82). */
  taxCode?: string | undefined;
  user: string;
  now: Date;
  needsApproval: boolean;
}

interface AdjustmentChecks {
  mappings: Mappings;
  /** The books' day (the sandbox's day, or today in the configured time zone): nothing is booked after it. Asked once the request's own checks passed. */
  today: () => Promise<string>;
  /** Each configured destination's lock date, as its organisation says (undefined: nothing locked): asked last, once the request's own checks passed. */
  locks: () => Promise<readonly { destination: string; lockDate: string | undefined }[]>;
}

/** A landed bank line as an entry that settles it must book it: its key, the chart account of its bank, its amount. */
interface BankMovement {
  line: string;
  account: string;
  amountMicros: bigint;
  currency: string;
}

/** An adjusting entry as booked; `repeated` when its key was booked already and nothing more was. */
type BookedAdjustment = AdjustmentRecord & { entry: JournalEntry; repeated: boolean };

/**
 * Checks what a person typed, before anything is read from a destination or the books (each refusal a UsageError
 * naming the flag): the date, the text, each line (account, amount, balance). Example: --date 2026-02-30 → refused.
 */
function checkAdjustmentRequest(request: Omit<AdjustmentRequest, 'needsApproval'>, mappings: Mappings): void {
  if (!isCalendarDate(request.date))
    throw new UsageError(`the date of an adjusting entry is written YYYY-MM-DD, not "${request.date.slice(0, 40)}"`);
  if (request.explains !== undefined) cleanInput('--explains', request.explains);
  if (request.id !== undefined && cleanInput('--id', request.id).trim() === '')
    throw new UsageError('--id is empty: give the entry a key of your own, e.g. --id ticket-881, or leave it out');
  const draft = draftAdjustingEntry({ ...request, entryId: adjustmentEntryId(request.date, 1) }, mappings);
  if (request.settles !== undefined) refuseOtherMovement(draft, request.settles);
}

/**
 * An entry settling a bank line moves that bank's account by the line's amount, in its currency, or it does not
 * settle it. Example: line operating:B-03 of −3.10 USD, entry Dr suspense 9.99 / Cr bank 9.99 → refused: "the entry
 * moves bank by −9.99 USD, the line is −3.10 USD".
 */
function refuseOtherMovement(entry: JournalEntry, settles: BankMovement): void {
  const moved = entry.lines
    .filter((line) => line.account === settles.account && line.currency === settles.currency)
    .reduce((sum, line) => sum + line.amountMicros, 0n);
  if (moved === settles.amountMicros) return;
  throw new UsageError(
    `--settles ${settles.line}: the entry moves ${settles.account} by ${formatMicros(moved)} ${settles.currency}, ` +
      `the line is ${formatMicros(settles.amountMicros)} ${settles.currency}: an entry settling a line books its ` +
      `amount to ${settles.account} (a debit for money in, a credit for money out); nothing was booked`,
  );
}

/** A date after the books' day is refused (issue 51): an append-only ledger would keep it forever. */
function refuseAfterBooksDay(date: string, today: string): void {
  if (date > today)
    throw new UsageError(
      `an adjusting entry dated ${date} is after the books' day ${today}: nothing is booked in the future; date it ${today} or earlier`,
    );
}

/**
 * Books an adjusting entry a person made: checked (its own text and lines first, then its date against the books'
 * day, then the destinations' lock dates, so bad input is refused before anything is asked of a destination), then, in
 * one unit of work under the ledger's lock, its key looked up (a rerun books nothing more), the item it explains
 * checked open, and the entry, its record (who, when, why), its key and the acknowledgement written.
 */
export async function bookAdjustment(
  openBooks: OpenAdjustingBooks,
  request: AdjustmentRequest,
  checks: AdjustmentChecks,
): Promise<BookedAdjustment> {
  checkAdjustmentRequest(request, checks.mappings);
  refuseAfterBooksDay(request.date, await checks.today());
  const locked = (await checks.locks()).filter(({ lockDate }) => lockDate !== undefined && request.date <= lockDate);
  try {
    return await openBooks((books) =>
      books.decide(async (tx) => {
        refuseLockedPeriod(request.date, { closed: await tx.closedPeriods(), filed: await tx.filedReturns() }, locked);
        const correction =
          request.corrects === undefined
            ? undefined
            : correctionOf(request.corrects, request.date, await tx.closedPeriods());
        const draftOf = (entryId: string) => draftAdjustingEntry({ ...request, entryId, correction }, checks.mappings);
        const { key, requestSha256 } = adjustmentKey(request, draftOf(adjustmentEntryId(request.date, 0)));
        const booked = await tx.adjustments.ofKey(key);
        if (booked !== undefined)
          return repeatedAdjustment(tx, request, booked, requestSha256, draftOf(booked.entryId));
        if (request.explains !== undefined && !(await tx.openItem(request.explains))) {
          throw new UsageError(
            `--explains ${request.explains}: no open reconcile item has that id (see "ledgerline reconcile")`,
          );
        }
        const entry = draftOf(adjustmentEntryId(request.date, (await tx.adjustments.count()) + 1));
        await tx.ledger.appendEntry(entry, { now: request.now });
        const madeAt = request.now.toISOString();
        const reason = correction === undefined ? request.reason.trim() : `${request.reason.trim()} (${correction})`;
        const record = {
          entryId: entry.id,
          reason,
          madeBy: request.user,
          madeAt,
          explains: request.explains ?? null,
          needsApproval: request.needsApproval,
        };
        await tx.adjustments.unit(async (adjustments) => {
          await adjustments.record(record);
          await adjustments.recordKey({ key, entryId: entry.id, requestSha256 });
        });
        const { explains } = request;
        if (explains !== undefined) {
          const word = {
            action: 'ack' as const,
            note: `explained by adjusting entry ${entry.id}: ${reason}`,
            user: request.user,
            at: madeAt,
          };
          await tx.acknowledgements.unit((acks) => acks.recordAcknowledgement(explains, word));
        }
        return { ...record, date: entry.date, approval: null, entry, repeated: false };
      }),
    );
  } catch (error) {
    // A period the ledger itself holds closed is refused at append: the same refusal as a destination's lock.
    if (error instanceof LockedPeriodError)
      throw new AdjustmentInLockedPeriodError(request.date, [{ holder: error.destination, through: error.lockDate }]);
    throw error;
  }
}

/**
 * Refuses an entry dated where a destination's lock refuses it, naming every lock that does: ledgerline's own
 * close first, then a filed tax return's period, then each destination's. Example: 2026-03-20, March closed by
 * `close` and both fakes locked through 03-31 → "ledgerline closed 2026-03 (…); Xero locked through 2026-03-31;
 * QuickBooks locked through 2026-03-31"; with 2026-Q1 filed as well → "…; ledgerline filed the 2026-Q1 return (…); …".
 * A date only ledgerline's own locks hold is left to the journal, whose refusal says how to book the correction.
 */
function refuseLockedPeriod(
  date: string,
  own: { closed: readonly ClosedPeriod[]; filed: readonly FiledReturn[] },
  destinations: readonly { destination: string; lockDate: string | undefined }[],
): void {
  if (destinations.length === 0) return;
  const closed = own.closed.find((period) => date <= period.periodEnd);
  const filed = own.filed.find((period) => date <= period.to);
  throw new AdjustmentInLockedPeriodError(date, [
    ...(closed === undefined
      ? []
      : [
          {
            holder: 'ledgerline',
            through: closed.periodEnd,
            closedPeriod: closed.period,
            certificate: closed.certificateSha256,
          },
        ]),
    ...(filed === undefined ? [] : [{ holder: 'ledgerline', through: filed.to, filedReturn: filed }]),
    ...destinations.map(({ destination, lockDate }) => ({ holder: destination, through: lockDate })),
  ]);
}

/**
 * The entry's idempotency key and the SHA-256 of what it books: its date, currency, lines (by account key, exact),
 * reason and what it explains or corrects. Without --id the key is that SHA-256, so the same entry typed twice is
 * booked once. Example: --id ticket-881 → "id:ticket-881"; none → "content:9a3f…".
 */
function adjustmentKey(request: AdjustmentRequest, entry: JournalEntry): { key: string; requestSha256: string } {
  const lines = entry.lines
    .map((line) => [line.account, line.amountMicros.toString()])
    .sort((a, b) => (`${a[0]} ${a[1]}` < `${b[0]} ${b[1]}` ? -1 : 1));
  const content = JSON.stringify([
    entry.date,
    request.currency,
    lines,
    request.reason.trim(),
    request.explains ?? null,
    request.corrects ?? null,
    // Only an entry coded by hand says its code: every other entry keeps the key it always had.
    ...(request.taxCode === undefined ? [] : [request.taxCode.trim()]),
  ]);
  const requestSha256 = createHash('sha256').update(content).digest('hex');
  return { key: request.id === undefined ? `content:${requestSha256}` : `id:${request.id.trim()}`, requestSha256 };
}

/** A rerun of a request booked already: nothing more is booked; a key given for other content is refused. */
async function repeatedAdjustment(
  books: Pick<AdjustingBooks, 'adjustments'>,
  request: AdjustmentRequest,
  booked: { entryId: string; requestSha256: string },
  requestSha256: string,
  entry: JournalEntry,
): Promise<BookedAdjustment> {
  if (booked.requestSha256 !== requestSha256) {
    const keyed = request.id === undefined ? 'this entry' : `the entry keyed "${request.id}"`;
    throw new UsageError(
      `${keyed} was booked already as ${booked.entryId} with other lines, date or reason; nothing more was booked (a new entry needs a new --id)`,
    );
  }
  const record = (await books.adjustments.all()).find((candidate) => candidate.entryId === booked.entryId)!;
  return { ...record, entry, repeated: true };
}

/**
 * What a late correction names: the date it corrects, in a closed period, and that period's certificate; the entry
 * itself is dated after that period (the append refuses any date in a closed period). Example: --corrects 2024-02-10
 * --date 2024-03-04 with 2024-02 closed by sha256:9f… → "corrects 2024-02-10 in closed period 2024-02, certificate sha256:9f…".
 */
function correctionOf(corrects: string, date: string, closed: readonly ClosedPeriod[]): string {
  const period = closed.find((candidate) => `${candidate.period}-01` <= corrects && corrects <= candidate.periodEnd);
  if (period === undefined)
    throw new UsageError(
      `--corrects ${corrects}: no closed period holds that date; book the correction on its own date (--date ${corrects}) without --corrects`,
    );
  if (date <= period.periodEnd)
    throw new UsageError(
      `--corrects ${corrects}: the correction is dated ${date}, not after ${period.periodEnd}, the ` +
        `end of closed period ${period.period}; date it in the first open period`,
    );
  return `corrects ${corrects} in closed period ${period.period}, certificate sha256:${period.certificateSha256}`;
}

/** A second person's approval of an adjusting entry that waits for one: recorded, and the next post sends it. */
export async function approveAdjustment(
  books: { decide<T>(work: (tx: Pick<AdjustingBooks, 'adjustments'>) => Promise<T>): Promise<T> },
  entryId: string,
  approver: { user: string; now: Date },
): Promise<AdjustmentRecord> {
  // Read and written under the ledger's lock: two approvals at once record one, and the other is told it was approved.
  return books.decide((tx) => approveUnderLock(tx, entryId, approver));
}

async function approveUnderLock(
  books: Pick<AdjustingBooks, 'adjustments'>,
  entryId: string,
  approver: { user: string; now: Date },
): Promise<AdjustmentRecord> {
  const adjustments = await books.adjustments.all();
  const adjustment = adjustments.find((candidate) => candidate.entryId === entryId);
  if (adjustment === undefined) {
    throw new UsageError(
      `no adjusting entry has the id ` +
        `"${entryId}"${adjustments.length > 0 ? `; the latest is ${adjustments.at(-1)!.entryId}` : ''} ` +
        `(see "ledgerline adjust --help")`,
    );
  }
  if (adjustment.approval !== null)
    throw new UsageError(`${entryId} was approved already, by ${adjustment.approval.by} at ${adjustment.approval.at}`);
  if (!adjustment.needsApproval)
    throw new UsageError(
      `${entryId} needs no approval: it was booked when adjustments.requireApproval was off, and post sends it as it is`,
    );
  if (adjustment.madeBy === approver.user) {
    throw new UsageError(
      `${entryId} was booked by ${approver.user}: a second person approves it (run "ledgerline adjust approve ${entryId}" as another user)`,
    );
  }
  const approval = { by: approver.user, at: approver.now.toISOString() };
  await books.adjustments.unit((tx) => tx.approve(entryId, approval));
  return { ...adjustment, approval };
}
