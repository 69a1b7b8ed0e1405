import { UsageError } from '../../errors.js';
import { returnToFile, type LedgerReads, type VatReport } from '../../reads/index.js';
import type { TaxBook } from '../../rules/index.js';
import type { FiledReturn } from '../../ledger/index.js';
import type { FilingBooks } from './books/filing-books.js';

/** What `vat file` asks: the period and its days, the books' today, the region's form, and who files it, when. */
interface FileReturnRequest {
  period: string;
  from: string;
  to: string;
  currency: string;
  region: string | undefined;
  /** The books' today: a period is filed once it has ended, its last day before today. */
  today: string;
  user: string;
  now: Date;
}

/** Tries at working the return and keeping it, when entries keep being appended meanwhile. */
const ATTEMPTS = 3;

/**
 * Marks a period's return filed (issue 70): the return worked from the books as `vat` prints it, kept with each
 * box's figure, the SHA-256 of its text, when and by whom; from then on no entry is booked on or before the
 * period's end (the journal's lock, PeriodFiledError). Refused (usage) for a period that has not ended (2026-Q2 on
 * 2026-06-30) and for one that overlaps a filed return (2026-03 once 2026-Q1 is filed), naming when that was filed:
 * checked again in the unit that keeps the filing, under the ledger's lock, so of two `vat file` at once (2026-03 and
 * 2026-Q1) the second is refused naming the first, never both filed (issue 84).
 */
export async function fileTaxReturn(
  books: { reads: Pick<LedgerReads, 'journal'>; filings: FilingBooks },
  book: TaxBook | undefined,
  request: FileReturnRequest,
): Promise<VatReport> {
  if (request.to >= request.today)
    throw new UsageError(
      `${request.period} has not ended yet (its last day is ${request.to}): a return is filed once its period is over`,
    );
  refuseFiledAlready(await books.filings.filedReturns(), request);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const head = await books.filings.chainHead();
    const filing = { filedBy: request.user, filedAt: request.now.toISOString() };
    const { filed, report } = await returnToFile(books.reads, book, request, filing);
    if (await books.filings.recordFiledReturn(filed, head, (filedNow) => refuseFiledAlready(filedNow, request)))
      return report;
  }
  throw new UsageError(
    `${request.period}: entries were booked while its return was worked, ${ATTEMPTS} times; nothing was filed: run "vat file" again once the sync is done`,
  );
}

/** A period filed already, or one overlapping a filed return, is not filed again: a correction goes in a later return. */
function refuseFiledAlready(filed: readonly FiledReturn[], request: FileReturnRequest): void {
  const overlap = filed.find((one) => one.from <= request.to && request.from <= one.to);
  if (overlap === undefined) return;
  const which = overlap.period === request.period ? 'was filed already' : `overlaps ${overlap.period}, filed`;
  throw new UsageError(
    `${request.period} ${which} ${overlap.filedAt} by ${overlap.filedBy} (return sha256:${overlap.returnSha256}); ` +
      "nothing was filed: a filed return is not filed again, a correction belongs in the open period's return " +
      '(ledgerline adjust --tax CODE …, dated in it)',
  );
}
