import { exportCsv, loadConsent, loadQuickbooksClient } from '../../../destinations/index.js';
import type { DestinationKind } from '../destination-kind.js';
import { notConfigured } from './not-configured.js';

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
  api: {
    appVendor: 'Intuit',
    async createClient(config, mappings, dependencies) {
      const section = config.destinations.quickbooks;
      const mapping = mappings.quickbooks;
      if (section === undefined || mapping === undefined) throw notConfigured(config, 'quickbooks');
      const createQuickbooksClient = await loadQuickbooksClient();
      return createQuickbooksClient({ ...dependencies, config: section, mapping: mapping.accounts, mappingFile: mapping.file });
    },
    async consent(config) {
      const section = config.destinations.quickbooks;
      return section === undefined ? undefined : (await loadConsent()).quickbooksConsent(section);
    },
    describeConnection: (connection) => `company ${connection.realmId ?? ''}`,
  },
};
