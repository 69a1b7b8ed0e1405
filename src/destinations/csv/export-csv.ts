import type { Writable } from 'node:stream';
import { LedgerIntegrityError, UsageError } from '../../errors.js';
import { foldedEntry, lineTaxCodes, type RenderedEntry, type TaxChart, type TaxFlows } from '../../rules/index.js';
import {
  journalNumberClash,
  journalNumberClashMessage,
  type QuickbooksAccount,
} from '../quickbooks/quickbooks-payload.js';
import type { XeroAccount } from '../xero/xero-payload.js';
import type { AccountMapping } from '../delivery/account-mapping.js';
import type { DateFormat } from './date-format.js';
import {
  BankStatementFiles,
  type BankFileResult,
  type BankFilesOption,
  type BankStatementLayout,
} from './bank-statement-files.js';
import { quickbooksBankLayout, xeroStatementLayout } from './bank-statement-rows.js';
import { CsvOutput } from './csv-output.js';
import { assertDeliverable } from '../delivery/deliverable-entry.js';
import { GENERIC_COLUMNS, GENERIC_TAX_COLUMN, genericRows, type ChartAccount } from './generic-rows.js';
import { quickbooksColumns, quickbooksLayout, quickbooksRows } from './quickbooks-rows.js';
import { xeroImportDateFormat } from './xero-date-format.js';
import { XERO_COLUMNS, xeroNoTaxRate, xeroRows, xeroTaxRateNames, type XeroCsvTax } from './xero-rows.js';
import type { XeroRegion } from '../xero/xero-config.js';

const CSV_FORMATS = ['generic', 'xero', 'quickbooks'] as const;
type CsvFormat = (typeof CSV_FORMATS)[number];

/** The account tables an export may need: `chart` for generic, `xero` for xero, `quickbooks` for quickbooks. */
interface CsvMappings {
  chart?: AccountMapping<ChartAccount>;
  xero?: AccountMapping<XeroAccount>;
  quickbooks?: AccountMapping<QuickbooksAccount>;
}

export interface ExportCsvOptions {
  format: CsvFormat;
  /** In the order they should appear; read one at a time, never gathered. */
  entries: AsyncIterable<RenderedEntry> | Iterable<RenderedEntry>;
  out: Writable;
  mappings: CsvMappings;
  /** xero: default DD/MM/YYYY; quickbooks: default MM/DD/YYYY; generic: always YYYY-MM-DD. */
  dateFormat?: DateFormat;
  /** xero: the organisation's region, whose no-tax rate name an account without a taxRate gets (default "Tax Exempt"). */
  xeroRegion?: XeroRegion | undefined;
  /** xero: xero.yaml's `tax:` flows, whose rate names a coded line carries (issue 54). */
  xeroTax?: XeroCsvTax | undefined;
  /**
   * generic: a tax_code column of these flows' codes; quickbooks: a Tax Code column of quickbooks.yaml's (issue 54),
   * `untaxedCode` on every other income or expense line (issue 70: a UK company refuses one without). Left out, no column.
   */
  tax?: { flows: TaxFlows; chart: TaxChart; untaxedCode?: string | undefined } | undefined;
  /** quickbooks: source id → the customer / vendor name QuickBooks knows it by, for the Name column (left empty otherwise). */
  sourceNames?: Readonly<Record<string, string>>;
  /**
   * xero, quickbooks without a Currency column: the books' currency, the one the import reads every amount in; a line
   * in another is refused naming its entry. Left out, the first line's.
   */
  currency?: string | undefined;
  /** quickbooks: write a Currency column (a multicurrency company exporting other than its home currency). Default false. */
  currencyColumn?: boolean;
  /** End `out` when the export is complete (default true); pass false for process.stdout. */
  endOut?: boolean;
  /**
   * xero, quickbooks: the ledger's bank accounts, whose entries go to a bank statement import file each instead
   * of the journals (bank-statement-files.ts). Left out, or with no account, every entry is a journal, as before.
   */
  bankFiles?: BankFilesOption | undefined;
}

