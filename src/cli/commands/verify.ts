import { z } from 'zod';
import { EXIT } from '../../errors.js';
import {
  certificateFolder,
  closeRecordChanges,
  proveSideTables,
  sealBooks,
  sideTableBooks,
  verifyChain,
} from '../../pipeline/operations/index.js';
import type { Command } from '../command.js';
import { withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';
import { printableLines } from '../../log/index.js';
import { sealWitnesses, verificationMessage, verifyWitnesses } from '../../pipeline/witness/index.js';

export const verifyCommand: Command = withFlags({
  usage: 'ledgerline verify [--json]',
  flags: z.object({}),
  examples: [
    "ledgerline verify          # recompute the journal's hash chain, the cents of every entry, " +
      'the closes and the seals of the tables beside it; exit 1 naming what was changed',
    "ledgerline verify --json   # the same, for an auditor's script",
  ],
  async run(context) {
    const config = loadConfigFor(context, { onlyReads: true });
    const { chain, closes, tables, witnesses } = await withBooksFor(config, context.ledger, async (books) => {
      const closedPeriods = await books.of(sealBooks).closedPeriods();
      const verified = await verifyChain(
        books.of(sealBooks),
        closedPeriods.map((period) => period.periodEnd),
      );
      return {
        chain: verified,
        witnesses: await verifyWitnesses(config.witness, books, {
          closed: closedPeriods,
          certificateFolder: certificateFolder(config),
          netsThrough: verified.netsThrough,
        }),
        closes: await closeRecordChanges(books.of(sealBooks), closedPeriods, certificateFolder(config)),
        tables: await proveSideTables(books.of(sideTableBooks), {
          chainBrokenAt: verified.broken?.entryId,
          witnesses: await sealWitnesses(config, books, closedPeriods),
        }),
      };
    });
    const report = {
      entries: chain.entries,
      closes: chain.closes,
      head: chain.head,
      broken: chain.broken ?? null,
      centsChanged: chain.centsChanged,
      centsChanges: chain.centsChanges,
      closeChanges: closes,
      tables: { head: tables.head, findings: tables.findings },
      witnesses,
    };
    const verified =
      report.broken === null &&
      report.centsChanged === 0 &&
      report.closeChanges.length === 0 &&
      tables.findings.length === 0 &&
      witnesses.findings.length === 0;
    const message = verificationMessage({ chain, closes, tables, witnesses });
    if (context.json) writeJson(context, { verified, ...report, message });
    // A witness's answer or a file's name is echoed here: its controls are shown, never obeyed (issue 84).
    else context.stdout.write(`${printableLines(message)}\n`);
    return verified ? EXIT.ok : EXIT.attention;
  },
});
