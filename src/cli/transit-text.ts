import type { TransitReport } from '../pipeline/transit/index.js';

/** One row per item, oldest first, late and differing ones marked. */
export function renderTransit(report: TransitReport): string {
  if (report.items.length === 0) return `money in transit as of ${report.asOf}: no payouts or top-ups\n`;
  const rows = report.items.map((item) => {
    const mark = item.state === 'late' || item.state === 'differs' ? '!' : ' ';
    const { match } = item;
    const settled = match === null ? '' : 'bankLine' in match ? `  bank ${match.amount} on ${match.date} (${match.bankLine})` : `  reconciled at the destination (document ${match.document})`;
    return `${mark} ${item.reportedOn}  ${item.kind.padEnd(6)} ${item.source.padEnd(16)} ${item.amount.padStart(12)} ${item.currency}  ${item.state.padEnd(14)} ${String(item.ageDays).padStart(3)} d  ${item.id}${settled}`;
  });
  return `money in transit as of ${report.asOf} (! late or differs)\n${rows.join('\n')}\n`;
}
