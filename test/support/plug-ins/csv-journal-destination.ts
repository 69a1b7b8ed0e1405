import { finished } from 'node:stream/promises';
import { z } from 'zod';
import { destinationMappingOf, type DestinationMappingKind } from '../../../src/config/index.js';
import { formatCents } from '../../../src/money/index.js';
import type { DestinationKind } from '../../../src/pipeline/kinds/index.js';

/**
 * A destination kind that lives in the tests alone: a CSV journal, one row per line, numbered journals, each
 * line's account by the name its mapping file (csv-journal.yaml) gives it, the debit or the credit in decimal
 * text. It proves a kind plugs in without any file of src/ changing.
 */
export const CSV_JOURNAL_COLUMNS = ['journal', 'date', 'account', 'debit', 'credit', 'memo'] as const;

/** `destinations.csv-journal` in ledgerline.yaml: what each journal's number starts with. */
const csvJournalSection = z.strictObject({ journalPrefix: z.string().min(1).default('J') });

/** `csv-journal.yaml` beside the chart: the name each ledger account the chart books to has in the journal. */
const csvJournalMappingFile = z.strictObject({ accounts: z.record(z.string(), z.unknown()) });
const csvJournalMappingAccount = z.strictObject({ account: z.string().min(1, 'must not be empty') });

export const csvJournalMapping: DestinationMappingKind<typeof csvJournalMappingFile, typeof csvJournalMappingAccount> =
  {
    kind: 'csv-journal',
    fileName: 'csv-journal.yaml',
    title: 'CSV journal',
    fileSchema: csvJournalMappingFile,
    accountSchema: csvJournalMappingAccount,
  };

export const csvJournalDestination: DestinationKind = {
  name: 'csv-journal',
  mapping: csvJournalMapping,
  config: { kind: 'csv-journal', sectionSchema: csvJournalSection },
  exportFormat: {
    description: 'a CSV journal, one row per line (a test plug-in)',
    fileExtension: 'csv',
    async write(reads, request, out, endOut) {
      const { from, to, config, mappings } = request;
      // Read again with its own schema: the section may be absent, and its type is the plug-in's to know.
      const { journalPrefix } = csvJournalSection.parse(config.destinations['csv-journal'] ?? {});
      // export read csv-journal.yaml (the kind's mapping) and refused it unless it maps every account the chart books to.
      const { accounts } = destinationMappingOf(mappings, csvJournalMapping)!;
      out.write(`${CSV_JOURNAL_COLUMNS.join(',')}\n`);
      let journals = 0;
      let lines = 0;
      for await (const entry of reads.journal.renderedEntries({ from, to })) {
        if (entry.lines.length === 0) continue;
        journals += 1;
        for (const line of entry.lines) {
          const [debit, credit] = line.cents > 0n ? [formatCents(line.cents), ''] : ['', formatCents(-line.cents)];
          out.write(
            `${[`${journalPrefix}${journals}`, entry.date, accounts[line.account]!.account, debit, credit, quoted(entry.description)].join(',')}\n`,
          );
          lines += 1;
        }
      }
      if (endOut) {
        out.end();
        await finished(out);
      }
      return `${journals} journals, ${lines} lines`;
    },
  },
};

function quoted(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
