import type { Config } from '../config/index.js';
import { LedgerlineError } from '../errors.js';
import { bankDocumentOutbox, readTransitDocuments } from '../pipeline/post/index.js';
import type { Books } from './books.js';
import type { AppProcess } from './app-process.js';
import { apiDestinationNames, postDestinationNamed } from './destination-choices.js';

/**
 * What each destination holding bank-side documents says of them now, by item id (`{ documentId, reconciled }`):
 * what makes `transit` show an item `matched` once a person matched its bank line in the vendor's screen. A
 * destination with no document recorded is not called; one that cannot answer is named on stderr, and its items
 * keep the state the ledger alone gives them (at_destination).
 */
export async function destinationDocuments(
  context: AppProcess,
  config: Config,
  books: Books,
): Promise<Map<string, { documentId: string; reconciled: boolean }>> {
  const documents = new Map<string, { documentId: string; reconciled: boolean }>();
  for (const name of apiDestinationNames()) {
    const outbox = books.of(bankDocumentOutbox, name);
    if ((await outbox.documents()).size === 0) continue;
    try {
      const deps = {
        clock: context.clock,
        redact: context.redact,
        onSecrets: context.addSecrets,
        log: (line: string) => context.logger.info(line),
      };
      for (const [itemId, state] of (await readTransitDocuments(postDestinationNamed(name), config, deps, outbox)) ??
        [])
        documents.set(itemId, state);
    } catch (error) {
      if (!(error instanceof LedgerlineError)) throw error;
      context.stderr.write(
        `${context.redact(`warning: ${name} could not say which bank-side documents are reconciled (${error.message}); their items stay at_destination`)}\n`,
      );
    }
  }
  return documents;
}
