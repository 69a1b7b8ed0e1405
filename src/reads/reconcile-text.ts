import type { TieOutReport } from './destination-tie-out.js';
import { itemTitle } from './item-titles.js';
import { renderTaxRows } from './tax-tie-out.js';
import type { ReconcileReport } from './reconcile-report.js';

/**
 * `reconcile --with` as text: the tie-out, its tax rows when it has them, and each change to a closed period since
 * it was sealed (pipeline/operations' closedPeriodChanges), a TODO line each.
 */
export function renderTieOutWith(
  name: string,
  report: TieOutReport,
  changes: readonly { date: string; kind: string; message: string }[],
): string {
  return (
    renderTieOut(name, report) +
    (report.tax === undefined ? '' : renderTaxRows(name, report.tax)) +
    changes.map((change) => `TODO  ${change.date}  ${change.kind.padEnd(30)} ${change.message}\n`).join('')
  );
}

/** `reconcile --with`'s report as text: clean, or each difference with what the destination holds. */
function renderTieOut(name: string, report: TieOutReport): string {
  const calls = `API calls: ${report.calls.reads} read${report.calls.reads === 1 ? '' : 's'}`;
  if (report.clean)
    return `reconcile with ${name} as of ${report.asOf}: clean, ${report.checked} posted journal(s) as sent and every balance as posted\n${calls}\n`;
  const acknowledged = report.items.filter((item) => item.acknowledged !== undefined).length;
  const lines = [
    `reconcile with ${name} as of ${report.asOf}: ${report.items.length} difference(s) in ${report.checked} posted journal(s)` +
      (acknowledged === 0 ? '' : `, ${acknowledged} of them acknowledged`),
  ];
  for (const item of report.items) {
    const state = item.acknowledged === undefined ? 'TODO' : 'ack ';
    lines.push(`${state}  ${item.date}  ${item.kind.padEnd(30)} ${item.amount} ${item.currency}  ${item.message}`);
    // Its id, for `reconcile ack ID --with <destination>` (issue 82).
    if (item.id !== undefined) lines.push(`      id ${item.id}`);
  }
  lines.push(calls);
  return `${lines.join('\n')}\n`;
}

/**
 * reconcile's report as text: its head, the items by kind, then each item with its title, next step, id and
 * history; a kind of source's findings in the words it declares (`findings`, the registry's findingWords).
 */
export function renderReconcile(report: ReconcileReport, findings: Parameters<typeof itemTitle>[1]): string {
  if (report.items.length === 0) return `reconcile as of ${report.asOf}: clean, nothing to look at\n`;
  const head = report.clean
    ? `reconcile as of ${report.asOf}: clean, no action item waiting (${report.items.length} item(s) for the record)`
    : `reconcile as of ${report.asOf}: ${report.open} action item(s) to look at, ${report.items.length} item(s) in all`;
  const lines = [head];
  const byKind = new Map<string, number>();
  for (const item of report.items) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + (item.count ?? 1));
  lines.push(`  ${[...byKind].map(([kind, count]) => `${kind} ${count}`).join(', ')}`, '');
  for (const item of report.items) {
    const state = item.class === 'information' ? 'info' : item.acknowledged ? 'ack ' : 'TODO';
    lines.push(
      `${state}  ${item.date}  ${item.source.padEnd(14)} ${item.kind.padEnd(24)} ` +
        `${item.amount === null ? '' : `${item.amount} ${item.currency ?? ''}  `}${item.message}`,
    );
    const { title, nextStep } = itemTitle(item.kind, findings);
    lines.push(
      `      ${title}${item.class === 'action' && item.acknowledged === null ? `. Next: ${nextStep}` : ''}`,
      `      id ${item.id}`,
    );
    // The whole history, oldest first: a later ack never hides an earlier note.
    for (const word of item.history)
      lines.push(
        `      ${word.action === 'ack' ? 'acknowledged' : 'opened again'} by ${word.by} at ${word.at}${word.note ? `: ${word.note}` : ''}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
