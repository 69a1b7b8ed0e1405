import { readableTime } from '../../calendar/index.js';
import type { PanelSeries, PublisherSeries, SourceFigures } from './daily-series.js';
import type { FinanceReport } from './finance-report-data.js';
import { adjustmentsSection } from './adjustments-section.js';
import { findingsSection, type PageControls } from './findings-section.js';
import { money, table, text } from './html.js';
import { PAGE_SCRIPT } from './page-script.js';
import { statementsSection, trialBalanceSection } from './statements-section.js';
import { taxSection } from './tax-summary.js';
import { transitSection } from './transit-section.js';
import { fleetSection } from '../fleet-section.js';

/** What the page inlines so that it works offline: uPlot's script and style sheet. */
export interface PageAssets {
  uplotJs: string;
  uplotCss: string;
}

/** What the console puts around the report: its own bar (trusted HTML it wrote) and the forms' controls. */
interface ConsoleFrame {
  bar: string;
  controls: PageControls;
  /** Extra sections after the report's (trusted HTML), given how the page writes a recorded instant and the report read. */
  after: (when: (instant: string) => string, report: FinanceReport) => string;
  /** This answer's CSP nonce, carried by the page's own scripts and styles. */
  nonce: string;
}

/**
 * The report as one HTML file with nothing to fetch. Every figure is written
 * into the page as text (tables that print and that a screen reader reads);
 * the charts are drawn from the same figures, embedded as JSON. The console
 * serves the same page with its bar and forms (`frame`). Recorded instants are written in `timeZone`.
 */
export function reportPage(report: FinanceReport, assets: PageAssets, timeZone: string, frame?: ConsoleFrame): string {
  return [...reportPageParts(report, assets, timeZone, frame)].join('');
}

/**
 * The page of reportPage in the order it is read: the head (with the styles) and the headline first, then each
 * section as it is written, then the embedded data and scripts. The whole page is never one string in memory.
 */
function* reportPageParts(
  report: FinanceReport,
  assets: PageAssets,
  timeZone: string,
  frame?: ConsoleFrame,
): Generator<string> {
  yield pageHead(report, assets, frame);
  yield* pageBody(report, assets, timeZone, frame);
}

/**
 * The console's page, the same bytes as reportPageParts: the head is written from the window alone, before
 * `read` runs, so the browser has the title, the styles and the bar while the figures are still being read
 * (on a year of 1M lines, the first byte in milliseconds instead of after every read).
 */
export async function* streamedReportPage(
  window: Pick<FinanceReport, 'from' | 'to'>,
  read: () => Promise<FinanceReport>,
  assets: PageAssets,
  timeZone: string,
  frame: ConsoleFrame,
): AsyncGenerator<string> {
  yield pageHead(window, assets, frame);
  yield* pageBody(await read(), assets, timeZone, frame);
}

