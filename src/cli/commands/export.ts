import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { loadMappings } from '../../config/index.js';
import { EnvironmentError, EXIT } from '../../errors.js';
import { dateFlag, refuseReversedWindow, yesterdayIn } from '../calendar.js';
import { destinationKinds } from '../../pipeline/kinds/index.js';
import { writeLedgerExport } from '../../pipeline/reports/index.js';
import type { Command } from '../command.js';
import { loadConfigFor, withBooksFor } from '../load.js';
import { flagChoice } from '../flag-choice.js';

export const exportCommand: Command = {
  // Read when help is shown: a destination kind registered by a plug-in is listed with the built-in ones.
  get usage() {
    return `ledgerline export --format ${exportFormatNames().join('|')} [--from DATE] [--to DATE] [--out FILE]`;
  },
  options: {
    format: {
      type: 'string',
      value: 'F',
      get description() {
        return destinationKinds.all().flatMap((kind) => (kind.exportFormat === undefined ? [] : [`${kind.name}: ${kind.exportFormat.description}`])).join('; ');
      },
    },
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
    const formats = destinationKinds.exportFormats();
    const formatName = flagChoice(context, '--format', context.values.format, formats.map((known) => known.name));
    // flagChoice returned one of the formats' names.
    const format = formats.find((known) => known.name === formatName)!;
    const mapping = destinationKinds.named(formatName)?.mapping;
    const config = loadConfigFor(context);
    const yesterday = yesterdayIn(config.timezone, context.now());
    const from = dateFlag('--from', context.values.from, yesterday);
    const to = dateFlag('--to', context.values.to, yesterday);
    refuseReversedWindow({ flag: '--from', date: from }, { flag: '--to', date: to });
    const mappings = loadMappings({ chartPath: config.mappings, destinations: mapping === undefined ? [] : [mapping] });
    const outPath = typeof context.values.out === 'string' ? resolve(context.cwd, context.values.out) : undefined;
    if (outPath !== undefined) checkOutputPath(outPath);

    return withBooksFor(config, { forReading: true }, async (books) => {
      const request = { format, from, to, config, mappings, warn: (line: string) => context.logger.warn(line) };
      const write = (out: Writable, endOut: boolean) => writeLedgerExport(books.ledgerReads, request, out, endOut);
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

function exportFormatNames(): string[] {
  return destinationKinds.exportFormats().map((format) => format.name);
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
