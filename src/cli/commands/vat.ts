import { z } from 'zod';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { fileTaxReturn, filingBooks } from '../../pipeline/adjustments/index.js';
import {
  MTD_PERIOD_KEY,
  ledgerReads,
  mtdReturnBody,
  renderVatReport,
  vatPeriod,
  vatReport,
  vatReportCsv,
  whoPaysWhom,
  type VatReport,
} from '../../reads/index.js';
import { booksDays } from '../../app/books-days.js';
import type { Command, CommandContext } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, mappingsFor, withBooksFor } from '../../app/configured-books.js';
import { atMost } from '../../app/ledger-mode.js';
import { writeJson } from '../write-json.js';
import { operatingSystemUser } from '../../app/operating-system-user.js';
import { vatReturnOptions } from '../../app/console-vat.js';

const FORMATS = ['text', 'csv', 'mtd'] as const;

const flags = z.object({
  period: flag.requiredText('PERIOD', 'the quarter (2026-Q1) or month (2026-03) of the return', 'which return'),
  format: flag.choice(
    FORMATS,
    'text|csv|mtd',
    "the boxes as text (the default), as CSV (box, what it is, amount) or as the body of HMRC's MTD VAT API (UK)",
  ),
  'period-key': flag.text('KEY', "with --format mtd: HMRC's periodKey of the return (26A1), from HMRC's obligations"),
});

export const vatCommand: Command = withFlags({
  usage:
    'ledgerline vat --period YYYY-Qn|YYYY-MM [--json|--format csv|--format mtd --period-key KEY] / ' +
    'vat file --period YYYY-Qn|YYYY-MM [--json]',
  arguments: 'file',
  flags,
  examples: [
    "ledgerline vat --period 2026-Q1          # the UK return's nine boxes from the ledger's tax lines",
    'ledgerline vat --period 2026-Q1          # destinations.xero.region AU: the BAS; NZ: the GST101A',
    'ledgerline vat --period 2026-03 --json',
    'ledgerline vat --period 2026-Q1 --format csv > 2026-Q1-vat.csv',
    "ledgerline vat --period 2026-Q1 --format mtd --period-key 26A1 > 26A1.json   # the body HMRC's MTD API takes",
    'ledgerline vat file --period 2026-Q1     # marks it filed: its boxes kept, nothing more booked on or before 2026-03-31',
  ],
  async run(context) {
    const [verb, ...rest] = context.positionals;
    if ((verb !== undefined && verb !== 'file') || rest.length > 0)
      throw new UsageError(`vat takes "file" or only flags, not "${context.positionals.join(' ')}"`);
    const { period } = context.flags;
    const dates = vatPeriod(period);
    if (dates === undefined) throw new UsageError(`--period ${period}: give a quarter (2026-Q1) or a month (2026-03)`);
    const periodKey = mtdPeriodKey(context.flags, verb);
    const config = loadConfigFor(context, { onlyReads: verb === undefined });
    const book = mappingsFor(context, config).chart.taxBook;
    const options = vatReturnOptions(config, period, dates);
    if (verb === 'file') {
      if (context.flags.format !== undefined && context.flags.format !== 'text')
        throw new UsageError('vat file prints the filed return as text or --json');
      const { today } = await booksDays(config, context);
      const request = { ...options, today, user: operatingSystemUser(), now: context.now() };
      const filed = await withBooksFor(
        config,
        context.ledger,
        (books) => fileTaxReturn({ reads: books.of(ledgerReads), filings: books.of(filingBooks) }, book, request),
        { refuseUnwitnessed: true },
      );
      return printed(context, filed);
    }
    const report = await withBooksFor(config, atMost(context.ledger, 'read-only'), (books) =>
      vatReport({ reads: books.of(ledgerReads), filings: books.of(filingBooks) }, book, options),
    );
    if (periodKey !== undefined) return printedForHmrc(context, report, periodKey);
    return printed(context, report);
  },
});

/**
 * HMRC's periodKey for `--format mtd`, which HMRC gives and ledgerline never makes up: refused when missing or not
 * four letters, digits or '#' ("26A1", "#001"), and given without `--format mtd`. Undefined for any other format.
 */
function mtdPeriodKey(given: z.output<typeof flags>, verb: string | undefined): string | undefined {
  const key = given['period-key'];
  if (given.format !== 'mtd') {
    if (key !== undefined) throw new UsageError('--period-key goes with --format mtd (the body of the MTD VAT API)');
    return undefined;
  }
  if (verb !== undefined) throw new UsageError('vat file prints the filed return as text or --json');
  if (key === undefined)
    throw new UsageError(
      "--format mtd needs --period-key KEY: HMRC's periodKey of the return (26A1), from its obligations for the VAT " +
        'number; ledgerline does not make it up',
    );
  if (!MTD_PERIOD_KEY.test(key))
    throw new UsageError(`--period-key ${JSON.stringify(key)}: HMRC's periodKey is four letters, digits or '#' (26A1)`);
  return key;
}

/**
 * The return as the body of HMRC's MTD VAT API on stdout, who pays whom on stderr; refused (nothing printed) for a
 * return that is not the UK's, not in pounds, or missing entries no rate converts.
 */
function printedForHmrc(
  context: CommandContext<z.output<typeof flags>>,
  report: VatReport,
  periodKey: string,
): ExitCode {
  if ('region' in report)
    throw new UsageError(
      `--format mtd is the UK's VAT return; the organisation's region ${report.region} files the ${report.form}`,
    );
  if (report.currency !== 'GBP')
    throw new UsageError(
      `--format mtd is in pounds; the ledger's currency is ${report.currency} (currency: in the configuration)`,
    );
  if (report.otherCurrencies.length > 0)
    throw new UsageError(
      `--format mtd: entries in ${report.otherCurrencies.join(', ')} are not in the boxes (no rate in destinations.rates); ` +
        'give their rates first',
    );
  context.stdout.write(mtdReturnBody(report, periodKey));
  context.stderr.write(
    `${whoPaysWhom(report)} for ${report.period} (periodKey ${periodKey}); boxes 6 to 9 in whole pounds\n`,
  );
  context.stderr.write(renderVatReport(report, 'filing'));
  return report.filed?.same === false ? EXIT.attention : EXIT.ok;
}

/** The report on stdout in the format asked (CSV: the boxes alone, a filing's lines on stderr); exit 1 when the books no longer give a filed return's boxes. */
function printed(context: CommandContext<z.output<typeof flags>>, report: VatReport): ExitCode {
  if (context.json) writeJson(context, report);
  else if (context.flags.format === 'csv') {
    context.stdout.write(vatReportCsv(report));
    context.stderr.write(renderVatReport(report, 'filing'));
  } else context.stdout.write(renderVatReport(report));
  return report.filed?.same === false ? EXIT.attention : EXIT.ok;
}
