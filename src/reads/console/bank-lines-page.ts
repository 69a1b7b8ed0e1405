import type { bankLinesView } from '../../pipeline/transit/index.js';
import { table, text } from '../finance-report/html.js';
import { consoleDocument } from './console-page.js';

/** What the bank-lines page reads: every landed line and what took it (as `ledgerline bank lines`), and the items open to a match. */
export type BankLinesShown = Awaited<ReturnType<typeof bankLinesView>>;
/** A payout or top-up no bank line settles yet: what the page offers a line. */
type OpenItemShown = BankLinesShown['openItems'][number];

/** What the page's forms post: a line given to an item, or an item's line taken back. */
export type HandMatchForm = { action: 'match'; item: string; line: string } | { action: 'unmatch'; item: string };

/** The posted form read; undefined when its action is neither match nor unmatch. */
export function readHandMatchForm(form: URLSearchParams): HandMatchForm | undefined {
  const item = (form.get('item') ?? '').trim();
  const action = form.get('action');
  if (action === 'unmatch') return { action, item };
  if (action === 'match') return { action, item, line: (form.get('line') ?? '').trim() };
  return undefined;
}

type Row = BankLinesShown['lines'][number];

/** The items that may take `row`: its currency, money in for a payout and money out for a top-up; the line's candidates first. */
function itemsFitting(row: Row, items: readonly OpenItemShown[]): OpenItemShown[] {
  const moneyIn = !row.amount.startsWith('-');
  const fitting = items.filter((item) => item.currency === row.currency && (item.kind === 'payout') === moneyIn);
  const candidates = new Set(row.candidateOf ?? []);
  return [...fitting.filter((item) => candidates.has(item.id)), ...fitting.filter((item) => !candidates.has(item.id))];
}

function decisionForm(csrfToken: string, fields: Record<string, string>, body: string): string {
  const hidden = Object.entries({ csrf: csrfToken, ...fields }).map(
    ([name, value]) => `<input type="hidden" name="${name}" value="${text(value)}">`,
  );
  return `<form method="post" action="/bank-lines" class="hand-match">${hidden.join('')}${body}</form>`;
}

/**
 * What the last column offers: Unmatch for a line an item took, else a choice of the open items that fit it, and
 * Match; nothing to take back on a line of a closed month (closed through 03-31: the line of 03-30 stays matched).
 */
function decisionCell(row: Row, items: readonly OpenItemShown[], csrfToken: string, closedThrough?: string): string {
  // A line an entry booked by hand explains is that entry's: nothing to match or unmatch.
  if (row.takenBy?.state === 'adjusted') return 'booked by hand';
  if (row.takenBy !== null && closedThrough !== undefined && row.date <= closedThrough)
    return `in a closed month (closed through ${text(closedThrough)})`;
  if (row.takenBy !== null)
    return decisionForm(
      csrfToken,
      { action: 'unmatch', item: row.takenBy.item },
      '<button type="submit">Unmatch</button>',
    );
  const fitting = itemsFitting(row, items);
  if (fitting.length === 0)
    return `no open ${row.amount.startsWith('-') ? 'top-up' : 'payout'} in ${text(row.currency)}: book it with an adjusting entry`;
  const options = fitting.map(
    (item) =>
      `<option value="${text(item.id)}">${text(item.id)}: ${text(item.amount)} ${text(item.currency)} ` +
      `of ${text(item.reportedOn)} (${text(item.state)})</option>`,
  );
  return decisionForm(
    csrfToken,
    { action: 'match', line: row.bankLine },
    `<label>Payout or top-up <select name="item" required>${options.join('')}</select></label> <button type="submit">Match</button>`,
  );
}

/**
 * The bank's words on a line, each once: an OFX line's reference is its MEMO when it has no REFNUM, and its
 * description NAME and MEMO, so "fee / ACME LTD fee" is "ACME LTD fee"; a reference the description lacks leads.
 */
function bankWords(row: Row): string {
  if (row.reference === '' || row.description.includes(row.reference)) return row.description;
  return [row.reference, row.description].filter((words) => words !== '').join(' / ');
}

function takenByText(row: Row): string {
  if (row.takenBy !== null)
    return `${row.takenBy.item} (${row.takenBy.state}, by ${row.takenBy.by === 'hand' ? 'hand' : 'rule'})`;
  if (row.candidateOf !== undefined) return `a candidate of ${row.candidateOf.join(', ')}: choose below`;
  return 'no payout or top-up';
}

/**
 * The console's "Bank lines" page: each landed line as of the books' day with what took it, a rule or a person,
 * and a form to give a stray line to a payout or top-up, or to take an item's line back: the word `transit match`
 * and `transit unmatch` record on the command line. Below, the payouts and top-ups no line settles.
 */
export function bankLinesPage(
  view: BankLinesShown,
  csrfToken: string,
  notice: string | undefined,
): (nonce: string) => string {
  const rows = view.lines.map((row) => ({
    attributes: ` data-line="${text(row.bankLine)}"${row.takenBy === null ? ' class="stray"' : ''}`,
    cells:
      [row.date, row.bankLine, row.amount, row.currency, bankWords(row), takenByText(row)]
        .map((cell) => `<td>${text(cell)}</td>`)
        .join('') + `<td>${decisionCell(row, view.openItems, csrfToken, view.closedThrough)}</td>`,
  }));
  const head = ['date', 'line', 'amount', 'currency', "bank's words", 'taken by', 'decide']
    .map((name) => `<th scope="col">${name}</th>`)
    .join('');
  const body =
    rows.length === 0
      ? '<tr><td colspan="7">no bank line has landed: import a statement first</td></tr>'
      : rows.map((row) => `<tr${row.attributes}>${row.cells}</tr>`).join('');
  const open = table(
    'Payouts and top-ups no bank line settles',
    ['item', 'kind', 'reported', 'amount', 'currency', 'state'],
    view.openItems.map((item) => [item.id, item.kind, item.reportedOn, item.amount, item.currency, item.state]),
    ' id="open-items"',
  );
  return consoleDocument({
    title: 'bank lines',
    maxWidthRem: 80,
    style:
      ' vertical-align: top; } tr.stray td:first-child { border-left: 3px solid #b3261e; } form.hand-match { margin: 0; }',
    nav: ` · <a href="/periods">periods</a>
${notice === undefined ? '' : `<p class="notice" role="status">${text(notice)}</p>`}`,
    body:
      `<section id="bank-lines"><h1>Bank lines</h1>
<p>Every line the bank statements landed, as of ${text(view.asOf)}, and the payout or top-up ` +
      `that took it, by rule or by a person. Give a line no item took to the one it settles, or take ` +
      `a line back from an item it is not. Each word is kept with your name and the time.</p>
<table id="bank-line-rows"><caption>Each landed line, in book order</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>
<h2>Open payouts and top-ups</h2>
${open}</section>
`,
  });
}
