import type { AdjustmentRecord } from '../../ledger/index.js';
import { table } from './html.js';

/** The adjusting entries of the window, each as the person made it: who, when, why, what it explains, its approval. */
export function adjustmentsSection(adjustments: readonly AdjustmentRecord[]): string {
  const approval = (adjustment: AdjustmentRecord) =>
    adjustment.approval !== null
      ? `approved by ${adjustment.approval.by} at ${adjustment.approval.at}`
      : adjustment.needsApproval
        ? 'waits for approval: not posted'
        : 'not needed';
  const rows = adjustments.map((adjustment) => [
    adjustment.date,
    adjustment.entryId,
    adjustment.reason,
    adjustment.madeBy,
    adjustment.madeAt,
    adjustment.explains ?? '',
    approval(adjustment),
  ]);
  return `<section id="adjustments"><h2>Adjusting entries</h2>${table(
    'Entries booked by a person (ledgerline adjust or the console), with who booked them, when and why',
    ['date', 'entry', 'why', 'booked by', 'at', 'explains', 'approval'],
    rows,
    ' id="adjusting-entries"',
  )}</section>`;
}
