import { accountCell, moneyCell, text } from './html.js';
import type { CurrencyStatements, StatementLine } from './statements.js';

/** The profit and loss, the balance sheet and the trial balance of each currency, as an accountant lays them out. */
export function statementsSection(
  statements: readonly CurrencyStatements[],
  window: { from: string; to: string },
): string {
  if (statements.length === 0)
    return '<section id="statements"><h2>Profit and loss, balance sheet</h2><p>No entries yet.</p></section>';
  const perCurrency = statements.map((statement) => {
    const suffix = statements.length > 1 ? ` (${statement.currency})` : '';
    return `<div class="statements" data-currency="${text(statement.currency)}">${profitAndLoss(statement, window, suffix)}${balanceSheet(statement, window.to, suffix)}</div>`;
  });
  return `<section id="statements"><h2>Profit and loss, balance sheet</h2>${perCurrency.join('')}</section>`;
}

export function trialBalanceSection(statements: readonly CurrencyStatements[], to: string): string {
  const tables = statements.map((statement) => {
    const rows = statement.trialBalance.lines.map(
      (line) =>
        `<tr data-account="${text(line.account)}" ` +
        `data-net="${text(line.net)}">${accountCell(line.name, line.account)}${moneyCell(line.debit)}${moneyCell(line.credit)}</tr>`,
    );
    return (
      `<table class="trial-balance" data-currency="${text(statement.currency)}"><caption>Trial balance ` +
      `at the end of ${text(to)} (${text(statement.currency)}, every entry up to that day)</caption>
<thead><tr><th scope="col">Account</th><th scope="col" class="num">Debit</th><th scope="col" class="num">Credit</th></tr></thead>
<tbody>${rows.join('')}</tbody>
<tfoot><tr class="total"><th scope="row">Total, net per ` +
      `account</th>${moneyCell(statement.trialBalance.debitTotal)}${moneyCell(statement.trialBalance.creditTotal)}</tr></tfoot></table>`
    );
  });
  return (
    `<section id="trial-balance"><h2>Trial balance</h2><p class="hint">Each account's net balance ` +
    `in the column it sits in, so the totals are of nets per account; they are equal when every ` +
    `entry balances. <code>ledgerline balances</code> prints the same totals on its "total net ` +
    `per account" line; its "total of every line" adds each debit and credit line (gross) and is ` +
    `larger.</p>${tables.join('')}</section>`
  );
}

function lines(entries: readonly StatementLine[], group: string): string {
  if (entries.length === 0) return `<tr class="empty"><td colspan="2">none</td></tr>`;
  return entries
    .map(
      (line) =>
        `<tr data-account="${text(line.account)}" data-group="${group}">${accountCell(line.name, line.account)}${moneyCell(line.amount)}</tr>`,
    )
    .join('');
}

function subtotal(label: string, amount: string, name: string): string {
  return `<tr class="total" data-total="${name}"><th scope="row">${text(label)}</th>${moneyCell(amount)}</tr>`;
}

function heading(label: string): string {
  return `<tr class="group"><th scope="rowgroup" colspan="2">${text(label)}</th></tr>`;
}

function profitAndLoss(statement: CurrencyStatements, window: { from: string; to: string }, suffix: string): string {
  const pl = statement.profitAndLoss;
  const result = pl.netResult.startsWith('-') ? 'Net loss' : 'Net profit';
  return (
    `<table class="profit-and-loss statement" data-currency="${text(statement.currency)}"><caption>Profit ` +
    `and loss, ${text(window.from)} to ${text(window.to)}${text(suffix)} <span ` +
    `class="unit">${text(statement.currency)}</span></caption>
<tbody>${heading('Revenue')}${lines(pl.revenue, 'revenue')}${subtotal('Total revenue', pl.revenueTotal, 'revenue')}
${heading('Expenses')}${lines(pl.expenses, 'expenses')}${subtotal('Total expenses', pl.expenseTotal, 'expenses')}</tbody>
<tfoot><tr class="result" data-total="net-result"><th scope="row">${result} for the period</th>${moneyCell(pl.netResult)}</tr></tfoot></table>`
  );
}

function balanceSheet(statement: CurrencyStatements, to: string, suffix: string): string {
  const sheet = statement.balanceSheet;
  const resultBefore =
    sheet.resultBefore === '0.00'
      ? ''
      : `<tr data-account="result-before" data-group="equity"><th scope="row">Results of earlier periods</th>${moneyCell(sheet.resultBefore)}</tr>`;
  const tie = sheet.ties
    ? `<p class="ties">Assets equal liabilities and equity: the balance sheet ties.</p>`
    : `<p class="ties broken">The balance sheet does not tie: assets ${text(sheet.assetTotal)}, ` +
      `liabilities and equity ${text(sheet.liabilitiesAndEquityTotal)}.</p>`;
  return (
    `<table class="balance-sheet statement" data-currency="${text(statement.currency)}"><caption>Balance ` +
    `sheet at the end of ${text(to)}${text(suffix)} <span class="unit">${text(statement.currency)}</span></caption>
<tbody>${heading('Assets')}${lines(sheet.assets, 'assets')}${subtotal('Total assets', sheet.assetTotal, 'assets')}
${heading('Liabilities')}${lines(sheet.liabilities, 'liabilities')}${subtotal('Total liabilities', sheet.liabilityTotal, 'liabilities')}
${heading('Equity')}${lines(sheet.equity, 'equity')}${resultBefore}<tr data-account="result-for-period" ` +
    `data-group="equity"><th scope="row">Result for the period <small class="key">from the profit ` +
    `and loss</small></th>${moneyCell(sheet.resultForPeriod)}</tr>${subtotal('Total equity', sheet.equityTotal, 'equity')}</tbody>
<tfoot><tr class="result" data-total="liabilities-and-equity"><th scope="row">Total liabilities ` +
    `and equity</th>${moneyCell(sheet.liabilitiesAndEquityTotal)}</tr></tfoot></table>${tie}`
  );
}
