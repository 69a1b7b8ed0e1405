import { z } from 'zod';
import { EXPORT_DATE_FORMATS, type ExportDateFormat } from '../../rules/index.js';
import { destinationTaxFlows, taxChartOf, type Mappings } from '../../config/index.js';
import type { DestinationKind } from '../destination-kind.js';
import { destinationClientOptions } from '../destination-client-options.js';
import { notConfigured } from '../delivery/not-configured.js';
import { regionTaxSection } from '../region-tax.js';
import { bankSideFiles } from '../csv/bank-side-files.js';
import { exportCsv } from '../csv/index.js';
import { quickbooksConnectionSetup, quickbooksSection, quickbooksSectionOf } from './quickbooks-config.js';
import { quickbooksMapping, quickbooksMappingOf } from './quickbooks-mapping.js';

/**
 * What QuickBooks' journal import reads unless export.dateFormat.quickbooks says otherwise: the company's region's
 * dates, as the Xero CSV's follow its region: a US company (or none named) month-first, any other day-first (a UK
 * company's 3 April is 03/04/2026, never 04/03/2026, which it would read as 4 March, perhaps in a locked month).
 */
function quickbooksImportDateFormat(region: string | undefined): ExportDateFormat {
  return region === undefined || region === 'US' ? 'MM/DD/YYYY' : 'DD/MM/YYYY';
}

/** quickbooks.yaml's tax codes with the chart they read (issue 54); undefined when it maps none. */
function quickbooksTax(
  settings: NonNullable<ReturnType<typeof quickbooksMappingOf>>['settings'],
  chart: Mappings['chart'],
) {
  const flows = destinationTaxFlows(settings, chart);
  if (flows === undefined && settings.untaxedCode === undefined) return undefined;
  const revenue = new Set(
    Object.entries(chart.accounts)
      .filter(([, account]) => account.type === 'revenue')
      .map(([key]) => key),
  );
  return { flows: flows ?? {}, chart: taxChartOf(chart), revenue, untaxedCode: settings.untaxedCode };
}

/** QuickBooks Online: journal entries posted through its API, or written for its journal import. */
export const quickbooksDestination: DestinationKind = {
  name: 'quickbooks',
  mapping: quickbooksMapping,
  config: {
    kind: 'quickbooks',
    get sectionSchema() {
      return quickbooksSection.unwrap();
    },
    exportDateFormat: z.enum(EXPORT_DATE_FORMATS).optional(),
  },
  exportFormat: {
    description:
      "QuickBooks Online's journal entry import (CSV), in the accounts of quickbooks.yaml; with bank statements in " +
      "the books, each bank account's bank upload beside it (--out)",
    fileExtension: 'csv',
    async write(reads, request, out, endOut) {
      const { from, to, config, mappings, region } = request;
      const mapping = quickbooksMappingOf(mappings);
      const flows = mapping === undefined ? undefined : destinationTaxFlows(mapping.settings, mappings.chart);
      const bank = bankSideFiles(request, "QuickBooks' bank upload");
      const result = await exportCsv({
        format: 'quickbooks',
        tax:
          flows === undefined
            ? undefined
            : { flows, chart: taxChartOf(mappings.chart), untaxedCode: mapping?.settings.untaxedCode },
        entries: reads.journal.renderedEntries({ from, to }),
        out,
        mappings: { chart: mappings.chart.accounts, quickbooks: mapping?.accounts },
        dateFormat: config.export.dateFormat.quickbooks ?? quickbooksImportDateFormat(region),
        currency: config.currency,
        endOut,
        bankFiles: bank.option,
      });
      return `${result.entries} entries, ${result.lines} lines${bank.said(result)}`;
    },
  },
  api: {
    service: 'QuickBooks Online',
    appVendor: 'Intuit',
    async createClient(config, mappings, dependencies) {
      const section = quickbooksSectionOf(config);
      const mapping = quickbooksMappingOf(mappings);
      if (section === undefined || mapping === undefined) throw notConfigured(config, 'quickbooks');
      // Loaded on first use: commands that never post do not load intuit-oauth.
      const { createQuickbooksClient } = await import('./quickbooks-client.js');
      return createQuickbooksClient({
        ...destinationClientOptions(dependencies, section, mapping),
        tax: quickbooksTax(mapping.settings, mappings.chart),
      });
    },
    attachesEvidence: (config) => quickbooksSectionOf(config)?.evidence === 'attach',
    async openEvidenceAttachments(config, mappings, dependencies) {
      const section = quickbooksSectionOf(config);
      const mapping = quickbooksMappingOf(mappings);
      if (section?.evidence !== 'attach') return undefined;
      if (mapping === undefined) throw notConfigured(config, 'quickbooks');
      const { createQuickbooksEvidenceAttachments } = await import('./quickbooks-evidence-attachments.js');
      return createQuickbooksEvidenceAttachments(destinationClientOptions(dependencies, section, mapping));
    },
    async openBankDocuments(config, mappings, dependencies) {
      const section = quickbooksSectionOf(config);
      const mapping = quickbooksMappingOf(mappings);
      if (section?.transit?.createBankDocuments !== true) return undefined;
      if (mapping === undefined) throw notConfigured(config, 'quickbooks');
      const { createQuickbooksBankDocuments } = await import('./quickbooks-bank-documents.js');
      return {
        client: createQuickbooksBankDocuments(destinationClientOptions(dependencies, section, mapping)),
        bankAccount: section.transit.bankAccount,
      };
    },
    createsBankDocuments: (config) => quickbooksSectionOf(config)?.transit?.createBankDocuments === true,
    async consent(config) {
      const section = quickbooksSectionOf(config);
      return section === undefined ? undefined : (await import('../consent/index.js')).quickbooksConsent(section);
    },
    describeConnection: (connection) => `company ${connection.realmId ?? ''}`,
    production: {
      taxSection: (region, registered, rehearsal) => regionTaxSection('quickbooks', region, registered, rehearsal),
      // developer.intuit.com, "Set app redirect URIs": production redirect URIs must be https and not an IP address.
      section: [
        '  quickbooks:                           # your app at https://developer.intuit.com (Keys and credentials, Production)',
        '    clientId: ${QBO_CLIENT_ID}',
        '    clientSecret: ${QBO_CLIENT_SECRET}',
        '    environment: production             # sandbox: development keys, which reach only sandbox companies',
        '    # redirectUri: https://books.example.com/ledgerline/callback   # production keys: an https address you registered;',
        '                                        # `ledgerline connect quickbooks --paste` then reads the address Intuit redirected to',
        '',
      ].join('\n'),
      variables: ['QBO_CLIENT_ID', 'QBO_CLIENT_SECRET'],
      redirect:
        'production keys take only an https redirect URI (no localhost, no IP address): register one ' +
        'you control, set destinations.quickbooks.redirectUri to it and run `ledgerline connect quickbooks ' +
        '--paste`; development keys (environment: sandbox) may use http://localhost:5110/callback',
    },
    connectionSetup: (config) => {
      const section = quickbooksSectionOf(config);
      return section === undefined ? undefined : quickbooksConnectionSetup(section);
    },
  },
};
