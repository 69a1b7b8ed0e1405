import { loadMappings, type Config } from '../config/index.js';
import type { BooksDays } from './calendar.js';
import type { Books } from '../pipeline/books/index.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import { sourceSeries, type FinanceReportOptions } from '../pipeline/reports/index.js';
import { followsMoneyInTransit, moneyInTransit, transitTerms } from '../pipeline/transit/index.js';

/**
 * What `report` and `serve` read from the configuration to build the one report read model, for a window, dated
 * by the books' days (the sandbox's on a sandbox ledger). Money in transit is read from the ledger alone (the
 * destinations' reconciled flags are `transit`'s and `reconcile`'s to ask): a page never waits on a vendor.
 */
export function financeReportOptions(config: Config, window: { from: string | undefined; to: string | undefined }, days: BooksDays, books: Pick<Books, 'transitBooks'>, now: Date): FinanceReportOptions {
  const terms = transitTerms(config.sources);
  return {
    ...(followsMoneyInTransit(config) ? { moneyInTransit: async (asOf: string) => (await moneyInTransit(books.transitBooks, { asOf, terms, record: false, now })).report } : {}),
    from: window.from,
    to: window.to,
    emptyLedgerDay: days.yesterday,
    today: days.today,
    chart: loadMappings({ chartPath: config.mappings, destinations: [] }).chart,
    ...sourceSeries(config.sources, sourceKinds.reportFacts),
    destinations: Object.entries(config.destinations).flatMap(([name, destination]) => (destination === undefined ? [] : [name])),
  };
}
