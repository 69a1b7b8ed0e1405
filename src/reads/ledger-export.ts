import type { Writable } from 'node:stream';
import type { Config, Mappings } from '../config/index.js';
import type { TaxChart, TaxFlows } from '../rules/index.js';
import type { LedgerReads } from './ledger-reads.js';

/**
 * A format `export` and the console's downloads write, as the read side needs it. The caller hands it in from
 * the destination kinds (pipeline/kinds), so this use case names no format.
 */
export interface LedgerExportFormat {
  /** What `--format` and the console's links call it: generic, xero, hledger, … */
  readonly name: string;
  /** The written file's extension, without the dot: csv, journal, beancount. */
  readonly fileExtension: string;
  /** Writes the entries of the request's window to `out` (ending it when `endOut`); says what it wrote. */
  write(reads: LedgerReads, request: LedgerExportRequest, out: Writable, endOut: boolean): Promise<string>;
}

export interface LedgerExportRequest {
  format: LedgerExportFormat;
  from: string | undefined;
  to: string | undefined;
  config: Pick<Config, 'currency' | 'export' | 'destinations' | 'sources'>;
  /** The chart, with the format's destination mapping when it reads one (xero.yaml, quickbooks.yaml). */
  mappings: Mappings;
  warn: (line: string) => void;
  /**
   * The tax codes a format without a mapping of its own writes (generic's tax_code column, hledger's and Beancount's
   * posting tags): those of the destination whose mapping codes flows (issue 54). Undefined: nothing is written of
   * tax, and the file is byte for byte what it was before tax codes.
   */
  tax?: ExportTax | undefined;
  /** The organisation's region as the configuration names it (`UK`, `AU`…: the first destination kind naming one). */
  region?: string | undefined;
  /**
   * Opens a file beside the export's own (`--out FILE`), named FILE without its extension, "-", `suffix`, ".",
   * `extension`: Xero's and QuickBooks' formats write each bank account's statement import there. Written whole or
   * not at all, as the export's own file is. Undefined when the export has no file of its own (stdout, the console).
   */
  sideFile?: ((suffix: string, extension: string) => { out: Writable; path: string }) | undefined;
}

/** One destination's tax section as an export reads it: `tax:` of xero.yaml, say, with the chart it codes. */
interface ExportTax {
  destination: string;
  flows: TaxFlows;
  chart: TaxChart;
}

/** Writes the entries dated `from`…`to` to `out` in the request's format (what `export` and the console's downloads write); says what it wrote. */
export function writeLedgerExport(
  reads: LedgerReads,
  request: LedgerExportRequest,
  out: Writable,
  endOut: boolean,
): Promise<string> {
  return request.format.write(reads, request, out, endOut);
}
