import type { Config } from '../config/index.js';
import type { Books } from '../pipeline/books/index.js';
import { moneyInTransit, transitTerms, type TransitReportItem } from '../pipeline/transit/index.js';
import type { CommandProcess } from './command.js';
import { destinationDocuments, followsMoneyInTransitIn } from './transit-documents.js';

/**
 * What the scheduled night reads of the money in transit: the items late as of its day, judged as `transit`
 * judges them (the destinations' reconciled documents included); nothing when nothing follows them to the bank.
 */
export function lateMoneyInTransit(context: CommandProcess, config: Config, books: Books): { lateMoneyInTransit?: (asOf: string) => Promise<TransitReportItem[]> } {
  if (!followsMoneyInTransitIn(config)) return {};
  const terms = transitTerms(config.sources);
  return {
    lateMoneyInTransit: async (asOf) => {
      const documents = await destinationDocuments(context, config, books);
      const { report } = await moneyInTransit(books.transitBooks, { asOf, terms, record: false, now: context.now(), documents });
      return report.items.filter((item) => item.state === 'late');
    },
  };
}
