import type { Chart } from '../../config/index.js';
import type { FinanceReport } from '../finance-report/index.js';
import { text } from '../finance-report/html.js';
import type { PageControls } from '../finance-report/findings-section.js';

/** What the console's "Adjusting entry" form posts, as read from its body: one debit and one credit line. */
export interface AdjustingEntryForm {
  date: string;
  /** Empty: the configuration's currency. */
  currency: string;
  debitAccount: string;
  debitAmount: string;
  creditAccount: string;
  creditAmount: string;
  reason: string;
  /** Empty: the entry explains no finding. */
  explains: string;
  /** Empty: the entry settles no bank line; else the line it explains (ACCOUNT:LINE-ID), as `adjust --settles`. */
  settles: string;
  /** Empty: the lines are coded as the chart's rules code them; else a code of the chart's tax:, as `adjust --tax`. */
  tax: string;
}

const FIELDS = [
  'date',
  'currency',
  'debitAccount',
  'debitAmount',
  'creditAccount',
  'creditAmount',
  'reason',
  'explains',
  'settles',
  'tax',
] as const;

/** The form's fields from a posted body; a missing one is empty, so `adjust`'s own refusals name it. */
export function readAdjustingEntryForm(form: URLSearchParams): AdjustingEntryForm {
  return Object.fromEntries(
    FIELDS.map((field) => [field, (form.get(field) ?? '').trim()]),
  ) as unknown as AdjustingEntryForm;
}

/**
 * The "Adjusting entry" section: a balanced two-line entry (the chart's accounts to pick from), a required
 * reason, and the finding it explains among those waiting for a person. `adjust` on the command line takes more lines.
 * The date starts at the books' day (`booksDay`), the latest it may take: never the window's end, which can be ahead.
 */
export function adjustingEntrySection(
  report: FinanceReport,
  accounts: Chart['accounts'],
  controls: PageControls,
  booksDay: string,
): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${text(value)}">`;
  const options = Object.entries(accounts)
    .map(([key, account]) => `<option value="${text(key)}">${text(account.name)} (${text(key)})</option>`)
    .join('');
  const findings = report.findings['needs-person']
    .map((item) => `<option value="${text(item.id)}">${text(item.id)}</option>`)
    .join('');
  const line = (side: 'debit' | 'credit', title: string) =>
    `<label>${title} account <select name="${side}Account" required><option value="">choose…</option>${options}</select></label> ` +
    `<label>amount <input type="text" name="${side}Amount" inputmode="decimal" required placeholder="28.71" size="10"></label>`;
  return (
    `<section id="adjusting-entry"><h2>Adjusting entry</h2>
<p class="hint">Book an entry by hand: it is kept with your name, the time and the reason, shown in the report, and posted like any entry by the next post.</p>
<form method="post" action="/adjust" class="adjust">${hidden('csrf', controls.csrfToken)}${hidden('from', controls.from)}${hidden('to', controls.to)}
<p><label>Date <input type="date" name="date" value="${text(booksDay)}" max="${text(booksDay)}" ` +
    `required></label> <label>Currency <input type="text" name="currency" size="4" placeholder="default"></label></p>
<p>${line('debit', 'Debit')}</p>
<p>${line('credit', 'Credit')}</p>
<p><label>Reason <input type="text" name="reason" required maxlength="300" size="60" placeholder="why, e.g. panel fee taken by hand, ticket 881"></label></p>
<p><label>Explains <select name="explains"><option value="">no finding</option>${findings}</select></label> ` +
    `<label>Settles bank line <input type="text" name="settles" size="24" placeholder="operating:B-03 (bank lines)"></label> ` +
    `<label>Tax code <input type="text" name="tax" size="16" placeholder="as the chart codes it"></label></p>
<p><button type="submit">Book adjusting entry</button></p></form></section>`
  );
}
