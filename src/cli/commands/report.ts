import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { z } from 'zod';
import { EnvironmentError, EXIT } from '../../errors.js';
import { booksDays, dayOf, refuseReversedWindow } from '../../app/books-days.js';
import { financeReport, reportPage, uplotAssets } from '../../reads/index.js';
import type { Command } from '../command.js';
import { booksFiles } from '../../app/books-files.js';
import { refuseBooksFiles, writtenWhole } from '../export-file.js';
import { flag, withFlags } from '../flags.js';
import { financeReportOptions } from '../../app/finance-report-options.js';
import { loadConfigFor, loadEachEntityConfigFor, mappingsFor, withBooksFor } from '../../app/configured-books.js';
import { reconcileReadsOf } from '../../app/reconcile-reads.js';
import { reportTaxMappings } from '../../app/report-tax-mappings.js';
import { followsMoneyInTransitIn } from '../../app/follows-money-in-transit.js';
import { reportFleet } from '../../app/report-fleet.js';

export const reportCommand: Command = withFlags({
  usage: 'ledgerline report [--from DATE] [--to DATE] [--out FILE]',
  flags: z.object({
    from: flag.date('DATE', 'first day of the report (default: the first entry date, so the whole ledger)'),
    to: flag.date('DATE', 'last day of the report (default: the last entry date)'),
    out: flag.text('FILE', 'the HTML file to write (default: report.html), replaced whole').default('report.html'),
  }),
  examples: [
    'ledgerline report                                                      # the whole ledger into ./report.html',
    'ledgerline report --from 2026-03-01 --to 2026-03-31 --out march.html   # one month, for the accountant',
    'ledgerline report --from yesterday --to yesterday                      # the last night only',
  ],
  async run(context) {
    const config = loadConfigFor(context, { onlyReads: true });
    const { today, yesterday } = await booksDays(config, context);
    const from = dayOf(context.flags.from, yesterday);
    const to = dayOf(context.flags.to, yesterday);
    refuseReversedWindow({ flag: '--from', date: from }, { flag: '--to', date: to });
    const outPath = resolve(context.cwd, context.flags.out);
    refuseBooksFiles(outPath, booksFiles(config), 'report.html');
    const report = await withBooksFor(config, context.ledger, async (books) => {
      // The destinations are asked once which bank-side documents a person matched there, as `transit` asks them
      // (only then is the posting side loaded).
      const documents = followsMoneyInTransitIn(config)
        ? await (await import('../../app/destination-documents.js')).destinationDocuments(context, config, books)
        : undefined;
      return financeReport(reconcileReadsOf(books), {
        ...financeReportOptions(
          config,
          { from, to },
          { today, yesterday },
          { books, now: context.now(), ...(documents === undefined ? {} : { documents }) },
          // Through the checked cache, as balances reads it: a kept chart is not parsed or checked again.
          mappingsFor(context, config).chart,
        ),
        taxMappings: reportTaxMappings(config, (line) => context.logger.warn(line)),
        findingsOfWindow: true,
      });
    });
    // Every entity the report is for (the one --entity names, else each); without entities, its own configuration, not read again.
    const fleetConfigs =
      context.entity !== undefined || config.entity === undefined ? [config] : loadEachEntityConfigFor(context);
    const fleet = await reportFleet(context, fleetConfigs);
    // Written beside the target and renamed into place: a browser never opens a half-written page.
    try {
      await writtenWhole(outPath, async (out) => {
        out.end(reportPage({ ...report, fleet }, uplotAssets(), config.timezone));
        await finished(out);
      });
    } catch (error) {
      // A folder that is missing or may not be written is the user's to fix, not a bug.
      if (error instanceof Error && 'code' in error)
        throw new EnvironmentError(`--out ${outPath} cannot be written: ${error.message}`);
      throw error;
    }
    const open = report.findings['needs-person'].length;
    context.stdout.write(
      `wrote ${outPath}: ${report.from} to ${report.to}, ${report.summaries.length} source(s), ${open} item(s) needing a person\n`,
    );
    return EXIT.ok;
  },
});
