import type { Config } from '../config/index.js';
import { LedgerlineError } from '../errors.js';
import type { ClosedPeriod } from '../ledger/index.js';
import type { Books } from '../app/index.js';
import type { AlertItem } from '../alerts/alert.js';
import { closedPeriodChanges, certificateFolder } from '../pipeline/operations/index.js';
import type { runNightly } from '../pipeline/nightly/index.js';
import { sideTableDrift } from '../pipeline/witness/index.js';
import { certifiedTieOut } from '../reads/index.js';
import { openApiClient } from './api-client.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor } from './load.js';
import { apiDestinationNames } from './destination-choices.js';

/**
 * What the scheduled night re-verifies of the closed periods, as `reconcile` and `reconcile --with` do: the chain
 * through each period's end against its certified head, and each configured destination with an API against the
 * journals its certificates name (read back by id and listed by date, not the whole tie-out); the closes' own
 * records and certificate files too. Nothing is read from a destination while no period is closed.
 */
export function closedPeriodDrift(
  context: CommandProcess,
  config: Config,
  books: Books,
): { closedPeriodDrift: () => Promise<AlertItem[]> } {
  return {
    closedPeriodDrift: async () => {
      const drift: AlertItem[] = (await closedPeriodChanges(books.sealBooks, certificateFolder(config))).map(
        (change) => ({
          subject: 'ledger',
          kind: change.kind,
          message: change.message,
          nextStep: `run \`ledgerline verify\` and \`ledgerline reconcile\`, and compare the entry ${change.ref} with a backup from before the close`,
        }),
      );
      const closed = await books.sealBooks.closedPeriods();
      drift.push(...(await sideTableDrift(config, books, closed)));
      if (closed.length === 0) return drift;
      const names = apiDestinationNames().filter((name) => name in config.destinations);
      const loaded = names.length === 0 ? config : loadConfigFor(context, { destinations: names });
      for (const name of names)
        drift.push(...(await destinationDrift(context, loaded, name, { closed, reads: books.ledgerReads })));
      return drift;
    },
  };
}

/**
 * One destination's side of the closed periods. A destination that cannot be read (not connected, unreachable)
 * is one item of its own, alerted once like the rest, rather than a failed night every night until it is fixed.
 */
async function destinationDrift(
  context: CommandProcess,
  config: Config,
  name: string,
  ledger: { closed: readonly ClosedPeriod[]; reads: Books['ledgerReads'] },
): Promise<AlertItem[]> {
  try {
    const client = await openApiClient(context, config, name);
    try {
      const items = await certifiedTieOut(
        client,
        { closed: ledger.closed, folder: certificateFolder(config) },
        ledger.reads,
      );
      return items.map((item) => ({
        subject: name,
        kind: item.kind,
        message: item.message,
        nextStep:
          `run \`ledgerline reconcile --with ${name}\`; have whoever changed the closed period at ${client.name} ` +
          `undo it, or book the correction in an open period (\`ledgerline adjust --corrects ${item.date} …\`)`,
      }));
    } finally {
      await client.close();
    }
  } catch (error) {
    if (!(error instanceof LedgerlineError)) throw error;
    const message = context.redact(`the closed periods could not be re-verified at ${name}: ${error.message}`);
    return [
      {
        subject: name,
        kind: error.name,
        message,
        nextStep: `run \`ledgerline doctor\`, then \`ledgerline reconcile --with ${name}\``,
      },
    ];
  }
}

/**
 * What the night reads of the ledger's chain: its head (kept in the night's record and alerts) and the hash at
 * each entry an earlier night recorded as its head.
 */
export function chainHeadReads(books: Books): NonNullable<Parameters<typeof runNightly>[0]['chainHead']> {
  return {
    head: () => books.ledgerReads.chainHead(),
    chainHashes: (entryIds) => books.ledgerReads.chainHashes(entryIds),
    sealHead: () => books.sideTableBooks.sealHead(),
  };
}