/** Everything above the headline: what needs only the window's dates. */
function pageHead(
  window: Pick<FinanceReport, 'from' | 'to'>,
  assets: PageAssets,
  frame: ConsoleFrame | undefined,
): string {
  const nonce = frame === undefined ? '' : ` nonce="${frame.nonce}"`;
  return (
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame ? 'ledgerline console' : 'ledgerline report'} ${text(window.from)} to ${text(window.to)}</title>
<style${nonce}>${inlined(assets.uplotCss, 'style')}</style>
<style${nonce}>${PAGE_STYLE}</style>
</head>
<body>
${frame?.bar ?? ''}
<header>
<h1>Books from ${text(window.from)} to ${text(window.to)}</h1>
<p class="lede">Amounts in cents as sent to the accounting system, with their natural signs: ` +
    `revenue, liabilities and equity positive when they are credits. Brackets mark a negative amount. ` +
    `Account names come from the chart of accounts; the ledger's key is in small print.</p>
`
  );
}

/** The headline, each section, then the embedded data and scripts: what needs the report's figures. */
function* pageBody(
  report: FinanceReport,
  assets: PageAssets,
  timeZone: string,
  frame: ConsoleFrame | undefined,
): Generator<string> {
  yield `${headline(report)}
</header>
<main>
`;
  // The zone's formatter (ICU's time-zone data, ~20 ms to build) only once a section writes a recorded instant.
  let written: ((instant: string) => string) | undefined;
  const when = (instant: string) => (written ??= readableTime(timeZone))(instant);
  const sections = [
    () => statementsSection(report.statements, report),
    () =>
      findingsSection(
        report.findings,
        when,
        frame?.controls,
        report.earlierNeedingPerson === undefined
          ? undefined
          : { needingPerson: report.earlierNeedingPerson, before: report.from },
      ),
    () => (report.fleet === undefined ? '' : fleetSection(report.fleet)),
    () => transitSection(report.transit, report.bankBalancesOff),
    () => adjustmentsSection(report.adjustments),
    () => taxSection(report.tax),
    () => summarySection(report),
    () => nightsSection(report),
    () => chartsSection(report),
    () => trialBalanceSection(report.statements, report.to),
    () => deliverySection(report),
  ];
  for (const section of sections) yield `${section()}\n`;
  const nonce = frame === undefined ? '' : ` nonce="${frame.nonce}"`;
  yield `${frame?.after(when, report) ?? ''}
</main>
<script type="application/json" id="report-data"${nonce}>${embeddedJson({ panels: report.panels, publishers: report.publishers, tax: report.tax })}</script>
<script${nonce}>${inlined(assets.uplotJs, 'script')}</script>
<script${nonce}>${inlined(PAGE_SCRIPT, 'script')}</script>
</body>
</html>
`;
}

/** JSON that cannot end its script element: every "<" is written \u003c (as are the two line separators JavaScript once refused). */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A library's text inside <script> or <style>: a closing tag in it would end the element early ("<\/" means the same in JS and CSS strings). */
function inlined(code: string, element: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
}

/** What a finance person reads first: the result, what waits for them, and whether the books tie. */
function headline(report: FinanceReport): string {
  const waiting = report.findings['needs-person'].length;
  const results = report.statements.map(
    (statement) =>
      `<div class="figure" data-figure="net-result"><span ` +
      `class="label">${statement.profitAndLoss.netResult.startsWith('-') ? 'Net loss' : 'Net profit'} ` +
      `(${text(statement.currency)})</span><span class="value ` +
      `num">${text(money(statement.profitAndLoss.netResult))}</span></div>`,
  );
  const ties = report.statements.every((statement) => statement.balanceSheet.ties);
  return (
    `<div class="headline">${results.join('')}<a class="figure${waiting > 0 ? ' attention' : ''}" ` +
    `href="#needs-person" data-figure="needs-person"><span class="label">Needs a person</span><span ` +
    `class="value">${waiting}</span></a><div class="figure" data-figure="ties"><span class="label">Balance ` +
    `sheet</span><span class="value">${ties ? 'ties' : 'does not tie'}</span></div></div>`
  );
}

/** The money columns a source's row shares in the summary and the nights tables. */
const MONEY_COLUMNS = ['source', 'currency', 'earned', 'spent', 'refunded', 'paid out'];

function moneyCells(row: SourceFigures): string[] {
  return [row.sourceId, row.currency, row.earned, row.spent, row.refunded, row.paidOut];
}

function summarySection(report: FinanceReport): string {
  const summaries = table(
    `Each source from ${report.from} to ${report.to}`,
    MONEY_COLUMNS,
    report.summaries.map(moneyCells),
    ' id="source-summary"',
  );
  return `<section id="sources"><h2>Each source's period</h2>${summaries}</section>`;
}

function nightsSection(report: FinanceReport): string {
  const nights = table(
    `What each night booked, the window's last days, newest first`,
    ['day', ...MONEY_COLUMNS],
    report.nights.map((night) => [night.date, ...moneyCells(night)]),
    ' id="nights"',
  );
  return `<section id="last-nights"><h2>The last nights</h2>${nights}</section>`;
}

function chartsSection(report: FinanceReport): string {
  const figures = [
    ...report.panels.map(panelBalanceFigure),
    ...report.publishers.map(receivableFigure),
    ...report.panels.map(chargesFigure),
  ];
  return `<section id="charts"><h2>Charts</h2>${figures.length === 0 ? '<p>No panel or publisher has entries in this window.</p>' : figures.join('')}</section>`;
}

/** A chart and its table of the same rows under the same title: the canvas is for the eye, the table for screen readers and paper. */
function figure(name: string, title: string, head: readonly string[], rows: readonly (readonly string[])[]): string {
  return (
    `<figure class="chart" data-chart="${text(name)}"><figcaption>${text(title)}</figcaption><div ` +
    `class="plot" aria-hidden="true"></div><div class="chart-table">${table(title, head, rows)}</div></figure>`
  );
}

function panelBalanceFigure(panel: PanelSeries): string {
  const title = `${panel.sourceId}: balance reported by the panel and the ledger's panel_prepaid, per day (${panel.currency}, exact)`;
  const rows = panel.days.map((day) => [day.date, day.reported ?? 'no close', day.ledger]);
  return figure(
    `panel-balance:${panel.sourceId}:${panel.currency}`,
    title,
    ['day', 'reported', 'ledger panel_prepaid'],
    rows,
  );
}

function receivableFigure(publisher: PublisherSeries): string {
  const title = `${publisher.sourceId}: receivable against the ${publisher.minimum} payout threshold, payouts marked (${publisher.currency}, exact)`;
  const rows = publisher.days.map((day) => [day.date, day.receivable, day.paidOut ?? '']);
  const head = ['day', 'receivable at end of day', 'paid out'];
  return figure(`publisher-receivable:${publisher.sourceId}:${publisher.currency}`, title, head, rows);
}

