import type { Exception } from '../exception-queue.js';
import { noteAuthor } from '../exception-queue-text.js';
import { text } from '../finance-report/html.js';

/**
 * The exception queue on the console's fleet page: every entity's items, oldest first as `status --exceptions`
 * lists them, each with its id, state (open, acknowledged, open again once its facts changed), whose it is, its
 * notes and the command to run. Example: south's panel-04 failing on a 502, acknowledged by ana → a row marked
 * data-state="acknowledged" with "acknowledged by ana".
 */
export function queueSection(queue: readonly Exception[]): string {
  const byEntity = queue.some((item) => item.entity !== undefined);
  const head = [...(byEntity ? ['entity'] : []), 'since', 'kind', 'subject', 'what', 'next', 'state', 'id'];
  const body = queue.map((item) => {
    const cells = [
      ...(byEntity ? [item.entity ?? ''] : []),
      item.since ?? 'undated',
      item.kind,
      item.subject,
      item.what,
      item.command ?? item.nextStep,
      [
        stateWords(item),
        // A note given with the ack: its author is the ack's, said just before.
        ...item.notes.map((note) => `note${noteAuthor(item, note) === '' ? '' : ` by ${note.by}`}: ${note.text}`),
      ].join('; '),
    ].map((value) => `<td>${text(value)}</td>`);
    return (
      `<tr data-item="${text(item.id)}" data-state="${item.state}">${cells.join('')}` +
      `<td><code>${text(item.id)}</code></td></tr>`
    );
  });
  const open = queue.filter((item) => item.state === 'open').length;
  return (
    `<section id="queue"><h2>The exception queue</h2><p class="queue-counts">${open} open, ` +
    `${queue.length - open} acknowledged; <code>ledgerline exceptions ack|assign|note ID</code> records a ` +
    `person's word.</p><table id="queue-table"><thead><tr>${head.map((title) => `<th scope="col">${text(title)}</th>`).join('')}` +
    `</tr></thead><tbody>${body.length === 0 ? `<tr><td colspan="${head.length}">nothing needs a person</td></tr>` : body.join('')}` +
    `</tbody></table></section>`
  );
}

function stateWords(item: Exception): string {
  const ack = item.acknowledged;
  const said =
    item.state === 'acknowledged' && ack !== null
      ? `acknowledged by ${ack.by} at ${ack.at}`
      : ack === null
        ? 'open'
        : `open again (its facts changed since ${ack.by} acknowledged it)`;
  return item.assignee === null ? said : `${said}; assigned to ${item.assignee.name}`;
}
