import type { Config } from '../config/index.js';
import type { Books } from './books.js';
import {
  bankLegTerms,
  nightTransit,
  transitBooks,
  transitTerms,
  type TransitReportItem,
} from '../pipeline/transit/index.js';
import type { AppProcess } from './app-process.js';
import { followsMoneyInTransitIn } from './follows-money-in-transit.js';
import { destinationDocuments } from './destination-documents.js';

/**
 * What the scheduled night does with the money in transit: each item judged as of its day as `transit` judges
 * it (the destinations' reconciled documents included), each change of state recorded, each settled item's bank
 * leg booked, and the items late that no night alerted yet; nothing when nothing follows them to the bank.
 */
export function lateMoneyInTransit(
  context: AppProcess,
  config: Config,
  books: Books,
): { lateMoneyInTransit?: (asOf: string) => Promise<TransitReportItem[]> } {
  if (!followsMoneyInTransitIn(config)) return {};
  const terms = transitTerms(config);
  const bankLegs = bankLegTerms(config);
  return {
    lateMoneyInTransit: async (asOf) => {
      const documents = await destinationDocuments(context, config, books);
      return nightTransit(books.of(transitBooks, books.findings), {
        asOf,
        terms,
        now: context.now(),
        documents,
        bankLegs,
        said: (line) => context.logger.info(line),
      });
    },
  };
}
