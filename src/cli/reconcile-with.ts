import { EXIT, type ExitCode } from '../errors.js';
import { tieOutWithDestination } from '../pipeline/status/index.js';
import { renderTieOutWith } from '../reads/index.js';
import { openApiClient } from '../app/api-client.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor, withBooksFor } from '../app/configured-books.js';
import { atMost } from '../app/ledger-mode.js';
import { writeJson } from './write-json.js';
import { wordSaid } from './word-said.js';
import { UsageError } from '../errors.js';
import { cleanInput } from '../log/index.js';
import { acknowledgeItem, acknowledgementBooks } from '../pipeline/adjustments/index.js';
import { operatingSystemUser } from '../app/operating-system-user.js';

/** `reconcile ack ID --with <destination>`: a word on a difference the tie-out lists (issue 82), said as for any item. */
export async function acknowledgeAtDestination(
  context: CommandProcess,
  to: string,
  asOf: string,
  request: { verb: 'ack' | 'unack'; itemId: string; note: string | null },
): Promise<ExitCode> {
  const { note } = request;
  if (request.verb === 'unack' && note !== null) throw new UsageError('--note goes with "reconcile ack ID"');
  if (note !== null) cleanInput('--note', note);
  const done = await acknowledgeTieOutItem(context, to, asOf, { itemId: request.itemId, action: request.verb, note });
  context.stdout.write(wordSaid(request.verb, done, note));
  return EXIT.ok;
}

/**
 * `reconcile ack ID --with <destination>` (and unack): a person's word on a difference the tie-out lists now (issue
 * 82), read from the destination first, then recorded as on any reconcile item; an id it does not list is refused.
 */
export async function acknowledgeTieOutItem(
  context: CommandProcess,
  to: string,
  asOf: string,
  word: Omit<Parameters<typeof acknowledgeItem>[2], 'user' | 'at'>,
): ReturnType<typeof acknowledgeItem> {
  const config = loadConfigFor(context, { destinations: [to] });
  const client = await openApiClient(context, config, to);
  try {
    const { report } = await withBooksFor(config, context.ledger, (books) =>
      tieOutWithDestination(books, config, { client, asOf }),
    );
    const items = report.items.map((item) => ({
      id: item.id ?? '',
      acknowledged: item.acknowledged ?? null,
      history: item.history ?? [],
    }));
    const said = { ...word, user: operatingSystemUser(), at: context.now().toISOString() };
    return await withBooksFor(config, context.ledger, (books) =>
      books.decide((tx) => acknowledgeItem(tx.of(acknowledgementBooks), items, said)),
    );
  } finally {
    await client.close();
  }
}

/** `reconcile --with`: the destination's journals and balances against what the ledger posted there. */
export async function tieOutWith(context: CommandProcess, to: string, asOf: string): Promise<ExitCode> {
  const config = loadConfigFor(context, { destinations: [to] });
  const client = await openApiClient(context, config, to);
  try {
    const { report, changes } = await withBooksFor(config, atMost(context.ledger, 'read'), (books) =>
      tieOutWithDestination(books, config, { client, asOf }),
    );
    if (context.json)
      writeJson(context, changes.length === 0 ? report : { ...report, clean: false, closedPeriodChanges: changes });
    else context.stdout.write(context.redact(renderTieOutWith(client.name, report, changes)));
    return report.clean && changes.length === 0 ? EXIT.ok : EXIT.attention;
  } finally {
    await client.close();
  }
}
