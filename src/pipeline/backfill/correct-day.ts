import { LedgerIntegrityError } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import type { BookedLineTax, BookedTaxField, JournalEntry, JournalLine } from '../../rules/index.js';
import {
  journalize,
  treatmentKey,
  type EventRules,
  type Granularity,
  type SourceEvent,
  type TaxBook,
} from '../../rules/index.js';
import type { BackfillBooksReads } from './books/backfill-books.js';

interface CorrectedDay {
  sourceId: string;
  date: string;
  /** The correcting entry booked, when what the day's re-derived events make differs from what is booked. */
  correction?: JournalEntry;
}

/**
 * Books the difference between what a day's re-derived events journalize to
 * (today's readers, rules and chart) and everything the ledger holds for the
 * source on that day, as one correcting entry dated that day: entries are
 * never edited. Example: order charges were mapped to `smm_services_expense`
 * and the chart now sends them to `client_costs`; a day that booked Dr
 * smm_services_expense 2.70 gets a correction Dr client_costs 2.70, Cr
 * smm_services_expense 2.70. Earlier corrections count as booked, so a second
 * replay finds nothing. The events are journalized at the granularity the
 * books were made with, so an allocation's rounding matches theirs.
 */
export async function correctDay(
  books: Pick<BackfillBooksReads, 'dayNetByAccount' | 'dayTreatedLines' | 'countEntriesWithIdPrefix'>,
  ledger: Ledger,
  options: {
    sourceId: string;
    date: string;
    events: readonly SourceEvent[];
    chart: EventRules;
    taxBook?: TaxBook | undefined;
    granularity: Granularity;
    runId: string;
    now: Date;
    dryRun: boolean;
    /** Why the day's books move, when not a change of readers, rules or chart (the opening moved to an earlier day). */
    why?: string;
  },
): Promise<CorrectedDay> {
  const expected = journalize(options.events, options.chart, {
    granularity: options.granularity,
    tax: options.taxBook,
  }).flatMap((entry) => entry.lines);
  const lines = (await correctionLines(books, options, expected)).map((line) => ({
    ...line,
    description: 'Correction from a replay of the stored replies',
  }));
  if (lines.length === 0) return { sourceId: options.sourceId, date: options.date };
  // Numbered per day, not named by content: a chart changed and changed back makes the same lines twice, and both must be booked.
  const idPrefix = `je:${options.sourceId}:${options.date}:replay:`;
  const earlier = await books.countEntriesWithIdPrefix(options.sourceId, options.date, idPrefix);
  const correction: JournalEntry = {
    id: `${idPrefix}${earlier + 1}`,
    date: options.date,
    sourceId: options.sourceId,
    description: `Replay correction of ${options.date} (${options.why ?? 'readers, rules or chart changed since it was booked'})`,
    eventIds: [],
    lines,
    // Its lines move amounts between accounts: rendered in pairs, a move between two accounts one destination account and code take nets to nothing there.
    reclassification: true,
  };
  // A dry run is refused as the booking would be (a closed month, a filed return), not shown as "would book".
  if (options.dryRun) await ledger.refuseUnbookable([correction]);
  else if ((await ledger.appendEntry(correction, { runId: options.runId, now: options.now })) !== 'appended') {
    throw new LedgerIntegrityError(
      `replay correction ${correction.id} is already in the ledger; nothing was booked for ${options.sourceId} ${options.date}`,
    );
  }
  return { sourceId: options.sourceId, date: options.date, correction };
}

/**
 * The lines a correction books: what the day's re-derived lines make less what is booked, per account and currency,
 * and (issue 82) per tax treatment when the day's lines kept theirs, each line with the treatment of the lines it
 * corrects. Example: order charges re-mapped from smm_services_expense to smm_order_costs, both reverse-charged, a
 * day that booked Dr smm_services_expense 0.90 → Dr smm_order_costs 0.90 and Cr smm_services_expense 0.90, both
 * REVERSECHARGES (order_charge): a destination mapping both accounts to 410 gets lines that net to nothing per code.
 * A day booked before lines kept their treatment is corrected per account, as before.
 */
async function correctionLines(
  books: Pick<BackfillBooksReads, 'dayNetByAccount' | 'dayTreatedLines'>,
  day: { sourceId: string; date: string },
  expected: readonly JournalLine[],
): Promise<JournalLine[]> {
  const treated = await books.dayTreatedLines(day.sourceId, day.date);
  const perTreatment =
    treated.every((line) => line.tax !== undefined) &&
    (treated.length > 0 || expected.some((line) => line.tax !== undefined));
  if (!perTreatment) {
    const booked = new Map<string, bigint>();
    for (const row of await books.dayNetByAccount(day.sourceId, day.date))
      booked.set(JSON.stringify([row.account, row.currency]), row.netMicros);
    return differences(netByKey(expected, untreatedKey), booked, new Map());
  }
  const taxes = new Map<string, BookedLineTax>();
  for (const line of [...treated, ...expected]) if (line.tax) taxes.set(treatmentKey(line), line.tax);
  return differences(netByKey(expected, treatmentKey), netByKey(treated, treatmentKey), taxes, true);
}

/** Each key's expected net less its booked, in key order, zero differences left out; with `treated`, each line's treatment. */
function differences(
  expected: ReadonlyMap<string, bigint>,
  booked: ReadonlyMap<string, bigint>,
  taxes: ReadonlyMap<string, BookedLineTax>,
  treated = false,
): JournalLine[] {
  const lines: JournalLine[] = [];
  for (const key of [...new Set([...expected.keys(), ...booked.keys()])].sort()) {
    const difference = (expected.get(key) ?? 0n) - (booked.get(key) ?? 0n);
    if (difference === 0n) continue;
    const [account, currency] = JSON.parse(key) as [string, string];
    const tax = taxes.get(key);
    const line = { account, currency, amountMicros: difference };
    lines.push(treated ? { ...line, tax: tax === undefined ? null : { ...tax, baseMicros: difference } } : line);
  }
  return lines;
}

function untreatedKey(line: { account: string; currency: string }): string {
  return JSON.stringify([line.account, line.currency]);
}

function netByKey(
  lines: readonly { account: string; currency: string; amountMicros: bigint; tax?: BookedTaxField | undefined }[],
  keyOf: (line: { account: string; currency: string; tax?: BookedTaxField | undefined }) => string,
): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const line of lines) {
    const key = keyOf(line);
    net.set(key, (net.get(key) ?? 0n) + line.amountMicros);
  }
  return net;
}
