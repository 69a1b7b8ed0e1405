import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { destinationKinds } from '../../pipeline/kinds/index.js';
import { loadExchangeRates } from '../../pipeline/operations/index.js';
import { renderTaxReturn, taxReturn, vatPeriod } from '../../reads/index.js';
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
    'ledgerline vat --period 2026-Q1          # destinations.xero.region AU: the BAS; NZ: the GST101A',
    'ledgerline vat --period 2026-03 --json',
  ],
  async run(context) {
    const { flags } = context;
    const dates = vatPeriod(flags.period);
    if (dates === undefined)
      throw new UsageError(`--period ${flags.period}: give a quarter (2026-Q1) or a month (2026-03)`);
    const config = loadConfigFor(context, { onlyReads: true });
    const book = taxBookOf(mappingsFor(context, config).chart.events);
    const rates = loadExchangeRates(config.destinations.rates);
    const options = { period: flags.period, ...dates, currency: config.currency, rates };
    const region = destinationKinds
      .all()
      .map((kind) => kind.taxRegion?.(config))
      .find((named) => named !== undefined);
    const filed = await withBooksFor(config, { readOnly: true }, (books) =>
      taxReturn(books.ledgerReads, book, { ...options, region }),
    );
    if (context.json) writeJson(context, filed);
    else context.stdout.write(renderTaxReturn(filed));
    return EXIT.ok;
  },
});
