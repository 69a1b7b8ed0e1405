import { z } from 'zod';
import { destinationTaxFlows, taxChartOf, type Mappings } from '../../config/index.js';
import { EXPORT_DATE_FORMATS } from '../../rules/index.js';
import type { DestinationKind } from '../destination-kind.js';
import { destinationClientOptions } from '../destination-client-options.js';
import { notConfigured } from '../delivery/not-configured.js';
import { regionTaxSection } from '../region-tax.js';
import { bankAccountsOf, bankSideFiles } from '../csv/bank-side-files.js';
import { exportCsv, xeroImportDateFormat } from '../csv/index.js';
import { XERO_REGIONS, xeroConnectionSetup, xeroRegionOf, xeroSection, xeroSectionOf } from './xero-config.js';
import { xeroMapping, xeroMappingOf } from './xero-mapping.js';

/** Xero's manual journal import takes at most this many lines per file. */
const XERO_IMPORT_MAX_LINES = 300;

/** Xero's bank statement import takes at most this many lines per file. */
const XERO_STATEMENT_MAX_LINES = 1000;

/** The flows (xero.yaml's `tax:`, or the chart's with its codes) and chart a client codes lines by; undefined without either. */
function xeroTaxSetupOf(mapping: NonNullable<ReturnType<typeof xeroMappingOf>>, chart: Mappings['chart']) {
  const flows = destinationTaxFlows(mapping.settings, chart);
  return flows === undefined ? undefined : { flows, chart: taxChartOf(chart) };
}

/** xero.yaml's `tax:` flows for the CSV export, when it has them. */
function xeroCsvTax(mapping: ReturnType<typeof xeroMappingOf>, chart: Mappings['chart']) {
  const flows = mapping === undefined ? undefined : destinationTaxFlows(mapping.settings, chart);
  return mapping === undefined || flows === undefined
    ? undefined
    : { file: mapping.file, flows, chart: taxChartOf(chart) };
}

