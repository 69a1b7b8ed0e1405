import type { BankLinesReport } from '../pipeline/transit/index.js';

/**
 * `ledgerline bank lines`: one row per landed line, in book order, with what took it: an item by rule or by hand,
 * the items it is a candidate of, or nothing (a stray line, marked !). Example:
 *   2026-04-05  operating:SBX-1       120.00 USD  PAYPAL TRANSFER PAYELANCER 4421   payelancer:ads-publisher:payout:2026-04-03 (matched, by rule)
 * ! 2026-04-01  operating:SBX-0      -800.00 USD  RENT APRIL                         no payout or top-up
 */
export function renderBankLines(report: BankLinesReport, unmatchedOnly: boolean): string {
  const heading = unmatchedOnly
    ? `bank lines no payout or top-up took, as of ${report.asOf}`
    : `bank lines as of ${report.asOf} and what took each (! none)`;
  if (report.lines.length === 0) return `${heading}: none\n`;
  const rows = report.lines.map((line) => {
    const what =
      line.takenBy !== null
        ? `${line.takenBy.item} (${line.takenBy.state}, by ${line.takenBy.by})`
        : line.candidateOf !== undefined
          ? `a candidate of ${line.candidateOf.join(', ')}: choose with "ledgerline transit match ID ${line.bankLine}"`
          : 'no payout or top-up';
    const words = [line.reference, line.description].filter((text) => text !== '').join(' / ');
    return (
      `${line.takenBy === null ? '!' : ' '} ${line.date}  ${line.bankLine.padEnd(24)} ${line.amount.padStart(12)} ` +
      `${line.currency}  ${words.padEnd(36)} ${what}`
    );
  });
  return `${heading}\n${rows.join('\n')}\n`;
}
