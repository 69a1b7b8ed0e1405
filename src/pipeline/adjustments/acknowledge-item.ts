import { closestName } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { printable } from '../../log/index.js';
import type { Acknowledgement, ReconcileReport } from '../../reads/index.js';
import type { Acknowledgements } from './books/acknowledgement-books.js';

/**
 * A person's word on an open reconcile item: `reconcile ack|unack ID`, or the console's button; its note is kept only
 * with an ack (a reopening says nothing more than that).
 */
export type ItemWord = Acknowledgement & { itemId: string };

/** The item the word was recorded on, or, when the same word was said already, who said it and when. */
export interface WordTaken {
  itemId: string;
  saidAlready: { by: string; at: string } | null;
}

/**
 * Records a person's word on an item the books hold open now, read in the same unit. The same word again (a
 * second click, a resent form, a rerun of the command) records nothing; another note is a word of its own.
 * Example: ana acknowledges `transit:topup-2026-04-01` with "matched 4471" → recorded; her second click with the
 * same note → said already, by ana; ben's ack with "checked" → recorded; an unack of an item nobody
 * acknowledged → refused, as is an id no open item has (with the closest id, if one is close).
 */
export async function acknowledgeItem(
  acknowledgements: Acknowledgements,
  openItems: readonly Pick<ReconcileReport['items'][number], 'id' | 'acknowledged' | 'history'>[],
  word: ItemWord,
): Promise<WordTaken> {
  const item = openItems.find((candidate) => candidate.id === word.itemId);
  if (item === undefined) {
    const close = closestName(
      word.itemId,
      openItems.map((candidate) => candidate.id),
    );
    throw new UsageError(
      `no open reconcile item has the id "${printable(word.itemId)}"${close ? `; did you mean "${close}"?` : ''}`,
    );
  }
  if (word.action === 'unack' && item.acknowledged === null) throw new UsageError(`${item.id} is not acknowledged`);
  const last = item.history.at(-1);
  if (word.action === 'ack' && item.acknowledged !== null && last?.action === 'ack' && last.note === word.note)
    return { itemId: item.id, saidAlready: { by: last.by, at: last.at } };
  const said = { action: word.action, note: word.action === 'ack' ? word.note : null, user: word.user, at: word.at };
  await acknowledgements.unit((tx) => tx.recordAcknowledgement(item.id, said));
  return { itemId: item.id, saidAlready: null };
}
