import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { cleanInput } from '../../log/index.js';
import { ledgerReads } from '../../reads/index.js';
import { booksContents, readWitness, restoredText, restoreLedger } from '../../pipeline/witness/index.js';
import { postOutbox } from '../../pipeline/post/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { configAfterMoveTo, loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { atMost } from '../../app/ledger-mode.js';
import { writeJson } from '../write-json.js';
import { Books } from '../../app/index.js';
import { operatingSystemUser } from '../../app/operating-system-user.js';
import { checkRestorePaths, refuseWhatIsNotThisLedger, stageBackup } from '../../app/restore-backup.js';
import { holdRestore } from '../../app/restore-lock.js';

export const restoreCommand: Command = withFlags({
  usage: 'ledgerline restore --from FILE --reason TEXT [--dry-run] [--other-ledger ID] [--json]',
  flags: z.object({
    from: flag.text(
      'FILE',
      'the backup to put back: a SQLite ledger file (for a PostgreSQL ledger, the file migrate --to left, or a copy of it); only read, never changed',
    ),
    reason: flag.text('TEXT', 'why: kept in the witness with the restore'),
    'dry-run': flag.boolean('list what the restore would remove and carry; change nothing'),
    'other-ledger': flag.text(
      'ID',
      "put back another ledger's file: ID is its identity, as the refusal names it (a backup of this ledger needs none)",
    ),
  }),
  examples: [
    'ledgerline restore --from backups/ledger-2026-03-10.sqlite --reason "disk lost on 03-12, last good copy" --dry-run',
    'ledgerline restore --from backups/ledger-2026-03-10.sqlite --reason "disk lost on 03-12, last good copy"',
  ],
  async run(context) {
    const { flags } = context;
    if (flags.from === undefined || flags.reason === undefined || flags.reason.trim() === '')
      throw new UsageError('restore needs --from FILE and --reason TEXT: a restore is a decision, said once');
    // Both are kept in the witness and printed: refused with a control character, as every other free text is.
    const reason = cleanInput('--reason', flags.reason);
    const config = loadConfigFor(context, { onlyReads: true });
    const from = resolve(context.cwd, cleanInput('--from', flags.from));
    const ledger = { engine: config.ledgerEngine, location: config.ledger };
    checkRestorePaths(ledger, from);
    const destinations = Object.keys(config.destinations).filter((name) => name !== 'rates');
    const hold = holdRestore(context, config.ledger, from);
    try {
      const current =
        config.ledgerEngine === 'postgres' || existsSync(config.ledger)
          ? await withBooksFor(config, atMost(context.ledger, 'read'), async (books) => ({
              identity: await books.identity(),
              contents: await booksContents(books, destinations),
            }))
          : undefined;
      const staged = stageBackup(ledger, from);
      try {
        refuseWhatIsNotThisLedger(from, staged.file, current?.identity, flags['other-ledger']);
        const backup = await withBooksFor(
          configAfterMoveTo(context, staged.file),
          atMost(context.ledger, 'read'),
          (books) => booksContents(books, destinations),
        );
        const restored = await restoreLedger({
          place: config.witness,
          ledger,
          from,
          staged: staged.file,
          reason,
          dryRun: flags['dry-run'],
          by: operatingSystemUser(),
          now: context.now(),
          current: current?.contents ?? { entries: [], deliveries: [], acknowledgements: [], adjustments: [] },
          backup,
          witnessed: readWitness(config.witness).records,
          carry: (found) =>
            withBooksFor(config, context.ledger, async (books) => {
              for (const [destination, journals] of found)
                await books
                  .of(postOutbox, destination)
                  .unit((tx) => tx.recordFound(journals, context.now().toISOString()));
            }),
          restoredHead: () =>
            withBooksFor(config, atMost(context.ledger, 'read'), (books) => books.of(ledgerReads).chainPosition()),
          restorePostgres: (backupFile, database) => Books.restorePostgres(backupFile, database),
        });
        if (restored.urlNotWritten !== undefined) context.stderr.write(`${context.redact(restored.urlNotWritten)}\n`);
        if (context.json) writeJson(context, restored);
        else
          context.stdout.write(`${restoredText(from, config.witness.file, restored, flags['dry-run']).join('\n')}\n`);
      } finally {
        staged.remove();
      }
    } finally {
      hold.release();
    }
    return EXIT.ok;
  },
});
