import { z } from 'zod';
import { EXIT } from '../../errors.js';
import { verifyChain } from '../../pipeline/operations/index.js';
import type { Command } from '../command.js';
import { withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor, writeJson } from '../load.js';

export const verifyCommand: Command = withFlags({
  usage: 'ledgerline verify [--json]',
  flags: z.object({}),
  examples: ['ledgerline verify          # recompute the journal\'s hash chain; exit 1 naming the first entry that breaks', 'ledgerline verify --json   # the same, for an auditor\'s script'],
  async run(context) {
    const config = loadConfigFor(context);
    const verification = await withBooksFor(config, { forReading: true }, (books) => verifyChain(books.sealBooks));
    const report = chainReport(verification);
    if (context.json) writeJson(context, report);
    else context.stdout.write(`${report.message}\n`);
    return report.verified ? EXIT.ok : EXIT.attention;
  },
});

/** What verify says: the chain's length and head, or the first entry that breaks it and what to do. */
function chainReport({ entries, head, broken }: Awaited<ReturnType<typeof verifyChain>>) {
  if (broken === undefined) return { verified: true, entries, head, broken: null, message: `chain of ${entries} entries verified, head ${head}` };
  const message =
    `chain broken at entry ${broken.entryId} (dated ${broken.date}, source ${broken.sourceId}, position ${broken.position} of ${entries}): ` +
    `it keeps ${broken.kept ?? 'no hash'}, its bytes give ${broken.hash}; the entry or one before it was changed outside ledgerline. ` +
    'Restore the ledger from a backup taken before the change and compare the two, entry by entry, from that one';
  return { verified: false, entries, head, broken, message };
}
