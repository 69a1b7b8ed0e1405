import type { ServerResponse } from 'node:http';
import { readableTime } from '../../calendar/index.js';
import type { ClosedPeriod, FiledReturn } from '../../ledger/index.js';
import { readCertificate } from '../certified-periods.js';
import { table, text } from '../finance-report/html.js';
import { answerHtml } from './console-http.js';
import { consoleDocument } from './console-page.js';

/** A month as the periods page shows it (pipeline/operations' periodStates gives them, newest first). */
type PeriodRow =
  | { period: string; periodEnd: string; state: 'open' }
  | {
      period: string;
      periodEnd: string;
      state: 'closing';
      blockers: readonly { kind: string; ref: string; message: string }[];
    }
  | { period: string; periodEnd: string; state: 'closed'; close: ClosedPeriod; chainChange: string | undefined };

/** What the periods page reads: each month, the last night that re-verified the closed ones, and where the certificates are. */
export interface PeriodsView {
  months: readonly PeriodRow[];
  /** The last scheduled night that re-verified the closed periods: when, and the drift it found (each message names its period). */
  lastCheck: { startedAt: string; drift: readonly string[] } | undefined;
  certificateFolder: string;
  /** The tax returns marked filed (`vat file`), each locking its days as a close does. */
  filedReturns: readonly Pick<
    FiledReturn,
    'period' | 'form' | 'from' | 'to' | 'filedAt' | 'filedBy' | 'returnSha256'
  >[];
}

/**
 * The console's "Periods" page: each month open, closing (what blocks it, as `close --period` lists it, without the
 * destinations' lock dates, which only the close reads from the vendors) or closed (its certificate's hash, when and
 * by whom, the chain recomputed now and the last night's re-verification, and each journal posted in it with the
 * command that writes its evidence).
 */
function periodsSection(view: PeriodsView, when: (instant: string) => string): string {
  const rows = view.months.map((month) => [month.period, month.state, summary(month, view, when)]);
  const details = view.months.flatMap((month) =>
    month.state === 'closed' ? [closedDetail(month.close, view.certificateFolder)] : [],
  );
  return (
    `<section id="periods"><h1>Periods</h1>
<p>Each month of the ledger: <strong>open</strong> until it is over, then <strong>closing</strong> ` +
    `until <code>ledgerline close --period YYYY-MM</code> writes its certificate, then <strong>closed</strong>. ` +
    `The destinations' lock dates are read by the close itself.</p>
${table('Each month, newest first', ['month', 'state', 'what it says'], rows, ' id="period-states"')}
${filedSection(view, when)}${details.join('\n')}</section>`
  );
}

/**
 * What a month's row says: each filed tax return holding its days first (2024-01 inside a filed 2024-Q1: "VAT return
 * 2024-Q1 filed 10 Apr 2024 09:00 by ana; "), whatever the month's own state, then its state.
 */
function summary(month: PeriodRow, view: PeriodsView, when: (instant: string) => string): string {
  const filed = view.filedReturns
    .filter((filing) => filing.from <= month.periodEnd && `${month.period}-01` <= filing.to)
    .map((filing) => `${filing.form} return ${filing.period} filed ${when(filing.filedAt)} by ${filing.filedBy}; `);
  return filed.join('') + stateSummary(month, view, when);
}

function stateSummary(month: PeriodRow, view: PeriodsView, when: (instant: string) => string): string {
  if (month.state === 'open') return `open until ${month.periodEnd} ends`;
  if (month.state === 'closing') {
    if (month.blockers.length === 0) return `nothing blocks it: ledgerline close --period ${month.period}`;
    return `${month.blockers.length} thing(s) block it: ${month.blockers.map((blocker) => `${blocker.kind} ${blocker.message}`).join('; ')}`;
  }
  const { close } = month;
  const chain = month.chainChange ?? 'the chain recomputed now gives its certified head';
  const found = view.lastCheck?.drift.filter((message) => message.startsWith(`closed period ${month.period} `)) ?? [];
  const night =
    view.lastCheck === undefined
      ? 'not yet re-verified by a scheduled night'
      : `last verified ${when(view.lastCheck.startedAt)}: ${found.length === 0 ? 'unchanged' : found.join('; ')}`;
  return `certificate sha256:${close.certificateSha256}, closed ${when(close.closedAt)} by ${close.closedBy}; ${chain}; ${night}`;
}

/** The tax returns marked filed, newest first: what each holds and locks, when and by whom, the SHA-256 of the return as printed. */
function filedSection(view: PeriodsView, when: (instant: string) => string): string {
  if (view.filedReturns.length === 0) return '';
  const rows = [...view.filedReturns]
    .sort((one, other) => other.to.localeCompare(one.to))
    .map((filing) => [
      filing.period,
      filing.form,
      `${filing.from} to ${filing.to}`,
      `${when(filing.filedAt)} by ${filing.filedBy}`,
      `sha256:${filing.returnSha256}`,
    ]);
  return `<h2>Tax returns filed</h2>
<p>Each locks its days as a close does: nothing more is booked on or before its end (<code>ledgerline vat file</code>).</p>
${table('Each return marked filed, newest first', ['period', 'form', 'days', 'filed', 'return'], rows, ' id="filed-returns"')}
`;
}

/** A closed period's journals as its certificate names them, each with its evidence command. */
function closedDetail(close: ClosedPeriod, folder: string): string {
  const read = readCertificate(close, folder, 'ledger');
  const heading = `<h2 id="period-${text(close.period)}">${text(close.period)}: journals posted</h2>`;
  if (!read.ok) return `${heading}<p class="changed">${text(read.item.message)}</p>`;
  const rows = read.certificate.destinations.flatMap((destination) =>
    destination.journals.map(
      (journal) =>
        `<tr><td>${text(journal.date)}</td><td>${text(journal.entryId)}</td><td>${text(destination.name)}</td><td>${text(journal.journalId ?? '')}</td>` +
        `<td class="evidence" data-entry="${text(journal.entryId)}">evidence: <code>ledgerline evidence ${text(journal.entryId)}</code></td></tr>`,
    ),
  );
  const body = rows.length === 0 ? '<tr><td colspan="5">none</td></tr>' : rows.join('');
  return (
    `${heading}<table class="period-journals"><caption>What the certificate of ${text(close.period)} ` +
    `names at each destination</caption><thead><tr><th scope="col">date</th><th scope="col">entry</th><th ` +
    `scope="col">destination</th><th scope="col">journal</th><th ` +
    `scope="col">evidence</th></tr></thead><tbody>${body}</tbody></table>`
  );
}

/** GET /periods: each month open, closing or closed, read at each GET; instants in the books' zone. */
export async function answerPeriods(
  view: () => Promise<PeriodsView>,
  timeZone: string,
  response: ServerResponse,
): Promise<void> {
  const body = `${periodsSection(await view(), readableTime(timeZone))}\n`;
  const style = ' vertical-align: top; } .changed { color: #b71c1c; }';
  answerHtml(response, consoleDocument({ title: 'periods', maxWidthRem: 72, style, body }));
}
