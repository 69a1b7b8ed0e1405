import type { Exception } from './exception-queue.js';

/** Which items `status --exceptions` lists: by kind, by whose they are, open or acknowledged ones only. */
export interface QueueFilter {
  kind?: string | undefined;
  assignee?: string | undefined;
  state?: Exception['state'] | undefined;
}

export function filteredQueue(exceptions: readonly Exception[], filter: QueueFilter): Exception[] {
  return exceptions.filter(
    (exception) =>
      (filter.kind === undefined || exception.kind === filter.kind) &&
      (filter.assignee === undefined || exception.assignee?.name === filter.assignee) &&
      (filter.state === undefined || exception.state === filter.state),
  );
}

/**
 * The queue as lines: "2026-03-03  north  silent: panel-02: … → next: … → run: … → id: x-… open"; the entity column
 * only with entities:. What a person said on an item follows its id: acknowledged (by whom, when), whose it is, notes.
 * A filter that leaves nothing says so, not that nothing needs a person: `--assignee bob` of a queue of 52 open items
 * none of them bob's is "no item of the queue is assigned to bob".
 */
export function renderExceptions(exceptions: readonly Exception[], filter: QueueFilter = {}): string {
  if (exceptions.length === 0) return emptyQueueText(filter);
  const lines = exceptions.map(
    (exception) =>
      `${exception.since ?? 'undated   '}  ${exception.entity === undefined ? '' : `${exception.entity}  `}` +
      `${exception.kind}: ${exception.subject}: ${exception.what}\n            next: ${exception.nextStep}` +
      // With entities:, the command for the item's entity; without, the next step quotes it as it runs.
      (exception.command === null || exception.entity === undefined ? '' : `\n            run:  ${exception.command}`) +
      `\n            id:   ${exception.id}  ${stateText(exception)}` +
      exception.notes.map((note) => `\n            note: ${note.text}${noteAuthor(exception, note)}`).join(''),
  );
  const open = exceptions.filter((exception) => exception.state === 'open').length;
  const acknowledged = exceptions.length - open;
  return (
    `${lines.join('\n')}\n\n${open} thing${open === 1 ? '' : 's'} need${open === 1 ? 's' : ''} a person, the oldest first` +
    `${acknowledged === 0 ? '' : `; ${acknowledged} acknowledged`}\n`
  );
}

/**
 * Who wrote a note and when, unless the ack just above says it: a note given with `ack --note` is the ack's own.
 * Example: acknowledged by ana at 11:03 with "account paused" → "note: account paused", not "… (ana, 11:03)".
 */
export function noteAuthor(exception: Exception, note: Exception['notes'][number]): string {
  const ack = exception.acknowledged;
  return ack !== null && ack.by === note.by && ack.at === note.at ? '' : ` (${note.by}, ${note.at})`;
}

/** "open", "acknowledged by ana at …", "open again: its facts changed since ana acknowledged it", and whose it is. */
function stateText(exception: Exception): string {
  const ack = exception.acknowledged;
  const said =
    ack === null
      ? 'open'
      : exception.state === 'acknowledged'
        ? `acknowledged by ${ack.by} at ${ack.at}`
        : `open again: its facts changed since ${ack.by} acknowledged it at ${ack.at}`;
  return exception.assignee === null ? said : `${said}; assigned to ${exception.assignee.name}`;
}

/** An empty list: the queue is clear, or (filtered) no item is what the filter asks for. */
function emptyQueueText(filter: QueueFilter): string {
  const asked = [
    ...(filter.state === undefined ? [] : [filter.state]),
    ...(filter.kind === undefined ? [] : [`of kind ${filter.kind}`]),
    ...(filter.assignee === undefined ? [] : [`assigned to ${filter.assignee}`]),
  ];
  if (asked.length === 0) return 'nothing needs a person: every source is booked, nothing is open\n';
  const said = asked.length === 1 ? asked[0]! : `${asked.slice(0, -1).join(', ')} and ${asked.at(-1)!}`;
  return `no item of the queue is ${said} (\`ledgerline status --exceptions\` lists them all)\n`;
}
