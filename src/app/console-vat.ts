import type { Config } from '../config/index.js';
import type { Books } from './index.js';
import { destinationKinds } from '../pipeline/kinds/index.js';
import { loadExchangeRates } from '../pipeline/operations/index.js';
import { taxPerCode, vatPeriod, vatReport } from '../reads/index.js';
import { taxBookOf } from '../rules/index.js';
import { booksDays } from '../cli/calendar.js';
import type { CommandProcess } from '../cli/command.js';
import { mappingsFor } from '../cli/load.js';

/**
 * The console's VAT page from books opened for reading (issue 70): a period's return as `vat --period` makes it (the
 * chart's tax rules, `destinations.rates` for other currencies, the organisation's region) and its tax per code; the
 * books' quarter when none is asked (the books' day 2026-04-02 → 2026-Q2).
 */
export function consoleVat(context: CommandProcess, config: Config, books: Books) {
  return {
    async view(period: string) {
      const book = taxBookOf(mappingsFor(context, config).chart.events);
      const region = destinationKinds
        .all()
        .map((kind) => kind.taxRegion?.(config))
        .find((named) => named !== undefined);
      const dates = vatPeriod(period)!;
      const options = {
        period,
        ...dates,
        currency: config.currency,
        rates: loadExchangeRates(config.destinations.rates),
      };
      return {
        filed: await vatReport({ reads: books.ledgerReads, filings: books.filingBooks }, book, { ...options, region }),
        perCode: await taxPerCode(books.ledgerReads, book, options),
      };
    },
    async defaultPeriod() {
      const { today } = await booksDays(config, context.now(), (line) => context.logger.warn(line));
      return `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
    },
  };
}
