import type { Config } from '../../config/index.js';
import { ledgerReads, tieOut, type ReconcileReport, type TieOutReport } from '../../reads/index.js';
import { certificateFolder, closedPeriodChanges, sealBooks } from '../operations/index.js';
import {
  followsMoneyInTransit,
  moneyInTransit,
  transitTerms,
  type TransitBooks,
  type TransitReport,
} from '../transit/index.js';
import { destinationKinds } from '../kinds/index.js';
import { listedReconcileItems, type ListingBooks } from './listed-reconcile-items.js';
import type { BooksOf } from '../../store/index.js';

/**
 * What `reconcile` lists as of `asOf`, dated by the books' `today`: its items (listedReconcileItems), and where the
 * configuration follows money in transit, the transit as of the same day, judged with what the destinations say
 * of their bank-side documents (`documents`, asked only then).
 */
export async function reconcileListing(
  books: ListingBooks & { transitBooks: TransitBooks },
  config: Config,
  request: { asOf: string; today: string; now: Date; documents: () => Promise<TransitDocuments> },
): Promise<{ report: ReconcileReport; transit: TransitReport | undefined }> {
  const report = await listedReconcileItems(books, config, { asOf: request.asOf, today: request.today });
  return { report, transit: await transitAsOf(books.transitBooks, config, request) };
}

/**
 * The money in transit as of `asOf`, judged and nothing recorded, where the configuration follows it (undefined
 * where it does not); with what the destinations say of their bank-side documents when `documents` is given.
 */
export async function transitAsOf(
  transitBooks: TransitBooks,
  config: Config,
  request: { asOf: string; now: Date; documents?: () => Promise<TransitDocuments> },
): Promise<TransitReport | undefined> {
  if (!followsMoneyInTransit(config.sources, destinationKinds.creatingBankDocuments(config))) return undefined;
  const { asOf, now } = request;
  const documents = await request.documents?.();
  return (await moneyInTransit(transitBooks, { asOf, terms: transitTerms(config), record: false, now, documents }))
    .report;
}

type TransitDocuments = NonNullable<Parameters<typeof moneyInTransit>[1]['documents']>;

/** `reconcile --with`: the destination's journals and balances against what the ledger posted there, and the closed periods changed since their close. */
export async function tieOutWithDestination(
  books: BooksOf,
  config: Config,
  request: { client: Parameters<typeof tieOut>[0]['client']; asOf: string },
): Promise<{ report: TieOutReport; changes: Awaited<ReturnType<typeof closedPeriodChanges>> }> {
  const folder = certificateFolder(config);
  const report = await tieOut({
    reads: books.of(ledgerReads),
    client: request.client,
    asOf: request.asOf,
    certificates: { closed: await books.of(sealBooks).closedPeriods(), folder },
  });
  return { report, changes: await closedPeriodChanges(books.of(sealBooks), folder) };
}
