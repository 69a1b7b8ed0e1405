import type { TransitReport } from '../pipeline/transit/index.js';

/** One row per item, oldest first, late, differing and ambiguous ones marked; an ambiguous one's candidate lines below it. */
export function renderTransit(report: TransitReport): string {
  if (report.items.length === 0) return `money in transit as of ${report.asOf}: no payouts or top-ups\n`;
  const rows = report.items.map((item) => {
    const mark = item.state === 'late' || item.state === 'differs' || item.state === 'ambiguous' ? '!' : ' ';
    const { match } = item;
    const hand = match !== null && 'byHand' in match ? ', matched by hand' : '';
    const settled =
      match === null
        ? ''
        : 'bankLine' in match
          ? `  bank ${match.amount} on ${match.date} (${match.bankLine}${hand})`
          : `  reconciled at the destination (document ${match.document})`;
    const row =
      `${mark} ${item.reportedOn}  ${item.kind.padEnd(6)} ${item.source.padEnd(16)} ${item.amount.padStart(12)} ` +
      `${item.currency}  ${item.state.padEnd(14)} ${String(item.ageDays).padStart(3)} d  ${item.id}${settled}`;
    const candidates = (item.candidates ?? []).map(
      (line) =>
        `      candidate ${line.bankLine}: ${line.amount} on ${line.date} "${line.reference}": ledgerline transit match ${item.id} ${line.bankLine}`,
    );
    return [row, ...candidates].join('\n');
  });
  return `money in transit as of ${report.asOf} (! late, differs or ambiguous)\n${rows.join('\n')}\n`;
}
