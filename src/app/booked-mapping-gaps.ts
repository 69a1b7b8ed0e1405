import { mappingGaps, type Config, type MappingGap } from '../config/index.js';
import type { SyncOutcome } from '../pipeline/runs/index.js';
import { destinationKinds } from '../pipeline/kinds/index.js';
import { apiDestinationNames, mappingsOf } from './destination-choices.js';

/**
 * The accounts a sync or replay booked that a configured destination's mapping file does not name: caught by
 * the run that made them (issue 40, item 6), not by the next post's refusal. The books stay as booked.
 */
export function bookedMappingGaps(
  config: Config,
  outcome: { summary: { sources: readonly Pick<SyncOutcome['summary']['sources'][number], 'booked'>[] } },
): MappingGap[] {
  const configured = apiDestinationNames().filter((name) => Object.hasOwn(config.destinations, name));
  const booked = outcome.summary.sources.flatMap((source) => source.booked.map((row) => row.account));
  return mappingGaps(config.mappings, mappingsOf(configured), booked);
}

/**
 * The bank account a statement's bank legs booked to, when a configured destination that receives them (one not
 * creating its own bank-side documents) does not map it: its next post would stop on it. Example: Xero without
 * transit.createBankDocuments, xero.yaml without `bank` → one gap; with createBankDocuments → none.
 */
export function bankLegMappingGaps(config: Config, bankAccount: string): MappingGap[] {
  const settledThere = new Set(destinationKinds.creatingBankDocuments(config));
  const receiving = apiDestinationNames().filter(
    (name) => Object.hasOwn(config.destinations, name) && !settledThere.has(name),
  );
  return mappingGaps(config.mappings, mappingsOf(receiving), [bankAccount]);
}
