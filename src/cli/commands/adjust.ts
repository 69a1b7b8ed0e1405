import { z } from 'zod';
import { EXIT } from '../../errors.js';
import { UsageError } from '../../errors.js';
import { adjustmentBooks, approveAdjustment, type AdjustmentRequest } from '../../pipeline/adjustments/index.js';
import { cleanInput, printable } from '../../log/index.js';
import { bookAdjustingEntry, bookSettlingTheLine } from '../../app/adjusting-entries.js';
import { adjustingConfigFor, adjustingWiring, settlingWiring } from '../adjusting-wiring.js';
import { renderBooked } from '../../reads/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { writeJson } from '../write-json.js';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { operatingSystemUser } from '../../app/operating-system-user.js';

export const adjustCommand: Command = withFlags({
  usage:
    'ledgerline adjust --date DATE --debit ACCOUNT=AMOUNT --credit ACCOUNT=AMOUNT [--currency CODE] ' +
    '--reason TEXT [--explains ID] [--settles BANK-LINE] [--corrects DATE] [--tax CODE] [--id KEY]   |   ' +
    'ledgerline adjust approve ID',
  arguments: 'approve ID',
  flags: z.object({
    date: flag.calendarDate('DATE', 'the accounting date of the entry, YYYY-MM-DD'),
    debit: flag.repeatedText(
      'ACCOUNT=AMOUNT',
      'a debit line: the account key, its chart name or its name at a destination, and the amount (repeatable)',
    ),
    credit: flag.repeatedText('ACCOUNT=AMOUNT', 'a credit line, as --debit (repeatable)'),
    currency: flag.text('CODE', "the currency of the lines (default: the configuration's currency)"),
    reason: flag.text('TEXT', 'why the entry is made: kept with it, shown in the report and sent as its narration'),
    explains: flag.text(
      'ID',
      'the reconcile item the entry explains: it is acknowledged with the entry as its evidence',
    ),
    settles: flag.text(
      'BANK-LINE',
      'the landed bank line the entry explains (ACCOUNT:LINE-ID, as "bank lines" lists it): it leaves "bank lines --unmatched"',
    ),
    corrects: flag.calendarDate(
      'DATE',
      "a date in a closed period this entry corrects: the entry, dated in an open period, names it and the period's certificate",
    ),
    tax: flag.text(
      'CODE',
      "a code of the chart's tax: (INPUT2): the entry's revenue and expense lines are coded by it and split by its " +
        "rate, net and VAT apart, for the open period's return; without it, as the chart's rules code them",
    ),
    id: flag.text(
      'KEY',
      'a key of your own for the entry (a ticket number): run again with it after an unknown outcome, ' +
        'nothing more is booked; without it, the same lines, date and reason are booked once',
    ),
  }),
  examples: [
    'ledgerline adjust --date 2026-04-02 --debit smm_services_expense=28.71 --credit suspense=28.71 --reason "orders placed by hand on the panel"',
    ...sourceKinds
      .explainedByAdjusting()
      .map(
        (item) =>
          `ledgerline adjust --date 2026-04-02 --debit "SMM services=28.71" --credit suspense=28.71 --reason "…" --explains ${item}`,
      ),
    'ledgerline adjust --date 2026-04-03 --corrects 2026-03-12 --debit smm_services_expense=4.20 ' +
      '--credit suspense=4.20 --reason "refund learned after the March close"   # names 2026-03-12 ' +
      "and March's certificate",
    'ledgerline adjust --date 2026-04-01 --debit suspense=800.00 --credit bank=800.00 --reason "rent April" ' +
      '--settles operating:B-03   # the rent line no payout or top-up took',
    'ledgerline adjust --date 2026-05-01 --corrects 2026-03-20 --tax INPUT2 --debit smm_services_expense=12.00 ' +
      '--credit suspense=12.00 --reason "supplier invoice of 03-20, late"   # 10.00 and 2.00 of VAT, in the open return',
    'ledgerline adjust approve je:adjustment:2026-04-02:1   # a second person, before post sends it (adjustments.requireApproval: true)',
  ],
  async run(context) {
    const { flags } = context;
    const [verb, entryId, ...rest] = context.positionals;
    if (verb !== undefined) {
      if (verb !== 'approve')
        throw new UsageError(`adjust takes "approve ID" or the flags of a new entry, not "${printable(verb)}"`);
      if (entryId === undefined || rest.length > 0)
        throw new UsageError('adjust approve takes the id of one adjusting entry, as "adjust" printed it');
      const config = loadConfigFor(context);
      const approved = await withBooksFor(config, context.ledger, (books) =>
        approveAdjustment(
          { decide: (work) => books.decide((tx) => work({ adjustments: tx.of(adjustmentBooks) })) },
          entryId,
          {
            user: operatingSystemUser(),
            now: context.now(),
          },
        ),
      );
      if (context.json) writeJson(context, approved);
      else
        context.stdout.write(
          `approved: ${approved.entryId} (booked by ${approved.madeBy}), by ${approved.approval!.by} ` +
            `at ${approved.approval!.at}; the next "ledgerline post" sends it\n`,
        );
      return EXIT.ok;
    }
    if (flags.date === undefined)
      throw new UsageError('adjust needs --date YYYY-MM-DD: the accounting date of the entry');
    if (flags.reason === undefined)
      throw new UsageError('adjust needs --reason "…": why the entry is made, kept with it');
    const config = adjustingConfigFor(context);
    const request = {
      date: flags.date,
      currency: flags.currency ?? config.currency,
      reason: flags.reason,
      lines: [
        ...flags.debit.map((text) => ({ side: 'debit' as const, text })),
        ...flags.credit.map((text) => ({ side: 'credit' as const, text })),
      ],
      explains: flags.explains,
      corrects: flags.corrects,
      taxCode: flags.tax,
      id: flags.id,
      user: operatingSystemUser(),
      now: context.now(),
    };
    const book = (settling?: AdjustmentRequest['settles']) =>
      bookAdjustingEntry(adjustingWiring(context, config), { ...request, settles: settling });
    const settles = flags.settles === undefined ? undefined : cleanInput('--settles', flags.settles);
    const { booked, settled } =
      settles === undefined
        ? { booked: await book(), settled: undefined }
        : await bookSettlingTheLine(await settlingWiring(context, config), settles, book);
    if (context.json) writeJson(context, settled === undefined ? booked : { ...booked, settles: settled });
    else
      context.stdout.write(
        `${renderBooked(
          booked,
          Object.keys(loadConfigFor(context).destinations).some((key) => key !== 'rates'),
        )}${settled === undefined ? '' : `settles bank line ${settled}: it leaves "bank lines --unmatched"\n`}`,
      );
    return EXIT.ok;
  },
});
