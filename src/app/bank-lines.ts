import type { Config } from '../config/index.js';
import { bankLinesView, transitTerms } from '../pipeline/transit/index.js';
import type { Books } from './books.js';

/**
 * Every landed bank line and what took it, judged as of the books' day with the configuration's transit terms:
 * what `bank lines` lists and the console's bank-lines page shows (`unmatchedOnly`: only the lines no item took).
 */
export function bankLines(books: Books, config: Config, day: { today: string; now: Date }, unmatchedOnly: boolean) {
  return bankLinesView(books.transitBooks, {
    asOf: day.today,
    terms: transitTerms(config),
    now: day.now,
    unmatchedOnly,
  });
}
