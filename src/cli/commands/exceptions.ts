import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { cleanInput, printable } from '../../log/index.js';
import { exceptionWordBooks, queueItem, sayOnQueueItem } from '../../pipeline/adjustments/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadEachEntityConfigFor, withBooksFor } from '../../app/configured-books.js';
import { operatingSystemUser } from '../../app/operating-system-user.js';
import { exceptionsOf } from '../../app/entity-statuses.js';
import { readEntityStatuses } from '../../app/entity-status-reads.js';

const VERBS = ['ack', 'assign', 'note'] as const;
const USAGE = 'exceptions ack ID [--note TEXT] | exceptions assign ID --to NAME | exceptions note ID TEXT';

export const exceptionsCommand: Command = withFlags({
  usage: `ledgerline ${USAGE.replaceAll(' | ', '   |   ledgerline ')}`,
  arguments: 'ack ID | assign ID | note ID TEXT',
  flags: z.object({
    note: flag.text('TEXT', 'with ack: what was done about the item, kept with it'),
    to: flag.text('NAME', "with assign: whose the item is now (a person's name, as the practice calls them)"),
  }),
  examples: [
    'ledgerline exceptions ack x-3f9a2c71 --note "panel says fixed tomorrow"   # seen: off the open queue until its facts change',
    'ledgerline exceptions assign x-3f9a2c71 --to ana   # ana deals with it (status --exceptions --assignee ana)',
    'ledgerline exceptions note x-3f9a2c71 "asked the client for the statement"',
  ],
  async run(context) {
    const [verb, itemId, ...rest] = context.positionals;
    const { note, to } = context.flags;
    if (verb === undefined || !(VERBS as readonly string[]).includes(verb))
      throw new UsageError(`exceptions takes ${USAGE}${verb === undefined ? '' : `, not "${printable(verb)}"`}`);
    if (itemId === undefined)
      throw new UsageError(`exceptions ${verb} needs an item's id, as status --exceptions shows it`);
    const word = wordOf(verb as (typeof VERBS)[number], { note, to, rest });
    const configs = loadEachEntityConfigFor(context);
    const item = queueItem(exceptionsOf(await readEntityStatuses(context, configs, { fleetOnly: true })), itemId);
    const config = configs.find((each) => each.entity === item.entity) ?? configs[0]!;
    const said = await withBooksFor(config, context.ledger, (books) =>
      sayOnQueueItem(books.of(exceptionWordBooks), item, {
        ...word,
        user: operatingSystemUser(),
        at: context.now().toISOString(),
      }),
    );
    const what = `${item.id} (${item.entity === undefined ? '' : `${item.entity} `}${item.kind}: ${item.subject})`;
    context.stdout.write(
      said.saidAlready
        ? `${what} was acknowledged already, by ${item.acknowledged?.by ?? 'someone'} at ${item.acknowledged?.at ?? '?'}; nothing more was recorded\n`
        : `${DONE[word.action]}: ${what}${word.action === 'assign' ? ` to ${word.assignee}` : word.note === null ? '' : ` (${word.note})`}\n`,
    );
    return EXIT.ok;
  },
});

const DONE = { ack: 'acknowledged', assign: 'assigned', note: 'noted' } as const;

/** A person's word as the command line says it (the use case's QueueWord). */
type Word =
  { action: 'ack'; note: string | null } | { action: 'assign'; assignee: string } | { action: 'note'; note: string };

/** The word the command line says, each verb with what it needs and nothing it does not take. */
function wordOf(
  verb: (typeof VERBS)[number],
  given: { note: string | undefined; to: string | undefined; rest: readonly string[] },
): Word {
  if (verb !== 'note' && given.rest.length > 0)
    throw new UsageError(`exceptions ${verb} takes one id${verb === 'ack' ? '; put a note in --note "…"' : ''}`);
  if (verb !== 'assign' && given.to !== undefined) throw new UsageError('--to goes with "exceptions assign ID"');
  if (verb !== 'ack' && given.note !== undefined) throw new UsageError('--note goes with "exceptions ack ID"');
  if (verb === 'assign') {
    if (given.to === undefined || given.to.trim() === '')
      throw new UsageError('exceptions assign needs --to NAME: whose the item is now');
    return { action: 'assign', assignee: cleanInput('--to', given.to.trim()) };
  }
  if (verb === 'note') {
    const text = given.rest.join(' ').trim();
    if (text === '') throw new UsageError('exceptions note needs the text of the note after the id');
    return { action: 'note', note: cleanInput('the note', text) };
  }
  return { action: 'ack', note: given.note === undefined ? null : cleanInput('--note', given.note) };
}
