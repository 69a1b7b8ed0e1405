import type { BalanceRow, BalancesReport } from './balances-report.js';

/**
 * `balances`' text: the trial balance or the movement of a window, per period and currency, in cents as sent to the
 * destinations; a movement lists profit and loss (with its result) before the balance sheet.
 */
export function renderBalances(report: BalancesReport): string {
  const window =
    report.kind === 'trial-balance'
      ? `trial balance${report.to ? ` as of ${report.to}` : ''}`
      : `movement ${report.from} to ${report.to}`;
  const lines = [
    `${window}${report.sourceId ? `, source ${report.sourceId}` : ''}, in cents as sent to the destinations`,
  ];
  if (report.rows.length === 0) return `${lines[0]}: no entries\n`;
  const amount = (text: string) => text.padStart(14);
  const line = (row: BalanceRow) =>
    `  ${row.account.padEnd(26)} ${amount(row.debitCents)} ${amount(row.creditCents)} ${amount(row.netCents)} ${row.currency}`;
  for (const total of report.totals) {
    lines.push('', `${total.period === null ? '' : `${total.period}  `}${total.currency}`.trimEnd());
    lines.push(`  ${'account'.padEnd(26)} ${amount('debit (gross)')} ${amount('credit (gross)')} ${amount('net')}`);
    const rows = report.rows.filter((row) => row.period === total.period && row.currency === total.currency);
    const profitAndLoss = rows.filter((row) => row.type === 'revenue' || row.type === 'expense');
    const others = rows.filter((row) => !profitAndLoss.includes(row));
    if (report.kind === 'movement' && profitAndLoss.length > 0) {
      lines.push('  profit and loss');
      lines.push(...profitAndLoss.map(line));
      lines.push(
        `  ${'result (profit +, loss −)'.padEnd(26)} ${amount('')} ${amount('')} ${amount(total.resultCents)}`,
      );
      if (others.length > 0) lines.push('  balance sheet');
      lines.push(...others.map(line));
    } else {
      lines.push(...rows.map(line));
    }
    // Two totals, each named: every line's debits and credits, and the nets as the report's trial balance adds them.
    lines.push(`  ${'total of every line'.padEnd(26)} ${amount(total.debitCents)} ${amount(total.creditCents)}`);
    lines.push(
      `  ${'total net per account'.padEnd(26)} ${amount(total.netDebitCents)} ${amount(total.netCreditCents)}   (the report's trial balance)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
