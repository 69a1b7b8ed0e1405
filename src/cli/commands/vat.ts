import { z } from 'zod';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { fileTaxReturn } from '../../pipeline/adjustments/index.js';
import { renderVatReport, vatPeriod, vatReport, vatReportCsv, type VatReport } from '../../reads/index.js';
import { taxBookOf } from '../../rules/index.js';
import { booksDays } from '../../app/books-days.js';
import type { Command, CommandContext } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, mappingsFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';
import { operatingSystemUser } from '../../app/operating-system-user.js';
import { vatReturnOptions } from '../../app/console-vat.js';

const FORMATS = ['text', 'csv'] as const;

const flags = z.object({
  period: flag.requiredText('PERIOD', 'the quarter (2026-Q1) or month (2026-03) of the return', 'which return'),
  format: flag.choice(FORMATS, 'text|csv', 'the boxes as text (the default) or as CSV: box, what it is, amount'),
});

export const vatCommand: Command = withFlags({
  usage: 'ledgerline vat --period YYYY-Qn|YYYY-MM [--json|--format csv] / vat file --period YYYY-Qn|YYYY-MM [--json]',
  arguments: 'file',
  flags,
  examples: [
    "ledgerline vat --period 2026-Q1          # the UK return's nine boxes from the ledger's tax lines",
    'ledgerline vat --period 2026-Q1          # destinations.xero.region AU: the BAS; NZ: the GST101A',
    'ledgerline vat --period 2026-03 --json',
    'ledgerline vat --period 2026-Q1 --format csv > 2026-Q1-vat.csv',
    'ledgerline vat file --period 2026-Q1     # marks it filed: its boxes kept, nothing more booked on or before 2026-03-31',
  ],
  async run(context) {
    const [verb, ...rest] = context.positionals;
    if ((verb !== undefined && verb !== 'file') || rest.length > 0)
      throw new UsageError(`vat takes "file" or only flags, not "${context.positionals.join(' ')}"`);
    const { period } = context.flags;
    const dates = vatPeriod(period);
    if (dates === undefined) throw new UsageError(`--period ${period}: give a quarter (2026-Q1) or a month (2026-03)`);
    const config = loadConfigFor(context, { onlyReads: verb === undefined });
    const book = taxBookOf(mappingsFor(context, config).chart.events);
    const options = vatReturnOptions(config, period, dates);
    if (verb === 'file') {
      if (context.flags.format === 'csv') throw new UsageError('vat file prints the filed return as text or --json');
      const { today } = await booksDays(config, context);
      const request = { ...options, today, user: operatingSystemUser(), now: context.now() };
      const filed = await withBooksFor(
        config,
        { mustExist: true, witnessAs: 'vat file', refuseUnwitnessed: true },
        (books) => fileTaxReturn({ reads: books.ledgerReads, filings: books.filingBooks }, book, request),
      );
      return printed(context, filed);
    }
    const report = await withBooksFor(config, { readOnly: true }, (books) =>
      vatReport({ reads: books.ledgerReads, filings: books.filingBooks }, book, options),
    );
    return printed(context, report);
  },
});

/** The report on stdout in the format asked (CSV: the boxes alone, a filing's lines on stderr); exit 1 when the books no longer give a filed return's boxes. */
function printed(context: CommandContext<z.output<typeof flags>>, report: VatReport): ExitCode {
  if (context.json) writeJson(context, report);
  else if (context.flags.format === 'csv') {
    context.stdout.write(vatReportCsv(report));
    context.stderr.write(renderVatReport(report, 'filing'));
  } else context.stdout.write(renderVatReport(report));
  return report.filed?.same === false ? EXIT.attention : EXIT.ok;
}