/** What was written: entries with at least one line (empty ones are skipped), and their lines (one row each, header not counted). */
export interface ExportCsvResult {
  entries: number;
  lines: number;
  /** With bankFiles: each bank account's statement lines. */
  bank?: BankFileResult[];
}

interface CsvPlan {
  columns: readonly string[];
  rows(entry: RenderedEntry): string[][];
  /** The destination's bank statement import, for a format that has one. */
  bank?: BankStatementLayout;
}

/** Rows are gathered into writes of about this many cells (some 100 kB): one write per row costs more than the rows. */
const WRITE_CELLS = 8 * 1024;

/**
 * Streams entries out as CSV, row by row as they come: each entry is checked
 * (balanced in cents, mapped), turned into rows and written to `out` in
 * chunks with backpressure (the reading of `entries` pauses while `out` is
 * full), so memory does not grow with the size of the export. Records end
 * with CRLF (RFC 4180), no byte-order mark; see csv-output.ts for the quoting.
 * An entry that fails a check rejects the promise with an error naming it,
 * after the rows of the entries before it were written, and `out` is
 * destroyed unless `endOut` is false: write a file under a temporary name and
 * rename it on success.
 */
export async function exportCsv(options: ExportCsvOptions): Promise<ExportCsvResult> {
  const plan = planFor(options);
  const { out } = options;
  const written: ExportCsvResult = { entries: 0, lines: 0 };
  const output = new CsvOutput(out, options.endOut ?? true, plan.columns);
  const bank =
    plan.bank !== undefined && options.bankFiles !== undefined && options.bankFiles.accounts.size > 0
      ? new BankStatementFiles(options.bankFiles, plan.bank)
      : undefined;
  /** Adds the entry's rows; true when enough is gathered to write. */
  const take = (entry: RenderedEntry): boolean => {
    if (entry.lines.length === 0) return false;
    assertDeliverable(entry);
    if (bank?.take(entry) === true) return false;
    // A destination's import gets each VAT line folded into its coded line, which it splits itself (issue 70).
    const rows = plan.rows(options.format === 'generic' ? entry : foldedEntry(entry));
    written.entries += 1;
    written.lines += rows.length;
    for (const row of rows) output.add(row);
    return output.gathered >= WRITE_CELLS;
  };
  try {
    // A plain iterable is read without a promise per entry.
    if (isAsyncIterable(options.entries)) {
      for await (const entry of options.entries) if (take(entry)) await output.flush();
    } else {
      for (const entry of options.entries) if (take(entry)) await output.flush();
    }
    await output.flush();
    await bank?.flush();
  } catch (error) {
    await bank?.fail(error);
    return output.fail(error);
  }
  await output.end();
  await bank?.end();
  return bank === undefined ? written : { ...written, bank: bank.results() };
}

function isAsyncIterable(
  entries: AsyncIterable<RenderedEntry> | Iterable<RenderedEntry>,
): entries is AsyncIterable<RenderedEntry> {
  return Symbol.asyncIterator in entries;
}

