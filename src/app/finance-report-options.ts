import { bankLedgerAccounts, type Config } from '../config/index.js';
import type { Books } from './index.js';
import { destinationKinds, sourceKinds } from '../pipeline/kinds/index.js';
import { sourceSeries, type FinanceReportOptions } from '../reads/index.js';
import { bankBalancesOff, moneyInTransit, transitBooks, transitTerms } from '../pipeline/transit/index.js';
import { followsMoneyInTransitIn } from './follows-money-in-transit.js';

/**
 * What `report` and `serve` read from the configuration to build the one report read model, for a window, dated
 * by the books' days (the sandbox's on a sandbox ledger). Money in transit is judged with the destinations'
 * reconciled documents when given (`report` asks them once, as `transit` does); the console, which must not wait
 * on a vendor at each page, gives none. The chart is the caller's: the console reads it once at start (parsing it
 * took 6.5 ms of each page, before the first byte), `report` through the checked cache as `balances` does.
 */
export function financeReportOptions(
  config: Config,
  window: { from: string | undefined; to: string | undefined },
  days: { today: string; yesterday: string },
  transit: {
    books: Pick<Books, 'of' | 'findings'>;
    now: Date;
    documents?: ReadonlyMap<string, { documentId: string; reconciled: boolean }>;
  },
  chart: FinanceReportOptions['chart'],
): FinanceReportOptions {
  const terms = transitTerms(config);
  const books = transit.books.of(transitBooks, transit.books.findings);
  const ledgerAccounts = new Map(
    bankLedgerAccounts(config.sources).map(({ sourceId, account }) => [sourceId, account]),
  );
  return {
    ...(followsMoneyInTransitIn(config)
      ? {
          moneyInTransit: async (asOf: string) =>
            (
              await moneyInTransit(books, {
                asOf,
                terms,
                record: false,
                now: transit.now,
                ...(transit.documents === undefined ? {} : { documents: transit.documents }),
              })
            ).report,
        }
      : {}),
    ...(ledgerAccounts.size === 0 ? {} : { bankBalancesOff: () => bankBalancesOff(books, ledgerAccounts, window.to) }),
    from: window.from,
    to: window.to,
    emptyLedgerDay: days.yesterday,
    today: days.today,
    chart,
    ...sourceSeries(config.sources, sourceKinds.reportFacts),
    findingWords: sourceKinds.findingWords(),
    destinations: destinationKinds
      .delivering(config)
      .filter((name) => (config.destinations as Record<string, unknown>)[name] !== undefined),
  };
}
