import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { dirname, resolve } from 'node:path';
import { loadMappings, type DestinationKind } from '../../config/index.js';
import { CSV_FORMATS, PLAIN_TEXT_FORMATS, exportCsv, exportGenericCsv, writePlainTextLedger, xeroImportDateFormat, type CsvFormat, type PlainTextFormat } from '../../destinations/index.js';
import { accountsInUse, reportedBalances } from '../../store/index.js';
import { EnvironmentError, EXIT } from '../../errors.js';
import { dateFlag, refuseReversedWindow, yesterdayIn } from '../../pipeline/calendar.js';
import type { Command } from '../command.js';
import { loadConfigFor, withLedger } from '../load.js';
import { flagChoice } from '../flag-choice.js';

export const exportCommand: Command = {
  usage: 'ledgerline export --format generic|xero|quickbooks|hledger|beancount [--from DATE] [--to DATE] [--out FILE]',
  options: {
    format: { type: 'string', value: 'F', description: 'generic | xero | quickbooks: whose CSV import layout; hledger | beancount: a plain-text ledger those tools check' },
    from: { type: 'string', value: 'DATE', description: 'first entry date to include (YYYY-MM-DD or yesterday)' },
    to: { type: 'string', value: 'DATE', description: 'last entry date to include' },
    out: { type: 'string', value: 'FILE', description: 'write to FILE (replaced whole, never half-written) instead of stdout' },
  },
  examples: [
    'ledgerline export --format generic > journals.csv',
    'ledgerline export --format xero --from 2026-03-01 --to 2026-03-31 --out march-xero.csv',
    'ledgerline export --format hledger --out books.journal && hledger -f books.journal check   # verify the books independently',
  ],
  async run(context) {
    const format = flagChoice(context, '--format', context.values.format, EXPORT_FORMATS);
    const config = loadConfigFor(context);
    const yesterday = yesterdayIn(config.timezone, context.now());
    const from = dateFlag('--from', context.values.from, yesterday);
    const to = dateFlag('--to', context.values.to, yesterday);
    refuseReversedWindow({ flag: '--from', date: from }, { flag: '--to', date: to });
    const destinations: DestinationKind[] = format === 'xero' || format === 'quickbooks' ? [format] : [];
    const mappings = loadMappings({ chartPath: config.mappings, destinations });
    const outPath = typeof context.values.out === 'string' ? resolve(context.cwd, context.values.out) : undefined;
    if (outPath !== undefined) checkOutputPath(outPath);

    return withLedger(config, { forReading: true }, async (ledger) => {
      const write = async (out: Writable, endOut: boolean): Promise<string> => {
        if (isPlainText(format)) {
          const accountTypes = Object.fromEntries(Object.entries(mappings.chart.accounts).map(([key, account]) => [key, account.type]));
          const result = await writePlainTextLedger({
            format,
            accountTypes,
            accountsInUse: await accountsInUse(ledger.store, { from, to }),
            entries: ledger.exactEntries({ from, to }),
            panelBalances: await reportedBalances(ledger.store, { from, to }),
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
        const csvFormat = format as CsvFormat;
        const dateFormat =
          csvFormat === 'generic'
            ? undefined
            : csvFormat === 'xero'
              ? xeroImportDateFormat(config.export.dateFormat.xero, config.destinations.xero?.region)
              : config.export.dateFormat.quickbooks;
        const csvMappings = { chart: mappings.chart.accounts, xero: mappings.xero?.accounts, quickbooks: mappings.quickbooks?.accounts };
        const xeroRegion = config.destinations.xero?.region;
        if (csvFormat === 'xero' && xeroRegion === undefined) {
          context.logger.warn('destinations.xero.region is not set: lines without a taxRate name "Tax Exempt", the no-tax rate of US and global organisations; set the region (UK: No VAT, AU: BAS Excluded, NZ: No GST)');
        }
        const result = await exportCsv({ format: csvFormat, entries: ledger.renderedEntries({ from, to }), out, mappings: csvMappings, dateFormat, xeroRegion, endOut });
        if (csvFormat === 'xero' && result.lines > 300) {
          context.logger.warn(`Xero's manual journal import takes at most 300 lines per file; this file has ${result.lines}: export smaller windows with --from/--to`);
        }
        return `${result.entries} entries, ${result.lines} lines`;
      };
      if (outPath === undefined) {
        context.logger.info(`exported ${await write(context.stdout, false)}`);
        return EXIT.ok;
      }
      // Written beside the target and renamed into place: an accountant never opens a half-written file.
      const partial = `${outPath}.partial`;
      try {
        const said = await write(createWriteStream(partial), true);
        const fd = openSync(partial, 'r+');
        fsyncSync(fd);
        closeSync(fd);
        renameSync(partial, outPath);
        context.stdout.write(`wrote ${outPath}: ${said}\n`);
        return EXIT.ok;
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
    });
  },
};

/** Every format export writes: the CSV imports, and plain-text ledgers that hledger and Beancount check. */
const EXPORT_FORMATS = [...CSV_FORMATS, ...PLAIN_TEXT_FORMATS] as const;

function isPlainText(format: string): format is PlainTextFormat {
  return (PLAIN_TEXT_FORMATS as readonly string[]).includes(format);
}

/** --out must name a file in a folder that exists and may be written: said before the ledger is read. */
function checkOutputPath(path: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new EnvironmentError(`--out ${path} is a folder; name a file, such as ${path.replace(/\/+$/, '')}/journals.csv`);
  const folder = dirname(path);
  if (!existsSync(folder)) throw new EnvironmentError(`--out ${path}: the folder ${folder} does not exist; create it first`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new EnvironmentError(`--out ${path}: the folder ${folder} may not be written by this user`);
  }
}
