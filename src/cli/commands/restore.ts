import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { booksContents, readWitness, restoreLedger, type Restored } from '../../pipeline/witness/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { configAfterMoveTo, loadConfigFor, withBooksFor, writeJson } from '../load.js';
import { Books } from '../../app/index.js';
import { operatingSystemUser } from '../operating-system-user.js';

export const restoreCommand: Command = withFlags({
  usage: 'ledgerline restore --from FILE --reason TEXT [--json]',
  flags: z.object({
    from: flag.text(
      'FILE',
      'the backup to put back: a SQLite ledger file (for a PostgreSQL ledger, the file migrate --to left, or a copy of it)',
    ),
    reason: flag.text('TEXT', 'why: kept in the witness with the restore'),
  }),
  examples: [
    'ledgerline restore --from backups/ledger-2026-03-10.sqlite --reason "disk lost on 03-12, last good copy"',
  ],
  async run(context) {
    const { flags } = context;
    if (flags.from === undefined || flags.reason === undefined || flags.reason.trim() === '')
      throw new UsageError('restore needs --from FILE and --reason TEXT: a restore is a decision, said once');
    const config = loadConfigFor(context, { onlyReads: true });
    const from = resolve(context.cwd, flags.from);
    if (!existsSync(from) || !statSync(from).isFile())
      throw new UsageError(`--from ${from}: no such file (the backup to put back)`);
    if (from === config.ledger) throw new UsageError(`--from ${from} is the ledger itself, not a backup of it`);
    const destinations = Object.keys(config.destinations).filter((name) => name !== 'rates');
    const current =
      config.ledgerEngine === 'postgres' || existsSync(config.ledger)
        ? await withBooksFor(config, { forReading: true }, (books) => booksContents(books, destinations))
        : { entries: [], deliveries: [], acknowledgements: [], adjustments: [] };
    const backup = await withBooksFor(configAfterMoveTo(context, from), { forReading: true }, (books) =>
      booksContents(books, destinations),
    );
    const restored = await restoreLedger({
      place: config.witness,
      ledger: { engine: config.ledgerEngine, location: config.ledger },
      from,
      reason: flags.reason,
      by: operatingSystemUser(),
      now: context.now(),
      current,
      backup,
      witnessed: readWitness(config.witness).records,
      carry: (found) =>
        withBooksFor(config, { witnessAs: 'restore' }, async (books) => {
          for (const [destination, journals] of found)
            await books.postOutbox(destination).unit((tx) => tx.recordFound(journals, context.now().toISOString()));
        }),
      restoredHead: () => withBooksFor(config, { forReading: true }, (books) => books.ledgerReads.chainPosition()),
      restorePostgres: (backupFile, database) => Books.restorePostgres(backupFile, database),
    });
    if (restored.urlNotWritten !== undefined) context.stderr.write(`${context.redact(restored.urlNotWritten)}\n`);
    if (context.json) writeJson(context, restored);
    else context.stdout.write(`${restoredText(from, config.witness.file, restored).join('\n')}\n`);
    return EXIT.ok;
  },
});

/** What the restore says, once: the head now witnessed, and what it removed, each with what to do. */
function restoredText(
  from: string,
  witness: string,
  { head, removed, bookAgain, witnessedLost, carried }: Restored,
): string[] {
  return [
    `restored the ledger from ${from}; head ${head === undefined ? 'none (empty)' : `${head.entryId} sha256:${head.hash} at position ${head.position}`}, witnessed with the reason in ${witness}`,
    `removed ${removed.entries.length} entries, ${removed.deliveries.length} deliveries, ${removed.acknowledgements.length} acknowledgements`,
    ...removed.entries.map((entry) => `  entry ${entry.id} (dated ${entry.date}, source ${entry.sourceId})`),
    ...witnessedLost.map(
      (lost) =>
        `  entry ${lost.entryId} (witnessed on ${lost.date} at position ${lost.position}; the books in place already lacked it)`,
    ),
    ...carried.map(
      (delivery) =>
        `  delivery of ${delivery.entryId} to ${delivery.destination} as ${delivery.remoteId}: carried into the restored books, not posted again`,
    ),
    ...removed.deliveries
      .filter((delivery) => !carried.includes(delivery))
      .map(
        (delivery) =>
          `  delivery of ${delivery.entryId} to ${delivery.destination} as ${delivery.remoteId}: it stays there; the next post finds it under that journal and records the entry booked again posted, not sent twice (check it still matches: ledgerline reconcile --with ${delivery.destination})`,
      ),
    ...removed.acknowledgements.map(
      (id) => `  acknowledgement of ${id}: acknowledge it again (ledgerline reconcile ack)`,
    ),
    ...bookAgain.map(
      (adjustment) =>
        `book again: ${adjustment.entryId} (dated ${adjustment.date}, "${adjustment.reason}", by ${adjustment.madeBy}): ledgerline adjust …`,
    ),
    ...witnessedLost
      .filter((lost) => lost.entryId.startsWith('je:adjustment:'))
      .map(
        (lost) =>
          `book again: ${lost.entryId} (an adjusting entry a person booked; its lines and reason are in the newer ledger and at each destination it was posted to): ledgerline adjust …`,
      ),
    'the next night books again what the sources still say',
  ];
}
