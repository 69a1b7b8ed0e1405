import { createHash } from 'node:crypto';

/** A person's word on an exception-queue item (migration 0037), as kept in the ledger of the item's entity. */
export interface ExceptionWord {
  itemId: string;
  action: 'ack' | 'assign' | 'note';
  /** With an ack: the item's facts when it was acknowledged (exceptionFacts), so that changed facts reopen it. */
  facts: string | null;
  /** With an assign: whose the item is now. */
  assignee: string | null;
  note: string | null;
  /** The operating-system user who said it. */
  user: string;
  at: string;
}

/** What a person said on an item, as `status --exceptions --json` carries it. */
interface ExceptionState {
  /** `acknowledged` while the latest ack's facts are the item's facts; `open` otherwise (never acknowledged, or its facts changed since). */
  state: 'open' | 'acknowledged';
  acknowledged: { by: string; at: string; note: string | null } | null;
  assignee: { name: string; by: string; at: string } | null;
  /** Every note, an ack's too, oldest first: a later word never hides an earlier one. */
  notes: { by: string; at: string; text: string }[];
}

const digest = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * An item's id, stable from night to night while it is the same thing needing a person: its entity, kind and
 * subject, hashed to something a person can type. Example: (south, failing, panel-04) → "x-" and 8 hex digits,
 * the same every night panel-04 fails, another for north's panel-04.
 */
export function exceptionId(item: { entity?: string | undefined; kind: string; subject: string }): string {
  return `x-${digest(`${item.entity ?? ''}\n${item.kind}\n${item.subject}`, 8)}`;
}

/**
 * An item's facts as a person saw them: what is wrong (the amount, the days it waited, the reason) and since when.
 * Example: a payout "not seen at the bank 14 days after it was reported" has other facts on the next night (15 days),
 * so an ack of the first brings it back on the second.
 */
export function exceptionFacts(item: { what: string; since: string | null }): string {
  return `f-${digest(`${item.what}\n${item.since ?? ''}`, 16)}`;
}

/**
 * The state of one item from the words said on it (oldest first): acknowledged while its latest ack saw the facts
 * it has now; assigned to the latest assign's name; every note kept. Example: ana acks panel-04's 502 with "asked
 * the panel", ben assigns it to carla → acknowledged by ana, assigned to carla; the next night panel-04 answers a
 * 401 instead → open again, still carla's, ana's note kept.
 */
export function exceptionState(facts: string, words: readonly ExceptionWord[]): ExceptionState {
  const ack = words.findLast((word) => word.action === 'ack');
  const assign = words.findLast((word) => word.action === 'assign');
  return {
    state: ack !== undefined && ack.facts === facts ? 'acknowledged' : 'open',
    acknowledged: ack === undefined ? null : { by: ack.user, at: ack.at, note: ack.note },
    assignee: assign?.assignee == null ? null : { name: assign.assignee, by: assign.user, at: assign.at },
    notes: words.flatMap((word) => (word.note === null ? [] : [{ by: word.user, at: word.at, text: word.note }])),
  };
}
