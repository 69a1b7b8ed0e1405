import { exportGenericCsv } from '../../../destinations/index.js';
import type { DestinationKind } from '../destination-kind.js';

/** ledgerline's own CSV: one row per line with the chart's accounts, a stable contract with ISO dates (DESIGN §5). */
export const genericDestination: DestinationKind = {
  name: 'generic',
  title: 'generic CSV',
  exportFormat: {
    description: "ledgerline's own CSV, one row per line in the chart's accounts",
    fileExtension: 'csv',
    async write(reads, request, out, endOut) {
      const { from, to, mappings } = request;
      const result = await exportGenericCsv({ chunks: reads.journal.bookLineChunks({ from, to }), out, chart: mappings.chart.accounts, endOut });
      return `${result.entries} entries, ${result.lines} lines`;
    },
  },
};
