import type { ServerResponse } from 'node:http';
import { formatCents } from '../../money/index.js';
import type { TaxPeriodTotal } from '../../rules/index.js';
import { table, text } from '../finance-report/html.js';
import { VAT_BOX_NAMES, vatPeriod, type VatReturn } from '../vat-return.js';
import { renderVatReport, type VatReport } from '../vat-report.js';
import { answerHtml, Refusal } from './console-http.js';
import { consoleDocument } from './console-page.js';

/** What the VAT page shows of a period: the return of the organisation's region (as `vat` prints it) and the tax per code. */
interface VatPageView {
  /** The return, with its filing (`vat file`) when its period, or one around it, was filed. */
  filed: VatReport;
  perCode: readonly TaxPeriodTotal[];
}

/** The VAT page's reads: the period's return and tax per code, and the period shown when none is asked (the books' quarter). */
export interface VatPageReads {
  view(period: string): Promise<VatPageView>;
  defaultPeriod(): Promise<string>;
}

/**
 * The console's /vat page (issue 70): the period chosen (a quarter or a month), the return's boxes as `vat --period`
 * prints them (the UK's nine boxes, AU's BAS, NZ's GST101A, by region) and the tax per code behind them, gross, tax
 * and net (debit positive, so sales are negative), all in the ledger's currency; whether it was filed, as `vat` says it.
 */
function vatPage(view: VatPageView): (nonce: string) => string {
  const { filed } = view;
  const boxes =
    'region' in filed
      ? filed.boxes.map((box) => [box.box, box.label, box.amount])
      : Object.entries(filed.boxes).map(([box, amount]) => [
          box,
          VAT_BOX_NAMES[box as keyof VatReturn['boxes']],
          amount,
        ]);
  const perCode = view.perCode.map((row) => [
    row.period,
    row.code,
    row.lines,
    formatCents(row.cents),
    row.taxCents === undefined ? 'no rate' : formatCents(row.taxCents),
    row.taxCents === undefined ? '' : formatCents(row.cents - row.taxCents),
  ]);
  const form = 'region' in filed ? `${filed.region} ${filed.form}` : 'UK VAT return';
  const others =
    filed.otherCurrencies.length === 0
      ? ''
      : `<p class="changed">Entries in ${text(filed.otherCurrencies.join(', '))} have no rate to convert them to ` +
        `${text(filed.currency)} (destinations.rates): they are not in these boxes.</p>`;
  const filing = renderVatReport(filed, 'filing').trim();
  const filedLine =
    filing === ''
      ? '<p id="vat-filed">Not filed (<code>ledgerline vat file --period …</code> marks it filed).</p>'
      : `<p id="vat-filed" class="${filed.filed?.same === false ? 'changed' : ''}">${text(filing.replaceAll('\n', '; '))}</p>`;
  return consoleDocument({
    title: `VAT ${text(filed.period)}`,
    maxWidthRem: 70,
    style: ' } td:last-child { text-align: right; }',
    nav:
      ` · <a href="/periods">periods</a>
<form method="get" action="/vat"><label>Period <input name="period" value="${text(filed.period)}" required ` +
      `placeholder="2026-Q1 or 2026-03"></label> <button type="submit">Show</button></form>`,
    body:
      `<section id="vat"><h1>VAT return ${text(filed.period)}</h1>
<p>${text(form)}, ${text(filed.from)} to ${text(filed.to)}, in ${text(filed.currency)}, from the ledger's own tax ` +
      `lines, as <code>ledgerline vat --period ${text(filed.period)}</code> prints it.</p>
${filedLine}
${others}${table(`The boxes of ${filed.period}`, ['box', 'what it is', 'amount'], boxes, ' id="vat-boxes"')}
${table('The tax per code behind them (debit positive: sales are negative)', ['month', 'code', 'lines', 'gross', 'tax', 'net'], perCode, ' id="vat-codes"')}
</section>`,
  });
}

/** GET /vat?period=2026-Q1|2026-03: that period's return, the books' quarter when none is asked; another period is refused. */
export async function answerVat(reads: VatPageReads, url: URL, response: ServerResponse): Promise<void> {
  const asked = url.searchParams.get('period') ?? (await reads.defaultPeriod());
  if (vatPeriod(asked) === undefined)
    throw new Refusal(400, `period=${asked.slice(0, 40)}: give a quarter (2026-Q1) or a month (2026-03)`);
  answerHtml(response, vatPage(await reads.view(asked)));
}