function planFor(options: ExportCsvOptions): CsvPlan {
  switch (options.format) {
    case 'generic': {
      if (options.dateFormat !== undefined && options.dateFormat !== 'YYYY-MM-DD') {
        throw new UsageError(`the generic format always writes dates as YYYY-MM-DD (asked for ${options.dateFormat})`);
      }
      const chart = required(options.mappings.chart, 'generic', 'chart');
      const tax = options.tax;
      if (tax === undefined) return { columns: GENERIC_COLUMNS, rows: (entry) => genericRows(entry, chart) };
      return {
        columns: [...GENERIC_COLUMNS, GENERIC_TAX_COLUMN],
        rows: (entry) => genericRows(entry, chart, codesOf(entry, tax)),
      };
    }
    case 'xero': {
      const mapping = required(options.mappings.xero, 'xero', 'Xero');
      const dateFormat = xeroImportDateFormat(options.dateFormat, undefined);
      const noTaxRate = xeroNoTaxRate(options.xeroRegion);
      const sameCurrency = currencyGuard(
        'Xero',
        "Xero's manual journal import reads every amount in the organisation's base currency: " +
          '"ledgerline post xero" sends it converted at destinations.rates',
        options.currency,
      );
      return {
        columns: XERO_COLUMNS,
        bank: xeroStatementLayout(mapping, options.bankFiles?.dateFormat ?? dateFormat),
        rows: (entry) => {
          sameCurrency(entry);
          return xeroRows(entry, mapping, dateFormat, noTaxRate, xeroTaxRateNames(entry, options.xeroTax));
        },
      };
    }
    case 'quickbooks': {
      const mapping = required(options.mappings.quickbooks, 'quickbooks', 'QuickBooks');
      const dateFormat = options.dateFormat ?? 'MM/DD/YYYY';
      const layout = quickbooksLayout(mapping, options.currencyColumn ?? false, options.tax !== undefined);
      const tax = options.tax;
      const sourceNames = options.sourceNames ?? {};
      const sameCurrency = layout.currency
        ? () => undefined
        : currencyGuard(
            'QuickBooks',
            "QuickBooks' journal import reads every amount in the home currency: " +
              '"ledgerline post quickbooks" sends it with its currency and exchange rate',
            options.currency,
          );
      const clash = journalNumberClash();
      return {
        columns: quickbooksColumns(layout),
        bank: quickbooksBankLayout(mapping, options.bankFiles?.dateFormat ?? dateFormat),
        rows: (entry) => {
          sameCurrency(entry);
          // An entry with no lines has no rows, so it holds no number.
          const clashing = entry.lines.length === 0 ? undefined : clash(entry);
          if (clashing) throw new LedgerIntegrityError(journalNumberClashMessage(entry.id, clashing));
          const sourceName = Object.hasOwn(sourceNames, entry.sourceId) ? sourceNames[entry.sourceId]! : '';
          return quickbooksRows(entry, mapping, layout, dateFormat, sourceName, tax && codesOf(entry, tax));
        },
      };
    }
    default:
      return unknownFormat(options.format);
  }
}

/** Each line's tax code under `tax`, else `untaxedCode` on an income or expense line, else undefined. */
function codesOf(
  entry: RenderedEntry,
  tax: { flows: TaxFlows; chart: TaxChart; untaxedCode?: string | undefined },
): (string | undefined)[] {
  return lineTaxCodes(entry, tax.chart, tax.flows).map(
    (found, index) =>
      found?.code ?? (tax.chart.profitAndLoss.has(entry.lines[index]!.account) ? tax.untaxedCode : undefined),
  );
}

function required<Mapping>(mapping: Mapping | undefined, format: CsvFormat, name: string): Mapping {
  if (mapping === undefined) throw new UsageError(`the ${format} export needs the ${name} account mapping`);
  return mapping;
}

/**
 * For formats without a currency column: the books' currency (else the first
 * line's) is the export's, and a line in any other is refused with the entry
 * named, rather than imported as if it were the same money. Example: USD books
 * whose first entry is a 2.00 EUR fee: the fee is named, not the USD entries.
 */
function currencyGuard(
  destination: string,
  why: string,
  booksCurrency: string | undefined,
): (entry: RenderedEntry) => void {
  let exportCurrency = booksCurrency;
  return (entry) => {
    for (const line of entry.lines) {
      exportCurrency ??= line.currency;
      if (line.currency !== exportCurrency) {
        throw new UsageError(
          `${destination} export: entry ${entry.id} has a ${line.currency} line in an export of ${exportCurrency}; ${why}`,
        );
      }
    }
  };
}

function unknownFormat(format: never): never {
  throw new UsageError(`unknown export format ${JSON.stringify(format)}; expected one of ${CSV_FORMATS.join(', ')}`);
}
