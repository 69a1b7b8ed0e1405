import type { Writable } from 'node:stream';
import type { Config, Mappings } from '../config/index.js';
import type { TaxChart, TaxFlows } from '../rules/index.js';
import type { LedgerReads } from './books/ledger-reads.js';

/**
 * A format `export` and the console's downloads write, as the read side needs it. The caller hands it in from
 * the destination kinds (pipeline/kinds), so this use case names no format.
 */
export interface LedgerExportFormat {
  /** What `--format` and the console's links call it: generic, xero, hledger, … */
  readonly name: string;
  /** The written file's extension, without the dot: csv, journal, beancount. */
  readonly fileExtension: string;
  /** The bytes' character set, as a download's content-type says it: utf-8 unless the format's rules say otherwise (DATEV: windows-1252). */
  readonly charset?: ExportCharset | undefined;
  /** The download's media type without its charset: text/csv for a `csv` extension, text/plain otherwise, unless declared. */
  readonly mediaType?: string | undefined;
  /**
   * The file's own name where the format's rules give one (a FEC's `<SIREN>FEC<AAAAMMJJ>.txt`); else the console's
   * `ledgerline-<format>-<from>-to-<to>.<ext>`.
   */
  fileName?(request: LedgerExportRequest): string;
  /**
   * The file says when it was made (DATEV's header): `madeAt` is then read from the books' clock, the sandbox's day on
   * a trial, so a window exported twice is the same bytes. Any other format is handed the machine's time, unasked.
   */
  readonly statesWhenMade?: boolean | undefined;
  /** Writes the entries of the request's window to `out` (ending it when `endOut`); says what it wrote. */
  write(reads: LedgerReads, request: LedgerExportRequest, out: Writable, endOut: boolean): Promise<string>;
}

/** The character sets a format may write in: the bytes it hands `out` are in it. */
export type ExportCharset = 'utf-8' | 'windows-1252' | 'iso-8859-15';

export interface LedgerExportRequest {
  format: LedgerExportFormat;
  from: string | undefined;
  to: string | undefined;
  /**
   * When the export is made, as the books' wall clock reads it (`2026-03-06T00:00:00.000`, no offset): what a format
   * writes as its "created at". The machine's now; on a sandbox trial the start of the sandbox's today, so the same
   * window exported twice on a trial is the same bytes.
   */
  madeAt: string;
  config: Pick<Config, 'currency' | 'export' | 'destinations' | 'sources' | 'timezone'>;
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

/** What a download or `--out` says of the file: its media type with charset, and its name. */
export function exportFileFacts(
  request: LedgerExportRequest,
  window: { from: string; to: string },
): { contentType: string; fileName: string } {
  const { format } = request;
  const mediaType = format.mediaType ?? (format.fileExtension === 'csv' ? 'text/csv' : 'text/plain');
  return {
    contentType: `${mediaType}; charset=${format.charset ?? 'utf-8'}`,
    fileName:
      format.fileName?.(request) ?? `ledgerline-${format.name}-${window.from}-to-${window.to}.${format.fileExtension}`,
  };
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