/** Xero: journals posted through its API, or written for its manual journal import. */
export const xeroDestination: DestinationKind = {
  name: 'xero',
  mapping: xeroMapping,
  config: {
    kind: 'xero',
    get sectionSchema() {
      return xeroSection.unwrap();
    },
    /** Without it, destinations.xero.region decides (see xeroImportDateFormat). */
    exportDateFormat: z.enum(EXPORT_DATE_FORMATS).optional(),
    /** For a CSV-only set-up; destinations.xero.region wins (see xeroRegionOf). */
    exportRegion: z.enum(XERO_REGIONS).optional(),
  },
  taxRegion: (config) => xeroRegionOf(config),
  exportFormat: {
    description:
      "Xero's manual journal import (CSV), in the accounts of xero.yaml; with bank statements in the books, each " +
      "bank account's statement import beside it (--out)",
    fileExtension: 'csv',
    async write(reads, request, out, endOut) {
      const { from, to, config, mappings } = request;
      const region = xeroRegionOf(config);
      if (region === undefined) {
        request.warn(
          'destinations.xero.region is not set: lines without a taxRate name "Tax Exempt", the no-tax ' +
            'rate of US and global organisations; set the region (UK: No VAT, AU: BAS Excluded, NZ: No GST), ' +
            'or export.region.xero without a Xero connection',
        );
      }
      const bank = bankSideFiles(request, "Xero's bank statement import");
      const result = await exportCsv({
        format: 'xero',
        entries: reads.journal.renderedEntries({ from, to }),
        out,
        mappings: { chart: mappings.chart.accounts, xero: xeroMappingOf(mappings)?.accounts },
        xeroTax: xeroCsvTax(xeroMappingOf(mappings), mappings.chart),
        dateFormat: xeroImportDateFormat(config.export.dateFormat.xero, region),
        xeroRegion: region,
        currency: config.currency,
        endOut,
        // The statement import's dates: as the journals', but YYYY-MM-DD where neither a region nor an override says
        // the organisation's format: no region misreads it, and the journals' DD MMM YYYY is no bank's statement date.
        bankFiles: {
          ...bank.option,
          dateFormat: config.export.dateFormat.xero ?? (region === undefined ? 'YYYY-MM-DD' : undefined),
        },
      });
      if (result.lines > XERO_IMPORT_MAX_LINES) {
        request.warn(
          `Xero's manual journal import takes at most ${XERO_IMPORT_MAX_LINES} lines per file; this ` +
            `file has ${result.lines}: export smaller windows with --from/--to`,
        );
      }
      for (const file of result.bank ?? [])
        if (file.lines > XERO_STATEMENT_MAX_LINES)
          request.warn(
            `Xero's bank statement import takes at most ${XERO_STATEMENT_MAX_LINES} lines per file; ${file.account}'s ` +
              `has ${file.lines}: export smaller windows with --from/--to`,
          );
      return `${result.entries} entries, ${result.lines} lines${bank.said(result)}`;
    },
  },
  api: {
    service: 'Xero',
    appVendor: 'Xero',
    async createClient(config, mappings, dependencies) {
      const section = xeroSectionOf(config);
      const mapping = xeroMappingOf(mappings);
      if (section === undefined || mapping === undefined) throw notConfigured(config, 'xero');
      // Loaded on first use: commands that never post do not load xero-node.
      const { createXeroClient } = await import('./xero-client.js');
      const tax = xeroTaxSetupOf(mapping, mappings.chart);
      return createXeroClient({
        ...destinationClientOptions(dependencies, section, mapping),
        status: section.status ?? mapping.settings.status,
        tax,
        bankLedgerAccounts: bankAccountsOf(config),
      });
    },
    attachesEvidence: (config) => xeroSectionOf(config)?.evidence === 'attach',
    async openEvidenceAttachments(config, mappings, dependencies) {
      const section = xeroSectionOf(config);
      const mapping = xeroMappingOf(mappings);
      if (section?.evidence !== 'attach') return undefined;
      if (mapping === undefined) throw notConfigured(config, 'xero');
      const { createXeroEvidenceAttachments } = await import('./xero-evidence-attachments.js');
      return createXeroEvidenceAttachments(destinationClientOptions(dependencies, section, mapping));
    },
    async openBankDocuments(config, mappings, dependencies) {
      const section = xeroSectionOf(config);
      const mapping = xeroMappingOf(mappings);
      if (section?.transit?.createBankDocuments !== true) return undefined;
      if (mapping === undefined) throw notConfigured(config, 'xero');
      const { createXeroBankDocuments } = await import('./xero-bank-documents.js');
      return {
        client: createXeroBankDocuments(
          destinationClientOptions(dependencies, section, mapping),
          xeroTaxSetupOf(mapping, mappings.chart),
        ),
        bankAccount: section.transit.bankAccount,
        bankLedgerAccounts: bankAccountsOf(config),
      };
    },
    createsBankDocuments: (config) => xeroSectionOf(config)?.transit?.createBankDocuments === true,
    bankSideAccounts: (config) =>
      xeroSectionOf(config)?.transit?.createBankDocuments === true ? bankAccountsOf(config) : new Set(),
    async consent(config) {
      const section = xeroSectionOf(config);
      return section === undefined ? undefined : (await import('../consent/index.js')).xeroConsent(section);
    },
    describeConnection: (connection) =>
      `organisation "${connection.organisationName ?? ''}" (tenant ${connection.tenantId ?? ''})`,
    production: {
      taxSection: (region, registered, rehearsal) => regionTaxSection('xero', region, registered, rehearsal),
      // developer.xero.com: a "Web app" has a secret; its redirect URI must match exactly (the loopback listener's by default).
      section: [
        '  xero:                                 # your app at https://developer.xero.com/app/manage',
        '    clientId: ${XERO_CLIENT_ID}',
        '    clientSecret: ${XERO_CLIENT_SECRET}   # leave this line out for an app without a secret (PKCE)',
        '    connection: oauth                   # `ledgerline connect xero` picks the organisation; custom: a Xero custom connection',
        '    scopes: granular                    # apps created on or after 2 March 2026; broad for older apps (until September 2027)',
        '    # redirectUri: http://localhost:5110/callback   # only if you registered another loopback port',
        '    status: POSTED                      # or DRAFT',
        '    region: US                          # US | UK | NZ | AU: the CSV import dates and no-tax rate name',
        '',
      ].join('\n'),
      variables: ['XERO_CLIENT_ID', 'XERO_CLIENT_SECRET'],
      redirect:
        'register http://localhost:5110/callback as a redirect URI of the Xero app, then run `ledgerline ' +
        'connect xero` on a machine with a browser (or add --no-browser and open the printed address)',
    },
    connectionSetup: (config) => {
      const section = xeroSectionOf(config);
      return section === undefined ? undefined : xeroConnectionSetup(section);
    },
  },
};
