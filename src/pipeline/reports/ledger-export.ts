import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Config, Mappings } from '../../config/index.js';
import { CSV_FORMATS, PLAIN_TEXT_FORMATS, exportCsv, exportGenericCsv, writePlainTextLedger, xeroImportDateFormat, type CsvFormat, type PlainTextFormat } from '../../destinations/index.js';
import type { LedgerReads } from './ledger-reads.js';

/** Every format export writes: the CSV imports, and plain-text ledgers that hledger and Beancount check. */
export const EXPORT_FORMATS = [...CSV_FORMATS, ...PLAIN_TEXT_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface LedgerExportRequest {
  format: ExportFormat;
  from: string | undefined;
  to: string | undefined;
  config: Pick<Config, 'export' | 'destinations'>;
  /** With the format's destination mapping loaded for xero and quickbooks. */
  mappings: Mappings;
  warn: (line: string) => void;
}

/** Writes the entries dated `from`…`to` to `out` in `format` (what `export` and the console's downloads write); says what it wrote. */
export async function writeLedgerExport(reads: LedgerReads, request: LedgerExportRequest, out: Writable, endOut: boolean): Promise<string> {
  const { format, from, to, config, mappings } = request;
  const ledger = reads.journal;
  if (isPlainText(format)) {
    const accountTypes = Object.fromEntries(Object.entries(mappings.chart.accounts).map(([key, account]) => [key, account.type]));
    const result = await writePlainTextLedger({
      format,
      accountTypes,
      accountsInUse: await reads.accountsInUse({ from, to }),
      entries: ledger.exactEntries({ from, to }),
      panelBalances: await reads.reportedBalances({ from, to }),
      out,
    });
    if (endOut) {
      out.end();
      await finished(out);
    }
    return `${result.entries} entries, ${result.assertions} balance assertions`;
  }
  if (format === 'generic') {
    const result = await exportGenericCsv({ chunks: ledger.bookLineChunks({ from, to }), out, chart: mappings.chart.accounts, endOut });
    return `${result.entries} entries, ${result.lines} lines`;
  }
  const csvFormat: CsvFormat = format;
  const dateFormat = csvFormat === 'xero' ? xeroImportDateFormat(config.export.dateFormat.xero, config.destinations.xero?.region) : config.export.dateFormat.quickbooks;
  const csvMappings = { chart: mappings.chart.accounts, xero: mappings.xero?.accounts, quickbooks: mappings.quickbooks?.accounts };
  const xeroRegion = config.destinations.xero?.region;
  if (csvFormat === 'xero' && xeroRegion === undefined) {
    request.warn('destinations.xero.region is not set: lines without a taxRate name "Tax Exempt", the no-tax rate of US and global organisations; set the region (UK: No VAT, AU: BAS Excluded, NZ: No GST)');
  }
  const result = await exportCsv({ format: csvFormat, entries: ledger.renderedEntries({ from, to }), out, mappings: csvMappings, dateFormat, xeroRegion, endOut });
  if (csvFormat === 'xero' && result.lines > 300) {
    request.warn(`Xero's manual journal import takes at most 300 lines per file; this file has ${result.lines}: export smaller windows with --from/--to`);
  }
  return `${result.entries} entries, ${result.lines} lines`;
}

function isPlainText(format: string): format is PlainTextFormat {
  return (PLAIN_TEXT_FORMATS as readonly string[]).includes(format);
}
