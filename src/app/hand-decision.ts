import type { Config } from '../config/index.js';
import { bankLegTerms, decideByHand, transitBooks, transitTerms, type Decision } from '../pipeline/transit/index.js';
import type { Books } from './books.js';

/** What a person asked of an item: its line (`match`, with the line) or to let its line go (`unmatch`), and where they asked. */
export interface HandDecisionAsked {
  verb: 'match' | 'unmatch';
  itemId: string;
  line: string | undefined;
  typedIn: 'command' | 'form';
}

/**
 * The decision recorded as `user` on books opened for writing, judged as of the books' day with the configuration's
 * transit and bank-leg terms: one use case for `transit match`/`unmatch` and the console's bank-lines page.
 */
export function handDecision(
  books: Books,
  config: Config,
  day: { today: string; now: Date },
  asked: HandDecisionAsked,
  user: string,
): Promise<Decision> {
  const options = {
    asOf: day.today,
    terms: transitTerms(config),
    now: day.now,
    bankLegs: bankLegTerms(config),
    typedIn: asked.typedIn,
  };
  return decideByHand(books.of(transitBooks, books.findings), options, asked, user);
}
