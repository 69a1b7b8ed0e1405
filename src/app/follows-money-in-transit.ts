import type { Config } from '../config/index.js';
import { destinationKinds } from '../pipeline/kinds/index.js';
import { followsMoneyInTransit } from '../pipeline/transit/index.js';

/**
 * Whether this configuration follows its payouts and top-ups to the bank: a bank-statement source, or a destination
 * creating their documents. Apart from asking the destinations (transit-documents.ts), so that a command reading the
 * ledger can decide without loading the posting side.
 */
export function followsMoneyInTransitIn(config: Config): boolean {
  return followsMoneyInTransit(config.sources, destinationKinds.creatingBankDocuments(config));
}
