import type { ReconcileItem } from '../reconcile-report.js';
import type { PanelSeries, PublisherSeries } from './daily-series.js';
import type { FinanceReport } from './finance-report-data.js';
import { PAGE_SCRIPT } from './page-script.js';

/** What the page inlines so that it works offline: uPlot's script and style sheet. */
export interface PageAssets {
  uplotJs: string;
  uplotCss: string;
}

/**
 * The report as one HTML file with nothing to fetch. Every figure is written
 * into the page as text (tables that print and that a screen reader reads);
 * the charts are drawn from the same figures, embedded as JSON.
 */
export function reportPage(report: FinanceReport, assets: PageAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ledgerline report ${text(report.from)} to ${text(report.to)}</title>
<style>${inlined(assets.uplotCss, 'style')}</style>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>ledgerline report</h1>
<p>Entries dated <time>${text(report.from)}</time> to <time>${text(report.to)}</time>. Amounts in cents as sent to the destinations unless marked exact.</p>
</header>
<main>
${summarySection(report)}
${chartsSection(report)}
${checklistSection(report.checklist)}
${deliverySection(report)}
</main>
<script type="application/json" id="report-data">${embeddedJson(report)}</script>
<script>${inlined(assets.uplotJs, 'script')}</script>
<script>${inlined(PAGE_SCRIPT, 'script')}</script>
</body>
</html>
`;
}

/** JSON that cannot end its script element: every "<" is written \u003c (as are the two line separators JavaScript once refused). */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A library's text inside <script> or <style>: a closing tag in it would end the element early ("<\/" means the same in JS and CSS strings). */
function inlined(code: string, element: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
}

function text(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function table(caption: string, head: readonly string[], rows: readonly (readonly (string | number | null)[])[], attributes = ''): string {
  const cells = (row: readonly (string | number | null)[]) => row.map((cell, index) => `<td${index > 0 && typeof cell === 'string' && /^-?\d/.test(cell) ? ' class="num"' : ''}>${cell === null ? '' : text(cell)}</td>`).join('');
  return `<table${attributes}><caption>${text(caption)}</caption><thead><tr>${head.map((cell) => `<th scope="col">${text(cell)}</th>`).join('')}</tr></thead><tbody>${
    rows.length === 0 ? `<tr><td colspan="${head.length}">none</td></tr>` : rows.map((row) => `<tr>${cells(row)}</tr>`).join('')
  }</tbody></table>`;
}

function summarySection(report: FinanceReport): string {
  const summaries = table(
    `Each source from ${report.from} to ${report.to}`,
    ['source', 'currency', 'earned', 'spent', 'refunded', 'paid out'],
    report.summaries.map((summary) => [summary.sourceId, summary.currency, summary.earned, summary.spent, summary.refunded, summary.paidOut]),
    ' id="source-summary"',
  );
  const perSource = table(
    `Each source's balances at the end of ${report.to}`,
    ['source', 'account', 'currency', 'net (debit − credit)'],
    report.summaries.flatMap((summary) => summary.balances.map((balance) => [summary.sourceId, balance.account, summary.currency, balance.netCents])),
  );
  const balances = table(
    `Trial balance at the end of ${report.to}, all sources (as ledgerline balances --as-of ${report.to})`,
    ['account', 'currency', 'net (debit − credit)'],
    report.balances.map((balance) => [balance.account, balance.currency, balance.netCents]),
    ' id="trial-balance"',
  );
  return `<section id="summary"><h2>Summary</h2>${summaries}${balances}${perSource}</section>`;
}

function chartsSection(report: FinanceReport): string {
  const figures = [
    ...report.panels.map(panelBalanceFigure),
    ...report.publishers.map(receivableFigure),
    ...report.panels.map(chargesFigure),
  ];
  return `<section id="charts"><h2>Charts</h2>${figures.length === 0 ? '<p>No panel or publisher has entries in this window.</p>' : figures.join('')}</section>`;
}

/** A chart and its table: the canvas is for the eye, the table for screen readers and paper. */
function figure(name: string, title: string, chartTable: string): string {
  return `<figure class="chart" data-chart="${text(name)}"><figcaption>${text(title)}</figcaption><div class="plot" aria-hidden="true"></div><div class="chart-table">${chartTable}</div></figure>`;
}

function panelBalanceFigure(panel: PanelSeries): string {
  const title = `${panel.sourceId}: balance reported by the panel and the ledger's panel_prepaid, per day (${panel.currency}, exact)`;
  const rows = panel.days.map((day) => [day.date, day.reported ?? 'no close', day.ledger]);
  return figure(`panel-balance:${panel.sourceId}:${panel.currency}`, title, table(title, ['day', 'reported', 'ledger panel_prepaid'], rows));
}

