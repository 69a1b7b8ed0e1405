import { z } from 'zod';
import { EXIT } from '../../errors.js';
import {
  closeRecordChanges,
  proveSideTables,
  verifyChain,
  type SideTablesProof,
  certificateFolder,
} from '../../pipeline/operations/index.js';
import type { Command } from '../command.js';
import { withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor, writeJson } from '../load.js';
import { sealWitnesses, verifyWitnesses, type WitnessVerification } from '../../pipeline/witness/index.js';

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
    const { chain, closes, tables, witnesses } = await withBooksFor(config, { forReading: true }, async (books) => {
      const closedPeriods = await books.sealBooks.closedPeriods();
      const verified = await verifyChain(
        books.sealBooks,
        closedPeriods.map((period) => period.periodEnd),
      );
      return {
        chain: verified,
        witnesses: await verifyWitnesses(config.witness, books, {
          closed: closedPeriods,
          certificateFolder: certificateFolder(config),
          netsThrough: verified.netsThrough,
        }),
        closes: await closeRecordChanges(books.sealBooks, closedPeriods, certificateFolder(config)),
        tables: await proveSideTables(books.sideTableBooks, {
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
    const message = [
      chainMessage(chain),
      ...report.centsChanges.map((change) => change.message),
      ...centsMore(chain),
      ...closes.map((change) => change.message),
      ...tablesLines(tables),
      ...witnessLines(witnesses),
    ].join('\n');
    if (context.json) writeJson(context, { verified, ...report, message });
    else context.stdout.write(`${message}\n`);
    return verified ? EXIT.ok : EXIT.attention;
  },
});

type Verification = Awaited<ReturnType<typeof verifyChain>>;

/** What verify says of the chain: its length and head, or the first record that breaks it and what to do. */
function chainMessage({ entries, closes, head, broken }: Verification): string {
  const records = `${entries} entries${closes === 0 ? '' : ` and ${closes} close${closes === 1 ? '' : 's'}`}`;
  if (broken === undefined) return `chain of ${records} verified, head ${head}`;
  const what =
    broken.period === undefined
      ? `entry ${broken.entryId} (dated ${broken.date}, source ${broken.sourceId}, position ${broken.position} of ${entries})`
      : `the close of ${broken.period} (recorded after entry ${broken.position} of ${entries})`;
  return (
    `chain broken at ${what}: it keeps ${broken.kept ?? 'no hash'}, its bytes give ${broken.hash}; ` +
    `${broken.period === undefined ? 'the entry' : 'the close'} or a record before it was changed outside ledgerline. ` +
    'Restore the ledger from a backup taken before the change and compare the two, entry by entry, from that one'
  );
}

/** How many more entries had their cents changed than are named one by one. */
function centsMore({ centsChanged, centsChanges }: Verification): string[] {
  const more = centsChanged - centsChanges.length;
  return more > 0
    ? [
        `and ${more} more entr${more === 1 ? 'y' : 'ies'} whose kept cents are not what their amounts give (only the first ${centsChanges.length} are named)`,
      ]
    : [];
}

/** The side tables' proof: its head when every seal holds, else each finding on a line of its own. */
function tablesLines({ head, findings }: SideTablesProof): string[] {
  return findings.length === 0
    ? [`seals of the tables beside the journal verified, head ${head.link} at position ${head.position}`]
    : findings.map((finding) => `! ${finding.kind}: ${finding.message}`);
}

/** The witnesses: each finding, else what was read; then each witness that could not be read (issue 73). */
function witnessLines({ findings, read, unread }: WitnessVerification): string[] {
  return [
    ...(findings.length === 0
      ? [`the chain holds every head witnessed in ${read.join(', ')}`]
      : [...findings.map((finding) => `! ${finding}`), `witnesses read: ${read.join(', ')}`]),
    ...unread.map((what) => `witness not read: ${what}`),
  ];
}
