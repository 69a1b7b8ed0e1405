import type { Config, Mappings } from '../config/index.js';
import type { Books } from './index.js';
import { destinationKinds } from '../pipeline/kinds/index.js';
import { filingBooks } from '../pipeline/adjustments/index.js';
import { loadExchangeRates } from '../pipeline/operations/index.js';
import { ledgerReads, taxPerCode, vatPeriod, vatReport } from '../reads/index.js';

/**
 * The console's VAT page from books opened for reading (issue 70): a period's return as `vat --period` makes it (the
 * chart's tax rules, `destinations.rates` for other currencies, the organisation's region) and its tax per code; the
 * books' quarter when none is asked (the books' day 2026-04-02 → 2026-Q2).
 */
export function vatPage(
  config: Config,
  books: Books,
  /** The chart, read when a return is asked for, and the books' day. */
  asked: { mappings: () => Mappings; today: () => Promise<string> },
) {
  return {
    async view(period: string) {
      const book = asked.mappings().chart.taxBook;
      const options = vatReturnOptions(config, period, vatPeriod(period)!);
      return {
        filed: await vatReport({ reads: books.of(ledgerReads), filings: books.of(filingBooks) }, book, options),
        perCode: await taxPerCode(books.of(ledgerReads), book, options),
      };
    },
    async defaultPeriod() {
      const today = await asked.today();
      return `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
    },
  };
}

/** The organisation's region (`UK`, `AU`…) as the first destination kind that names one reads it from the configuration. */
export function organisationRegion(config: Config): string | undefined {
  return destinationKinds
    .all()
    .map((kind) => kind.taxRegion?.(config))
    .find((named) => named !== undefined);
}

/**
 * What a return of `period` is made with besides the chart's tax rules (`vat`'s and the console's): its days, the
 * books' currency, the organisation's region (the first destination kind that names one) and `destinations.rates`.
 */
export function vatReturnOptions(config: Config, period: string, dates: { from: string; to: string }) {
  const region = organisationRegion(config);
  const rates = loadExchangeRates(config.destinations.rates);
  return { period, ...dates, currency: config.currency, region, rates };
}
