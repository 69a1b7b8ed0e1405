import type { Mappings } from '../../config/index.js';
import { AdjustmentInLockedPeriodError, LockedPeriodError, UsageError } from '../../errors.js';
import type { ClosedPeriod, Ledger } from '../../ledger/index.js';
import { isCalendarDate } from '../../rules/index.js';
import type { Acknowledgements } from './acknowledgements.js';
import { adjustmentEntryId, draftAdjustingEntry, type AdjustmentLineText } from './adjusting-entry.js';
import type { AdjustmentBooks, AdjustmentRecord } from './adjustment-books.js';

/** What booking an adjusting entry writes with: the journal, the adjustments' records, the acknowledgements. */
export interface AdjustingBooks {
  ledger: Pick<Ledger, 'unitOfWork' | 'appendEntry'>;
  adjustments: AdjustmentBooks;
  acknowledgements: Acknowledgements;
}

export interface AdjustmentRequest {
  date: string;
  currency: string;
  reason: string;
  lines: readonly AdjustmentLineText[];
  /** A reconcile item the entry explains: it is acknowledged with the entry as its evidence. */
  explains?: string | undefined;
  /** A date in a closed period this entry corrects (a correction learned after the close): the entry names it and the period's certificate. */
  corrects?: string | undefined;
  user: string;
  now: Date;
  needsApproval: boolean;
}

export interface AdjustmentChecks {
  mappings: Mappings;
  /** Each configured destination's lock date, as its organisation says (undefined: nothing locked). */
  locks: readonly { destination: string; lockDate: string | undefined }[];
  /** Whether a reconcile item of this id is open today (the ids `reconcile` lists). */
  openItem: (itemId: string) => Promise<boolean>;
  /** The periods closed so far, each with its certificate's SHA-256 (for --corrects). */
  closedPeriods: () => Promise<readonly ClosedPeriod[]>;
}

/**
 * Books an adjusting entry a person made: checked (lines, lock dates, the item it explains) before anything is
 * written, then the entry, its record (who, when, why) and the acknowledgement in one unit of work.
 */
export async function bookAdjustment(books: AdjustingBooks, request: AdjustmentRequest, checks: AdjustmentChecks): Promise<AdjustmentRecord & { entry: ReturnType<typeof draftAdjustingEntry> }> {
  if (!isCalendarDate(request.date)) throw new UsageError(`the date of an adjusting entry is written YYYY-MM-DD, not "${request.date.slice(0, 40)}"`);
  for (const { destination, lockDate } of checks.locks) {
    if (lockDate !== undefined && request.date <= lockDate) throw new AdjustmentInLockedPeriodError(destination, request.date, lockDate);
  }
  if (request.explains !== undefined && !(await checks.openItem(request.explains))) {
    throw new UsageError(`--explains ${request.explains}: no open reconcile item has that id (see "ledgerline reconcile")`);
  }
  const correction = request.corrects === undefined ? undefined : correctionOf(request.corrects, request.date, await checks.closedPeriods());
  const draftOf = (number: number) => draftAdjustingEntry({ ...request, entryId: adjustmentEntryId(request.date, number), correction }, checks.mappings);
  draftOf(1); // every line is refused or accepted before the books are touched
  const madeAt = request.now.toISOString();
  try {
    return await books.ledger.unitOfWork(async () => {
      const entry = draftOf((await books.adjustments.count()) + 1);
      await books.ledger.appendEntry(entry, { now: request.now });
      const reason = correction === undefined ? request.reason.trim() : `${request.reason.trim()} (${correction})`;
      const record = { entryId: entry.id, reason, madeBy: request.user, madeAt, explains: request.explains ?? null, needsApproval: request.needsApproval };
      await books.adjustments.record(record);
      if (request.explains !== undefined) {
        await books.acknowledgements.recordAcknowledgement(request.explains, { action: 'ack', note: `explained by adjusting entry ${entry.id}: ${record.reason}`, user: request.user, at: madeAt });
      }
      return { ...record, date: entry.date, approval: null, entry };
    });
  } catch (error) {
    // A period the ledger itself holds closed is refused at append: the same refusal as a destination's lock.
    if (error instanceof LockedPeriodError) throw new AdjustmentInLockedPeriodError(error.destination, request.date, error.lockDate);
    throw error;
  }
}

/**
 * What a late correction names: the date it corrects, in a closed period, and that period's certificate; the entry
 * itself is dated after that period (the append refuses any date in a closed period). Example: --corrects 2024-02-10
 * --date 2024-03-04 with 2024-02 closed by sha256:9f… → "corrects 2024-02-10 in closed period 2024-02, certificate sha256:9f…".
 */
function correctionOf(corrects: string, date: string, closed: readonly ClosedPeriod[]): string {
  const period = closed.find((candidate) => `${candidate.period}-01` <= corrects && corrects <= candidate.periodEnd);
  if (period === undefined) throw new UsageError(`--corrects ${corrects}: no closed period holds that date; book the correction on its own date (--date ${corrects}) without --corrects`);
  if (date <= period.periodEnd) throw new UsageError(`--corrects ${corrects}: the correction is dated ${date}, not after ${period.periodEnd}, the end of closed period ${period.period}; date it in the first open period`);
  return `corrects ${corrects} in closed period ${period.period}, certificate sha256:${period.certificateSha256}`;
}

/** A second person's approval of an adjusting entry that waits for one: recorded, and the next post sends it. */
export async function approveAdjustment(books: Pick<AdjustingBooks, 'adjustments'>, entryId: string, approver: { user: string; now: Date }): Promise<AdjustmentRecord> {
  const adjustments = await books.adjustments.all();
  const adjustment = adjustments.find((candidate) => candidate.entryId === entryId);
  if (adjustment === undefined) {
    throw new UsageError(`no adjusting entry has the id "${entryId}"${adjustments.length > 0 ? `; the latest is ${adjustments.at(-1)!.entryId}` : ''} (see "ledgerline adjust --help")`);
  }
  if (adjustment.approval !== null) throw new UsageError(`${entryId} was approved already, by ${adjustment.approval.by} at ${adjustment.approval.at}`);
  if (!adjustment.needsApproval) throw new UsageError(`${entryId} needs no approval: it was booked when adjustments.requireApproval was off, and post sends it as it is`);
  if (adjustment.madeBy === approver.user) {
    throw new UsageError(`${entryId} was booked by ${approver.user}: a second person approves it (run "ledgerline adjust approve ${entryId}" as another user)`);
  }
  const approval = { by: approver.user, at: approver.now.toISOString() };
  await books.adjustments.approve(entryId, approval);
  return { ...adjustment, approval };
}
