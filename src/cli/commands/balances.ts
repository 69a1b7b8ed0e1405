import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { BALANCE_PERIODS, balancesReport, ledgerReads, renderBalances } from '../../reads/index.js';
import { dayOf, refuseReversedWindow, yesterdayIn } from '../../app/books-days.js';
import type { Command } from '../command.js';
import { flag, ruleAcrossFlags, withFlags } from '../flags.js';
import { loadConfigFor, mappingsFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';

export const balancesCommand: Command = withFlags({
  usage: 'ledgerline balances [--as-of DATE | --from DATE --to DATE] [--by day|month] [--source ID] [--json]',
  flags: z
    .object({
      'as-of': flag.date('DATE', 'the trial balance of every entry dated up to DATE (default: all of them)'),
      from: flag.date(
        'DATE',
        'the movement per account from DATE (a profit and loss for revenue and expense accounts)',
      ),
      to: flag.date('DATE', 'the last day of the movement (default: yesterday)'),
      by: flag.choice(BALANCE_PERIODS, 'day|month', 'split the figures per day or per month'),
      source: flag.text('ID', "only this source's entries"),
    })
    .superRefine(
      ruleAcrossFlags((flags) => {
        if (flags['as-of'] !== undefined && (flags.from !== undefined || flags.to !== undefined))
          return 'give either --as-of (a trial balance) or --from/--to (a movement), not both';
        if (flags.to !== undefined && flags.from === undefined)
          return '--to needs --from: a movement runs from one day to another (for a balance at a date use --as-of)';
        return undefined;
      }),
    ),
  examples: [
    'ledgerline balances                                      # the trial balance, in cents as posted',
    'ledgerline balances --as-of 2026-03-31                   # the trial balance at the month end',
    "ledgerline balances --from 2026-03-01 --to 2026-03-31    # March: profit and loss, and every account's movement",
    'ledgerline balances --from 2026-01-01 --by month --json  # per month, exact figures beside the cents',
  ],
  async run(context) {
    const { flags } = context;
    const config = loadConfigFor(context, { onlyReads: true });
    const yesterday = yesterdayIn(config.timezone, context.now());
    const asOf = dayOf(flags['as-of'], yesterday);
    const from = dayOf(flags.from, yesterday);
    const to = from === undefined ? undefined : (dayOf(flags.to, yesterday) ?? yesterday);
    refuseReversedWindow({ flag: '--from', date: from }, { flag: '--to', date: to });
    if (flags.source !== undefined && !config.sources.some((source) => source.id === flags.source)) {
      throw new UsageError(
        `--source ${flags.source}: no source has that id; the configured ones are ${config.sources.map((source) => source.id).join(', ')}`,
      );
    }
    const chart = mappingsFor(context, config).chart.accounts;
    const report = await withBooksFor(config, context.ledger, (books) =>
      balancesReport(books.of(ledgerReads), chart, { from, to: to ?? asOf, by: flags.by, sourceId: flags.source }),
    );
    if (context.json) writeJson(context, report);
    else context.stdout.write(renderBalances(report));
    return EXIT.ok;
  },
});