function chargesFigure(panel: PanelSeries): string {
  const title = `${panel.sourceId}: order charges and refunds per day (${panel.currency})`;
  const rows = panel.days.map((day) => [day.date, day.charges, day.refunds]);
  return figure(`panel-charges:${panel.sourceId}:${panel.currency}`, title, ['day', 'charges', 'refunds'], rows);
}

function deliverySection(report: FinanceReport): string {
  const counts = table(
    `Delivery of the entries dated ${report.from} to ${report.to}`,
    ['destination', 'posted', 'unposted', 'refused', 'skipped (nothing to post)'],
    report.deliveries.map((row) => [
      row.destination,
      String(row.posted),
      String(row.unposted),
      String(row.refused),
      String(row.skipped),
    ]),
    ' id="deliveries"',
  );
  const refused = table(
    'Refused entries and why',
    ['destination', 'entry', 'date', 'source', 'reason'],
    report.refused.map((row) => [row.destination, row.entryId, row.date, row.sourceId, row.reason]),
  );
  const quarantined = table(
    'Quarantined replies',
    ['id', 'source', 'as of', 'item', 'reason'],
    report.quarantined.map((row) => [row.id, row.sourceId, row.asOf, row.ref, row.reason]),
  );
  const none = report.deliveries.length === 0 ? '<p>No destination is configured.</p>' : '';
  return `<section id="delivery"><h2>Delivery</h2>${none}${counts}${refused}${quarantined}</section>`;
}

const PAGE_STYLE =
  `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { margin: 1.2rem 0 0.4rem; }
.lede, .hint, .none { color: #555; }
.headline { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.headline .figure { display: flex; flex-direction: column; border: 1px solid #ddd; border-radius: ` +
  `6px; padding: 0.6rem 1rem; min-width: 11rem; color: inherit; text-decoration: none; }
.headline .figure.attention { border-color: #b03a2e; background: #fdf1ef; }
.headline .label { font-size: 0.85rem; color: #555; }
.headline .value { font-size: 1.5rem; font-weight: 600; }
table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: left; }
th[scope="row"] { font-weight: normal; }
td.num, th.num { text-align: right; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
small.key { color: #777; font-size: 0.75em; font-family: ui-monospace, monospace; margin-left: 0.3rem; }
.unit { font-weight: normal; color: #555; }
.statements { display: flex; flex-wrap: wrap; gap: 0 2.5rem; align-items: flex-start; }
table.statement { min-width: 24rem; }
table.statement td, table.statement th { border-width: 0 0 1px 0; }
tr.group th { font-weight: 600; padding-top: 0.6rem; border: 0; }
tr.total th, tr.total td { font-weight: 600; border-top: 1px solid #999; }
tr.result th, tr.result td { font-weight: 700; border-top: 2px solid #333; border-bottom: 3px double #333; }
table.trial-balance tfoot th, table.trial-balance tfoot td { font-weight: 700; border-top: 2px solid #333; }
.ties { color: #2e7d32; margin-top: 0; }
.ties.broken { color: #b03a2e; font-weight: 600; }
figure.chart { margin: 1.5rem 0; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
.plot { width: 100%; min-height: 300px; }
/* Screen readers read the table beside each chart; the eye sees the canvas. */
.chart-table { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.count { display: inline-block; min-width: 1.4rem; text-align: center; border-radius: 0.7rem; background: #eee; font-size: 0.85rem; padding: 0 0.4rem; }
ul.findings { list-style: none; padding: 0; }
ul.findings > li { border: 1px solid #ddd; border-left: 4px solid #b03a2e; padding: 0.4rem 0.8rem; margin: 0.5rem 0; }
ul.findings > li.explained { border-left-color: #1f5fa8; }
ul.findings > li.acknowledged { border-left-color: #2e7d32; }
ul.findings p { margin: 0.15rem 0; }
.when, .id { color: #555; font-size: 0.9em; }
ol.history { margin: 0.3rem 0; padding-left: 1.4rem; font-size: 0.92em; }
ol.history li.unack { color: #8a4b00; }
.note { font-style: italic; }
#transit-items tr.needs-look td { background: #fdf1ef; }
#transit-items td.mark { color: #b03a2e; font-weight: 600; white-space: nowrap; }
#transit-items td.day { white-space: nowrap; }
form.ack { margin: 0.4rem 0 0.2rem; display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
form.ack input[type="text"] { width: 26rem; max-width: 100%; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .plot, form, nav.console { display: none; }
  .chart-table { position: static; width: auto; height: auto; overflow: visible; clip: auto; clip-path: none; white-space: normal; }
  /* The statements and the findings fill the first pages; charts, the trial balance and delivery each start a page. */
  #charts, #trial-balance, #delivery { break-before: page; }
  figure.chart, table, ul.findings > li, .headline { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
