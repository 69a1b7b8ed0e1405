import type { AlertItem } from '../../alerts/alert.js';
import type { Config } from '../../config/index.js';
import { LedgerlineError } from '../../errors.js';
import type { ClosedPeriod } from '../../ledger/index.js';
import { certifiedTieOut, ledgerReads, type LedgerReads } from '../../reads/index.js';
import { certificateFolder, closedPeriodChanges, sealBooks } from '../operations/index.js';
import { sideTableDrift } from './side-table-witnesses.js';

/** What the re-verification reads: the closes and the chain, the side tables' seals and the run records, the journals. */
type ClosedPeriodRecheckBooks = Parameters<typeof sideTableDrift>[1];

/** A client of a destination with an API, as the tie-out reads it. */
type DestinationReader = Parameters<typeof certifiedTieOut>[0];

/** The configured destinations with an API the periods are held against, and how one is opened. */
interface RecheckedDestinations {
  names: readonly string[];
  open(name: string): Promise<DestinationReader>;
  redact(text: string): string;
}

/**
 * What the scheduled night re-verifies of the closed periods, as `reconcile` and `reconcile --with` do: the chain
 * through each period's end against its certified head, and each configured destination with an API against the
 * journals its certificates name (read back by id and listed by date, not the whole tie-out); the closes' own
 * records and certificate files too. Nothing is read from a destination while no period is closed: `destinations`
 * is called only then.
 */
export async function closedPeriodRecheck(
  books: ClosedPeriodRecheckBooks,
  config: Config,
  destinations: () => RecheckedDestinations,
): Promise<AlertItem[]> {
  const drift: AlertItem[] = (await closedPeriodChanges(books.of(sealBooks), certificateFolder(config))).map(
    (change) => ({
      subject: 'ledger',
      kind: change.kind,
      message: change.message,
      nextStep: `run \`ledgerline verify\` and \`ledgerline reconcile\`, and compare the entry ${change.ref} with a backup from before the close`,
    }),
  );
  const closed = await books.of(sealBooks).closedPeriods();
  drift.push(...(await sideTableDrift(config, books, closed)));
  if (closed.length === 0) return drift;
  const at = destinations();
  for (const name of at.names)
    drift.push(...(await destinationDrift(at, name, { closed, reads: books.of(ledgerReads), config })));
  return drift;
}

/**
 * One destination's side of the closed periods. A destination that cannot be read (not connected, unreachable)
 * is one item of its own, alerted once like the rest, rather than a failed night every night until it is fixed.
 */
async function destinationDrift(
  at: RecheckedDestinations,
  name: string,
  ledger: { closed: readonly ClosedPeriod[]; reads: Pick<LedgerReads, 'journal' | 'postedDeliveries'>; config: Config },
): Promise<AlertItem[]> {
  try {
    const client = await at.open(name);
    try {
      const items = await certifiedTieOut(
        client,
        { closed: ledger.closed, folder: certificateFolder(ledger.config) },
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
    const message = at.redact(`the closed periods could not be re-verified at ${name}: ${error.message}`);
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
