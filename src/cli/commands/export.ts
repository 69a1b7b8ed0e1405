import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { loadMappings, type DestinationKind } from '../../config/index.js';
import { CSV_FORMATS, exportCsv, type CsvFormat } from '../../destinations/csv/index.js';
import { xeroImportDateFormat } from '../../destinations/csv/xero-date-format.js';
import { EXIT, UsageError } from '../../errors.js';
import { dateFlag } from '../../pipeline/calendar.js';
import type { Command } from '../command.js';
import { loadConfigFor, withLedger } from '../load.js';

export const exportCommand: Command = {
  usage: 'ledgerline export --format generic|xero|quickbooks [--from DATE] [--to DATE] [--out FILE]',
  options: {
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
  },
  async run(context) {
    const format = context.values.format;
    if (typeof format !== 'string' || !(CSV_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${CSV_FORMATS.join(', ')}`);
    }
    const csvFormat = format as CsvFormat;
    const from = dateFlag('--from', context.values.from);
    const to = dateFlag('--to', context.values.to);
    const config = loadConfigFor(context);
    const destinations: DestinationKind[] = csvFormat === 'generic' ? [] : [csvFormat];
    const mappings = loadMappings({ chartPath: config.mappings, destinations });
    const outPath = typeof context.values.out === 'string' ? resolve(context.cwd, context.values.out) : undefined;
    const dateFormat =
      csvFormat === 'generic'
        ? undefined
        : csvFormat === 'xero'
          ? xeroImportDateFormat(config.export.dateFormat.xero, config.destinations.xero?.region)
          : config.export.dateFormat.quickbooks;

    return withLedger(config, async (ledger) => {
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
