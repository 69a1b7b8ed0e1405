import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { dayOf, exportMadeAt, refuseReversedWindow, yesterdayIn } from '../../app/books-days.js';
import { destinationKinds } from '../../pipeline/kinds/index.js';
import { ledgerReads, writeLedgerExport } from '../../reads/index.js';
import { exportFormatNames } from '../../app/destination-choices.js';
import { booksFiles } from '../../app/books-files.js';
import { checkOutputPath, exportFileError, writtenWhole } from '../export-file.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, mappingsFor, withBooksFor } from '../../app/configured-books.js';
import { reportTaxMappings } from '../../app/report-tax-mappings.js';
import { taxChartOf, type Mappings } from '../../config/index.js';
import { organisationRegion } from '../../app/console-vat.js';

export const exportCommand: Command = withFlags({
  // Read when help is shown: a destination kind registered by a plug-in is listed with the built-in ones.
  get usage() {
    return `ledgerline export --format ${exportFormatNames().join('|')} [--from DATE] [--to DATE] [--out FILE]`;
  },
  flags: z.object({
    // Must be given: left out, it is refused as a format not among them.
    format: flag.choiceFrom(exportFormatNames, 'F', describeExportFormats).unwrap(),
    from: flag.date('DATE', 'first entry date to include (YYYY-MM-DD or yesterday)'),
    to: flag.date('DATE', 'last entry date to include'),
    out: flag.text(
      'FILE',
      'write to FILE (replaced whole, never half-written) instead of stdout; a FOLDER takes the name a format such as fec gives its file',
    ),
    'tax-of': flag.text(
      'DESTINATION',
      "generic, hledger, beancount: write the tax codes of this destination's mapping (default: the ledger's own, the chart's tax:)",
    ),
  }),
  examples: [
    'ledgerline export --format generic > journals.csv',
    'ledgerline export --format xero --from 2026-03-01 --to 2026-03-31 --out march-xero.csv',
    'ledgerline export --format hledger --out books.journal && hledger -f books.journal check   # verify the books independently',
  ],
  async run(context) {
    const { flags } = context;
    // The flag took one of the formats' names.
    const format = destinationKinds.exportFormats().find((known) => known.name === flags.format)!;
    const mapping = destinationKinds.named(flags.format)?.mapping;
    const config = loadConfigFor(context, { onlyReads: true });
    const yesterday = yesterdayIn(config.timezone, context.now());
    const from = dayOf(flags.from, yesterday);
    const to = dayOf(flags.to, yesterday);
    refuseReversedWindow({ flag: '--from', date: from }, { flag: '--to', date: to });
    const mappings = mappingsFor(context, config, mapping === undefined ? [] : [mapping]);
    const given = flags.out === undefined ? undefined : resolve(context.cwd, flags.out);
    const kept = booksFiles(config);
    // A folder takes the file under the name the format's rules give it (a FEC's <SIREN>FEC<AAAAMMJJ>.txt).
    const intoFolder = given !== undefined && format.fileName !== undefined && isFolder(given);
    if (given !== undefined && !intoFolder) checkOutputPath(given, kept);

    return withBooksFor(config, context.ledger, async (books) => {
      const warn = (line: string) => context.logger.warn(line);
      const tax = mapping === undefined ? exportTax(config, mappings.chart, flags['tax-of'], warn) : undefined;
      const madeAt = await exportMadeAt(config, context, format);
      const request = { format, from, to, madeAt, config, mappings, warn, tax, region: organisationRegion(config) };
      const outPath = intoFolder ? join(given, format.fileName!(request)) : given;
      if (intoFolder) checkOutputPath(outPath!, kept);
      if (outPath === undefined) {
        context.logger.info(
          `exported ${await writeLedgerExport(books.of(ledgerReads), request, context.stdout, false)}`,
        );
        return EXIT.ok;
      }
      const said = await writtenWhole(outPath, (out, sideFile) =>
        writeLedgerExport(books.of(ledgerReads), { ...request, sideFile }, out, true),
      ).catch((error: unknown) => {
        throw exportFileError(error, outPath);
      });
      context.stdout.write(`wrote ${outPath}: ${said}\n`);
      return EXIT.ok;
    });
  },
});

/**
 * The tax codes a format without a mapping of its own writes (issue 54): those of the destination named by
 * --tax-of; else the ledger's own, the chart's `tax:` (issue 83), unless a destination's mapping codes flows with a
 * `tax:` of its own, then that one destination's; none when neither the chart nor a mapping has any (the file as before).
 */
function exportTax(
  config: Parameters<typeof reportTaxMappings>[0],
  chart: Mappings['chart'],
  named: string | undefined,
  warn: (line: string) => void,
) {
  const taxed = reportTaxMappings(config, warn);
  const names = taxed.map((mapping) => mapping.destination).join(', ');
  const ownSections = taxed.filter((mapping) => !mapping.rulesIn.startsWith("the chart's"));
  if (named === undefined && chart.tax !== undefined && ownSections.length === 0)
    return { destination: `the chart (${chart.file})`, flows: chart.tax, chart: taxChartOf(chart) };
  if (named !== undefined) {
    const chosen = taxed.find((mapping) => mapping.destination === named);
    if (chosen === undefined)
      throw new UsageError(
        `--tax-of ${named}: no configured destination of that name maps tax codes (those that do: ${names || 'none'})`,
      );
    return chosen;
  }
  if (taxed.length > 1) {
    const where = taxed.map((mapping) => `${mapping.destination} (${mapping.rulesIn})`).join(', ');
    throw new UsageError(
      `${where} each code flows for tax: say whose codes the export writes with --tax-of ${taxed[0]!.destination}`,
    );
  }
  return taxed[0];
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Each format with what it writes, for --help. */
function describeExportFormats(): string {
  return destinationKinds
    .all()
    .flatMap((kind) => (kind.exportFormat === undefined ? [] : [`${kind.name}: ${kind.exportFormat.description}`]))
    .join('; ');
}
