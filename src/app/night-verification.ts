import type { Config } from '../config/index.js';
import { ledgerReads } from '../reads/index.js';
import type { Books } from './books.js';
import type { AlertItem } from '../alerts/alert.js';
import type { runNightly } from '../pipeline/nightly/index.js';
import { closedPeriodRecheck } from '../pipeline/witness/index.js';
import { openApiClient } from './api-client.js';
import type { AppProcess } from './app-process.js';
import { apiDestinationNames } from './destination-choices.js';
import { sideTableBooks } from '../pipeline/operations/index.js';

/**
 * The scheduled night's re-verification of the closed periods (pipeline/witness, closedPeriodRecheck), held against
 * each configured destination with an API, read with the sections of those destinations (`withDestinations`: the
 * command's configuration read again for them).
 */
export function closedPeriodDrift(
  context: AppProcess,
  config: Config,
  books: Books,
  withDestinations: (names: string[]) => Config,
): { closedPeriodDrift: () => Promise<AlertItem[]> } {
  return {
    closedPeriodDrift: () =>
      closedPeriodRecheck(books, config, () => {
        const names = apiDestinationNames().filter((name) => name in config.destinations);
        const loaded = names.length === 0 ? config : withDestinations(names);
        return { names, open: (name) => openApiClient(context, loaded, name), redact: context.redact };
      }),
  };
}

/**
 * What the night reads of the ledger's chain: its head (kept in the night's record and alerts) and the hash at
 * each entry an earlier night recorded as its head.
 */
export function chainHeadReads(books: Books): NonNullable<Parameters<typeof runNightly>[0]['chainHead']> {
  return {
    head: () => books.of(ledgerReads).chainHead(),
    chainHashes: (entryIds) => books.of(ledgerReads).chainHashes(entryIds),
    sealHead: () => books.of(sideTableBooks).sealHead(),
  };
}
