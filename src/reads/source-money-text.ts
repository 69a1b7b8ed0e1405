import type { SourceMoneyView } from '../pipeline/runs/index.js';

/**
 * "  ads-publisher: booked 2 events in 1 entry
 *      Dr payelancer_receivable          60.00 USD
 *      …
 *      payout 60.00 USD by paypal, dated 2026-03-31
 *      ! balance_fall: …"
 * Amounts are the cents destinations receive; the exact figure follows when it differs.
 */
export function sourceMoneyLines(source: SourceMoneyView): string[] {
  if (source.error !== undefined) return [`  ${source.sourceId}: FAILED: ${source.error}`];
  const counts = [
    ...(source.polled === undefined ? [] : [`${source.polled} orders polled`]),
    ...(source.quarantined > 0 ? [`${source.quarantined} quarantined`] : []),
  ];
  const booked =
    source.entries === 0
      ? 'nothing booked'
      : `booked ${plural(source.events, 'event')} in ${plural(source.entries, 'entry', 'entries')}`;
  const lines = [`  ${source.sourceId}: ${[booked, ...counts].join(', ')}`];
  for (const row of source.booked) {
    const negative = row.netCents.startsWith('-');
    const side = row.netCents === '0.00' ? '  ' : negative ? 'Cr' : 'Dr';
    const cents = negative ? row.netCents.slice(1) : row.netCents;
    const exact = row.net.startsWith('-') ? row.net.slice(1) : row.net;
    lines.push(
      `    ${journalLine(side, row.account, cents, row.currency)}${exact === cents ? '' : ` (exact ${exact})`}`,
    );
  }
  for (const payout of source.payouts)
    lines.push(`    payout ${payout.amount} ${payout.currency} by ${payout.method}, dated ${payout.date}`);
  for (const item of source.actionItems) lines.push(`    ! ${item.kind}: ${item.message}`);
  if (source.informationItems > 0) {
    lines.push(
      `    ${plural(source.informationItems, 'item')} for the record (\`ledgerline reconcile\` lists ${source.informationItems === 1 ? 'it' : 'them'})`,
    );
  }
  return lines;
}

/** A journal line as the commands print it, in columns: "Dr payelancer_receivable          60.00 USD". */
export function journalLine(side: 'Dr' | 'Cr' | '  ', account: string, amount: string, currency: string): string {
  return `${side} ${account.padEnd(26)} ${amount.padStart(14)} ${currency}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
