import type { BankBalanceOff, TransitReport, TransitReportItem } from '../../pipeline/transit/index.js';
import { money, text } from './html.js';

/** The states that need a person: their rows are marked. */
const NEEDS_A_LOOK = new Set(['late', 'differs', 'ambiguous']);

/**
 * Money in transit: each payout and top-up, oldest first, with its state, age, amount and the bank line or
 * document that settled it; a late or differing row is marked in words (not by colour alone) and counted in
 * the heading. Absent (`null`) when nothing in this ledger can follow the money to the bank. Above the table, each
 * bank account whose ledger account does not reach its statement's closing balance (the fifth leg), counted too.
 */
export function transitSection(transit: TransitReport | null, balancesOff: readonly BankBalanceOff[] = []): string {
  if (transit === null) return '';
  const looks = transit.items.filter((item) => NEEDS_A_LOOK.has(item.state)).length + balancesOff.length;
  const head = ['', 'reported', 'kind', 'source', 'id', 'amount', 'state', 'age (days)', 'settled by']
    .map((cell) => `<th scope="col">${cell}</th>`)
    .join('');
  const rows =
    transit.items.length === 0
      ? `<tr><td colspan="9">no payouts or top-ups</td></tr>`
      : transit.items.map(transitRow).join('');
  return (
    `<section id="money-in-transit"><h2>Money in transit <span class="count">${looks}</span></h2>
<p class="hint">Each payout and top-up followed to the bank as of ${text(transit.asOf)}, oldest ` +
    `first; a marked row is late or differs from its bank line and waits for a person.</p>
${bankBalancesList(balancesOff)}<table id="transit-items"><caption>Payouts and top-ups, and ` +
    `the bank line or document that settled ` +
    `each</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

/** The bank accounts the ledger does not reach, each in the words `transit` prints: a person books the lines no item took. */
function bankBalancesList(balancesOff: readonly BankBalanceOff[]): string {
  if (balancesOff.length === 0) return '';
  const items = balancesOff
    .map((off) => `<li class="needs-look" data-bank-account="${text(off.account)}">! ${text(off.message)}</li>`)
    .join('');
  return `<ul id="bank-balances-off" aria-label="Bank accounts the ledger does not reach">${items}</ul>\n`;
}

function transitRow(item: TransitReportItem): string {
  const marked = NEEDS_A_LOOK.has(item.state);
  const mark = marked ? `<td class="mark">! ${text(item.state)}</td>` : '<td></td>';
  const cells = `<td class="day">${text(item.reportedOn)}</td>${[item.kind, item.source, item.id].map((cell) => `<td>${text(cell)}</td>`).join('')}`;
  return (
    `<tr data-item="${text(item.id)}" ` +
    `data-state="${text(item.state)}"${marked ? ' class="needs-look"' : ''}>${mark}${cells}<td ` +
    `class="num">${text(money(item.amount))} ${text(item.currency)}</td><td class="state">${text(item.state)}</td><td ` +
    `class="num">${item.ageDays}</td><td>${settledBy(item.match)}</td></tr>`
  );
}

/** The evidence, in words: the bank line (its amount and day) or the destination's reconciled document. */
function settledBy(match: TransitReportItem['match']): string {
  if (match === null) return '';
  if ('bankLine' in match)
    return `bank line <code>${text(match.bankLine)}</code>: ${text(money(match.amount))} on ${text(match.date)}`;
  return `document <code>${text(match.document)}</code> at the destination`;
}
