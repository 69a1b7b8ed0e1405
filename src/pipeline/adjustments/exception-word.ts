import { closestName } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { printable } from '../../log/index.js';
import { exceptionFacts, type ExceptionQueueSchema } from '../../reads/index.js';
import type { z } from 'zod';
import type { ExceptionWords } from './books/exception-word-books.js';

type Exception = z.infer<typeof ExceptionQueueSchema>[number];

/** What a person says on a queue item: `exceptions ack ID [--note T]`, `assign ID --to NAME`, `note ID TEXT`. */
type QueueWord =
  { action: 'ack'; note: string | null } | { action: 'assign'; assignee: string } | { action: 'note'; note: string };

/**
 * The queue item `itemId` names, or a one-line refusal naming the id (with the closest one, if one is close).
 * Example: "x-3f9a2c7" (a digit short) → no item of the exception queue has the id "x-3f9a2c7"; did you mean "x-3f9a2c71"?
 */
export function queueItem(queue: readonly Exception[], itemId: string): Exception {
  const item = queue.find((candidate) => candidate.id === itemId);
  if (item !== undefined) return item;
  const close = closestName(
    itemId,
    queue.map((candidate) => candidate.id),
  );
  throw new UsageError(
    `no item of the exception queue has the id "${printable(itemId)}"${close ? `; did you mean "${close}"?` : ''} (status --exceptions lists them)`,
  );
}

/**
 * Records a person's word on a queue item, in the books of the item's entity (`words`). An ack keeps the facts
 * the item has now, so that the item comes back once they change; an ack of an item acknowledged with the same
 * facts and no new note records nothing. Example: ana acks x-3f9a2c71 (panel-04 failing on a 502) → recorded,
 * acknowledged; her second ack → said already; once panel-04 answers a 401 instead, the item is open again.
 */
export async function sayOnQueueItem(
  words: ExceptionWords,
  item: Exception,
  word: QueueWord & { user: string; at: string },
): Promise<{ saidAlready: boolean }> {
  if (word.action === 'ack' && item.state === 'acknowledged' && word.note === null) return { saidAlready: true };
  await words.unit((tx) =>
    tx.recordExceptionWord({
      itemId: item.id,
      action: word.action,
      facts: word.action === 'ack' ? exceptionFacts(item) : null,
      assignee: word.action === 'assign' ? word.assignee : null,
      note: word.action === 'assign' ? null : word.note,
      user: word.user,
      at: word.at,
    }),
  );
  return { saidAlready: false };
}
