import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { renderVatReturn, vatPeriod, vatReturn } from '../../reads/index.js';
import { taxBookOf } from '../../rules/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, mappingsFor, withBooksFor, writeJson } from '../load.js';

export const vatCommand: Command = withFlags({
  usage: 'ledgerline vat --period YYYY-Qn|YYYY-MM [--json]',
  flags: z.object({
    period: flag.requiredText('PERIOD', 'the quarter (2026-Q1) or month (2026-03) of the return', 'which return'),
  }),
  examples: [
    "ledgerline vat --period 2026-Q1          # the UK return's nine boxes from the ledger's tax lines",
    'ledgerline vat --period 2026-03 --json',
  ],
  async run(context) {
    const { flags } = context;
    const dates = vatPeriod(flags.period);
    if (dates === undefined)
      throw new UsageError(`--period ${flags.period}: give a quarter (2026-Q1) or a month (2026-03)`);
    const config = loadConfigFor(context, { onlyReads: true });
    const book = taxBookOf(mappingsFor(context, config).chart.events);
    const vat = await withBooksFor(config, { readOnly: true }, (books) =>
      vatReturn(books.ledgerReads, book, { period: flags.period, ...dates, currency: config.currency }),
    );
    if (context.json) writeJson(context, vat);
    else context.stdout.write(renderVatReturn(vat));
    return EXIT.ok;
  },
});
