import { z } from 'zod';
import { EXIT } from '../../errors.js';
import { proveSideTables, verifyChain, type SideTablesProof } from '../../pipeline/operations/index.js';
import type { Command } from '../command.js';
import { withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor, writeJson } from '../load.js';
import { certifiedSealHeads } from '../side-table-witnesses.js';

export const verifyCommand: Command = withFlags({
  usage: 'ledgerline verify [--json]',
  flags: z.object({}),
  examples: ['ledgerline verify          # recompute the journal\'s hash chain and the seals of the tables beside it; exit 1 naming what breaks', 'ledgerline verify --json   # the same, for an auditor\'s script'],
  async run(context) {
    const config = loadConfigFor(context);
    const [verification, tables] = await withBooksFor(config, { forReading: true }, async (books) => {
      const chain = await verifyChain(books.sealBooks);
      const witnesses = certifiedSealHeads(config, await books.sealBooks.closedPeriods());
      return [chain, await proveSideTables(books.sideTableBooks, { chainBrokenAt: chain.broken?.entryId, witnesses })] as const;
    });
    const report = withTables(chainReport(verification), tables);
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

/** The chain's report with the side tables' proof: each finding a line of its own under the chain's. */
function withTables(report: ReturnType<typeof chainReport>, { head, findings }: SideTablesProof) {
  const lines = findings.length === 0 ? [`seals of the tables beside the journal verified, head ${head.link} at position ${head.position}`] : findings.map((finding) => `! ${finding.kind}: ${finding.message}`);
  return { ...report, verified: report.verified && findings.length === 0, tables: { head, findings }, message: [report.message, ...lines].join('\n') };
}
