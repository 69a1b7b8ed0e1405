import { z } from 'zod';
import { exportCsv } from './export-csv.js';
import { exportGenericCsv } from './generic-export.js';
import type { DestinationKind } from '../destination-kind.js';

/** ledgerline's own CSV: one row per line with the chart's accounts, a stable contract with ISO dates (DESIGN §5). */
export const genericDestination: DestinationKind = {
  name: 'generic',
  config: {
    kind: 'generic',
    // The generic format is the project's own stable contract (DESIGN §5): its dates are always ISO.
    exportDateFormat: z
      .literal('YYYY-MM-DD', { error: 'the generic export always writes YYYY-MM-DD dates' })
      .default('YYYY-MM-DD'),
  },
  exportFormat: {
    description: "ledgerline's own CSV, one row per line in the chart's accounts",
    fileExtension: 'csv',
    async write(reads, request, out, endOut) {
      const { from, to, mappings, tax } = request;
      // With tax codes (issue 54), each entry's lines are coded by its flows: the entries are read whole.
      const result =
        tax === undefined
          ? await exportGenericCsv({
              chunks: reads.journal.bookLineChunks({ from, to }),
              out,
              chart: mappings.chart.accounts,
              endOut,
            })
          : await exportCsv({
              format: 'generic',
              entries: reads.journal.renderedEntries({ from, to }),
              out,
              mappings: { chart: mappings.chart.accounts },
              tax,
              endOut,
            });
      return `${result.entries} entries, ${result.lines} lines`;
    },
  },
};
