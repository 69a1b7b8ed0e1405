import { exportCsv } from '../../../destinations/index.js';
import type { DestinationKind } from '../destination-kind.js';

/** QuickBooks Online: journal entries posted through its API, or written for its journal import. */
export const quickbooksDestination: DestinationKind = {
  name: 'quickbooks',
  title: 'QuickBooks',
  mapping: 'quickbooks',
  exportFormat: {
    description: "QuickBooks Online's journal entry import (CSV), in the accounts of quickbooks.yaml",
    fileExtension: 'csv',
    async write(reads, request, out, endOut) {
      const { from, to, config, mappings } = request;
      const result = await exportCsv({
        format: 'quickbooks',
        entries: reads.journal.renderedEntries({ from, to }),
        out,
        mappings: { chart: mappings.chart.accounts, quickbooks: mappings.quickbooks?.accounts },
        dateFormat: config.export.dateFormat.quickbooks,
        endOut,
      });
      return `${result.entries} entries, ${result.lines} lines`;
    },
  },
};
