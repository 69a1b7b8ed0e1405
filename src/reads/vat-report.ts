import { createHash } from 'node:crypto';
import { csvText } from '../destinations/index.js';
import type { FiledReturn } from '../ledger/index.js';
import type { TaxBook } from '../rules/index.js';
import { renderTaxReturn, taxReturn, type GstReturn } from './gst-return.js';
import type { LedgerReads } from './books/ledger-reads.js';
import { VAT_BOX_NAMES, type VatBoxes, type VatPeriodOptions, type VatReturn } from './vat-return.js';

/** The return of the organisation's region, as `vat` works it from the books. */
type TaxReturn = VatReturn | GstReturn;

/** A box whose figure the books give now is not the one filed: "box 1 filed 12.80, books 13.00". */
interface BoxDifference {
  box: string;
  filed: string;
  books: string;
}

/** What `vat` says of a filed period: when and by whom it was filed, and whether the books still give its boxes. */
interface FilingCheck {
  filedAt: string;
  filedBy: string;
  /** The SHA-256 of the return as printed when it was filed. */
  returnSha256: string;
  same: boolean;
  differences: BoxDifference[];
}

/** A filed return whose period holds part of the one asked (2026-03 asked, 2026-Q1 filed): its days are locked too. */
interface FiledAround {
  period: string;
  filedAt: string;
  filedBy: string;
}

/** The return from the books, with the filing of its period when it was filed, or the filings overlapping it. */
export type VatReport = TaxReturn & { filed?: FilingCheck; filedAround?: FiledAround[] };

/** The boxes as figures by box: UK {"1": "12.80", …, "9": "0.00"}; AU {"G1": "110.00", "1A": …}. */
function boxFigures(worked: TaxReturn): Record<string, string> {
  if ('region' in worked) return Object.fromEntries(worked.boxes.map(({ box, amount }) => [box, amount]));
  return { ...worked.boxes };
}

/**
 * The period's return worked from the books for `vat file`: what it records (each box's figure, the SHA-256 of the
 * text `vat` prints of the return, when and by whom), and the report `vat` then prints of the filed period.
 */
export async function returnToFile(
  reads: Pick<LedgerReads, 'journal'>,
  book: TaxBook | undefined,
  options: VatPeriodOptions & { region: string | undefined },
  filing: { filedBy: string; filedAt: string },
): Promise<{ filed: FiledReturn; report: VatReport }> {
  const worked = await taxReturn(reads, book, options);
  const filed = filedRecordOf(worked, filing.filedBy, filing.filedAt);
  return { filed, report: { ...worked, filed: filingCheck(filed, worked) } };
}

function filedRecordOf(worked: TaxReturn, filedBy: string, filedAt: string): FiledReturn {
  return {
    period: worked.period,
    from: worked.from,
    to: worked.to,
    form: 'region' in worked ? worked.form : 'VAT',
    currency: worked.currency,
    boxes: boxFigures(worked),
    returnSha256: createHash('sha256').update(renderTaxReturn(worked)).digest('hex'),
    filedAt,
    filedBy,
  };
}

/**
 * A filed return held against the books: each box whose figure differs, in the form's order. Example: box 1
 * filed 12.80, the books now 13.00 (a tax rule changed since) → [{box: '1', filed: '12.80', books: '13.00'}].
 */
function filingCheck(filed: FiledReturn, worked: TaxReturn): FilingCheck {
  const books = boxFigures(worked);
  const boxes = [...new Set([...Object.keys(books), ...Object.keys(filed.boxes)])];
  const differences = boxes
    .filter((box) => books[box] !== filed.boxes[box])
    .map((box) => ({ box, filed: filed.boxes[box] ?? 'none', books: books[box] ?? 'none' }));
  const { filedAt, filedBy, returnSha256 } = filed;
  return { filedAt, filedBy, returnSha256, same: differences.length === 0, differences };
}

/** The period's return from the books, with its filing held against them when the period was filed (`vat --period`). */
export async function vatReport(
  books: { reads: Pick<LedgerReads, 'journal'>; filings: { filedReturns(): Promise<FiledReturn[]> } },
  book: TaxBook | undefined,
  options: VatPeriodOptions & { region: string | undefined },
): Promise<VatReport> {
  const worked = await taxReturn(books.reads, book, options);
  const filings = await books.filings.filedReturns();
  const filed = filings.find((one) => one.period === options.period);
  if (filed !== undefined) return { ...worked, filed: filingCheck(filed, worked) };
  const around = filings.filter((one) => one.from <= options.to && options.from <= one.to);
  if (around.length === 0) return worked;
  return { ...worked, filedAround: around.map(({ period, filedAt, filedBy }) => ({ period, filedAt, filedBy })) };
}

/** The lines `vat` prints under the boxes of a filed period: when and by whom, and whether the books still agree. */
function renderFiling(filed: FilingCheck): string {
  const when = `filed ${filed.filedAt} by ${filed.filedBy} (return sha256:${filed.returnSha256})`;
  if (filed.same) return `${when}; the books still give these boxes\n`;
  const boxes = filed.differences.map(({ box, filed: was, books }) => `box ${box} filed ${was}, books ${books}`);
  return (
    `${when}; the books now differ from the filed return: ${boxes.join('; ')}; ` +
    "correct it in the open period's return (ledgerline adjust --tax CODE …, dated in it)\n"
  );
}

/** The return as `vat` prints it, the filing's line after the boxes when its period was filed; or that line alone (beside a CSV). */
export function renderVatReport(report: VatReport, part: 'whole' | 'filing' = 'whole'): string {
  const around = (report.filedAround ?? []).map(
    ({ period, filedAt, filedBy }) => `part of ${period}, whose return was filed ${filedAt} by ${filedBy}\n`,
  );
  const filing = report.filed === undefined ? around.join('') : renderFiling(report.filed);
  return part === 'filing' ? filing : renderTaxReturn(report) + filing;
}

/**
 * The boxes as CSV (`vat --format csv`), written as the other CSV exports are (csvText: CRLF, quoted only where
 * needed): a header, then one row a box with what it is and its figure, all plain ASCII. Example: "1,VAT due on
 * sales and other outputs,12.80".
 */
export function vatReportCsv(report: TaxReturn): string {
  const rows =
    'region' in report
      ? report.boxes.map(({ box, label, amount }) => [box, label, amount])
      : (Object.keys(VAT_BOX_NAMES) as (keyof VatBoxes)[]).map((box) => [box, VAT_BOX_NAMES[box], report.boxes[box]]);
  // Plain ASCII, so a spreadsheet that opens it without asking for UTF-8 reads it right: "3 − 4" (U+2212) is "3 - 4".
  return csvText([['box', 'what it is', 'amount'], ...rows.map((row) => row.map((cell) => cell.replaceAll('−', '-')))]);
}