function receivableFigure(publisher: PublisherSeries): string {
  const title = `${publisher.sourceId}: receivable against the ${publisher.minimum} payout threshold, payouts marked (${publisher.currency}, exact)`;
  const rows = publisher.days.map((day) => [day.date, day.receivable, day.paidOut ?? '']);
  return figure(`publisher-receivable:${publisher.sourceId}:${publisher.currency}`, title, table(title, ['day', 'receivable at end of day', 'paid out'], rows));
}

function chargesFigure(panel: PanelSeries): string {
  const title = `${panel.sourceId}: order charges and refunds per day (${panel.currency})`;
  const rows = panel.days.map((day) => [day.date, day.charges, day.refunds]);
  return figure(`panel-charges:${panel.sourceId}:${panel.currency}`, title, table(title, ['day', 'charges', 'refunds'], rows));
}

function checklistSection(items: readonly ReconcileItem[]): string {
  if (items.length === 0) return '<section id="checklist"><h2>Reconcile checklist</h2><p>Nothing open: reconcile is clean.</p></section>';
  const entries = items.map((item) => {
    const done = item.class === 'information' || item.acknowledged !== null;
    const state =
      item.class === 'information' ? 'for the record' : item.acknowledged ? `acknowledged by ${item.acknowledged.by} at ${item.acknowledged.at}` : 'to do';
    const note = item.acknowledged?.note ? `<p class="note">Note: ${text(item.acknowledged.note)}</p>` : '';
    const amount = item.amount === null ? '' : ` <span class="num">${text(item.amount)} ${text(item.currency ?? '')}</span>`;
    return `<li class="${done ? 'done' : 'todo'}" data-item="${text(item.id)}"><label><input type="checkbox" disabled${done ? ' checked' : ''}> <strong>${text(state)}</strong> ${text(item.date)} ${text(item.source)} ${text(item.kind)}${amount}</label><p>${text(item.message)}</p><p class="id">id <code>${text(item.id)}</code></p>${note}</li>`;
  });
  const open = items.filter((item) => item.class === 'action' && item.acknowledged === null).length;
  return `<section id="checklist"><h2>Reconcile checklist</h2><p>${open} action item(s) waiting; acknowledge one with <code>ledgerline reconcile ack ID --note "…"</code>.</p><ul class="checklist">${entries.join('')}</ul></section>`;
}

function deliverySection(report: FinanceReport): string {
  const counts = table(
    `Delivery of the entries dated ${report.from} to ${report.to}`,
    ['destination', 'posted', 'unposted', 'refused', 'skipped (nothing to post)'],
    report.deliveries.map((row) => [row.destination, String(row.posted), String(row.unposted), String(row.refused), String(row.skipped)]),
    ' id="deliveries"',
  );
  const refused = table('Refused entries and why', ['destination', 'entry', 'date', 'source', 'reason'], report.refused.map((row) => [row.destination, row.entryId, row.date, row.sourceId, row.reason]));
  const quarantined = table('Quarantined replies', ['id', 'source', 'as of', 'item', 'reason'], report.quarantined.map((row) => [row.id, row.sourceId, row.asOf, row.ref, row.reason]));
  const none = report.deliveries.length === 0 ? '<p>No destination is configured.</p>' : '';
  return `<section id="delivery"><h2>Delivery</h2>${none}${counts}${refused}${quarantined}</section>`;
}

const PAGE_STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: left; }
td.num { text-align: right; }
.num { font-variant-numeric: tabular-nums; }
figure.chart { margin: 1.5rem 0; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
.plot { width: 100%; min-height: 300px; }
/* Screen readers read the table beside each chart; the eye sees the canvas. */
.chart-table { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
ul.checklist { list-style: none; padding: 0; }
ul.checklist li { border: 1px solid #ddd; border-left: 4px solid #b03a2e; padding: 0.4rem 0.8rem; margin: 0.5rem 0; }
ul.checklist li.done { border-left-color: #2e7d32; }
ul.checklist p { margin: 0.2rem 0 0 1.6rem; }
.id, .note { color: #555; font-size: 0.9em; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .plot { display: none; }
  .chart-table { position: static; width: auto; height: auto; overflow: visible; clip: auto; clip-path: none; white-space: normal; }
  figure.chart, table { break-inside: avoid; }
}
`;
