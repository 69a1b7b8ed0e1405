import type { Config } from '../config/index.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import { evidenceBooks, evidenceMappings } from '../pipeline/operations/index.js';
import {
  bankDocumentOutbox,
  evidenceAttachmentOutbox,
  type openDestination,
  type postInRun,
  type TransitDocumentBooks,
} from '../pipeline/post/index.js';
import { transitBooks } from '../pipeline/transit/index.js';
import { deliveriesRemovedByRestore } from '../pipeline/witness/index.js';
import type { Books } from './books.js';
import type { postDestinationNamed } from './destination-choices.js';

/**
 * The bank-side documents and the evidence files a post also sends, each with the books it records them in, where the
 * destination takes them; and the journals a restore listed as removed there (the witness), confirmed when found again.
 */
export function sidePartsOf(
  books: Books,
  config: Config,
  destination: ReturnType<typeof postDestinationNamed>,
  kind: string,
  opened: Pick<Awaited<ReturnType<typeof openDestination>>, 'bankDocuments' | 'evidenceAttachments'>,
): Pick<Parameters<typeof postInRun>[1], 'bankDocuments' | 'evidence' | 'removedByRestore'> {
  const { bankDocuments, evidenceAttachments } = opened;
  return {
    removedByRestore: deliveriesRemovedByRestore(config.witness, kind),
    bankDocuments: bankDocuments && {
      at: bankDocuments,
      books: transitDocumentBooks(books, config, kind),
      landsBankStatements: sourceKinds.landBankStatements(config.sources),
    },
    evidence:
      destination.attachesEvidence?.(config) === true
        ? {
            books: books.of(evidenceBooks),
            mappings: evidenceMappings(config.mappings),
            attachments: evidenceAttachments && {
              client: evidenceAttachments,
              outbox: books.of(evidenceAttachmentOutbox, kind),
            },
          }
        : undefined,
  };
}

/**
 * What creating one destination's bank-side documents reads and writes: the transit's items (the payouts and top-ups
 * the registered kinds book by the chart file's rules) and legs, and the post's outbox.
 */
export function transitDocumentBooks(
  books: Books,
  config: Pick<Config, 'chartEvents'>,
  destination: string,
): TransitDocumentBooks {
  const inTransit = new Map(Object.entries(config.chartEvents.inTransit));
  const transit = books.of(transitBooks, books.findings);
  return {
    transitItems: () => transit.transitItems(inTransit),
    bankLegs: () => transit.bankLegMoves(),
    bankSideEntries: (accounts) => transit.bankSideEntries(accounts),
    outbox: books.of(bankDocumentOutbox, destination),
  };
}
