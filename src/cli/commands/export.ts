import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadMappings, type DestinationKind } from '../../config/index.js';
import { CSV_FORMATS, exportCsv, xeroImportDateFormat, type CsvFormat } from '../../destinations/csv/index.js';
import { EnvironmentError, EXIT, UsageError } from '../../errors.js';
import { dateFlag, refuseReversedWindow, yesterdayIn } from '../../pipeline/calendar.js';
import type { Command } from '../command.js';
import { loadConfigFor, withLedger } from '../load.js';

export const exportCommand: Command = {
  usage: 'ledgerline export --format generic|xero|quickbooks [--from DATE] [--to DATE] [--out FILE]',
  options: {
    format: { type: 'string', value: 'F', description: 'generic | xero | quickbooks: whose import layout the CSV follows' },
    from: { type: 'string', value: 'DATE', description: 'first entry date to include (YYYY-MM-DD or yesterday)' },
    to: { type: 'string', value: 'DATE', description: 'last entry date to include' },
    out: { type: 'string', value: 'FILE', description: 'write to FILE (replaced whole, never half-written) instead of stdout' },
  },
  examples: [
    'ledgerline export --format generic > journals.csv',
    'ledgerline export --format xero --from 2026-03-01 --to 2026-03-31 --out march-xero.csv',
  ],
  async run(context) {
    const format = context.values.format;
    if (typeof format !== 'string' || !(CSV_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${CSV_FORMATS.join(', ')}`);
    }
    const csvFormat = format as CsvFormat;
    const config = loadConfigFor(context);
    const yesterday = yesterdayIn(config.timezone, context.now());
    const from = dateFlag('--from', context.values.from, yesterday);
    const to = dateFlag('--to', context.values.to, yesterday);
    refuseReversedWindow({ flag: '--from', date: from }, { flag: '--to', date: to });
    const destinations: DestinationKind[] = csvFormat === 'generic' ? [] : [csvFormat];
    const mappings = loadMappings({ chartPath: config.mappings, destinations });
    const outPath = typeof context.values.out === 'string' ? resolve(context.cwd, context.values.out) : undefined;
    if (outPath !== undefined) checkOutputPath(outPath);
    const dateFormat =
      csvFormat === 'generic'
        ? undefined
        : csvFormat === 'xero'
          ? xeroImportDateFormat(config.export.dateFormat.xero, config.destinations.xero?.region)
          : config.export.dateFormat.quickbooks;

    return withLedger(config, { forReading: true }, async (ledger) => {
      const entries = ledger.renderedEntries({ from, to });
      const csvMappings = { chart: mappings.chart.accounts, xero: mappings.xero?.accounts, quickbooks: mappings.quickbooks?.accounts };
      if (outPath === undefined) {
        const result = await exportCsv({ format: csvFormat, entries, out: context.stdout, mappings: csvMappings, dateFormat, endOut: false });
        context.logger.info(`exported ${result.entries} entries, ${result.lines} lines`);
        return EXIT.ok;
      }
      // Written beside the target and renamed into place: an accountant never opens a half-written file.
      const partial = `${outPath}.partial`;
      try {
        const result = await exportCsv({ format: csvFormat, entries, out: createWriteStream(partial), mappings: csvMappings, dateFormat });
        const fd = openSync(partial, 'r+');
        fsyncSync(fd);
        closeSync(fd);
        renameSync(partial, outPath);
        context.stdout.write(`wrote ${outPath}: ${result.entries} entries, ${result.lines} lines\n`);
        if (csvFormat === 'xero' && result.lines > 300) {
          context.logger.warn(`Xero's manual journal import takes at most 300 lines per file; this file has ${result.lines}: export smaller windows with --from/--to`);
        }
        return EXIT.ok;
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
    });
  },
};

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
