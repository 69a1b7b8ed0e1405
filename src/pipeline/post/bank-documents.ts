import { OutcomeUnknownError, RequestRejectedError } from '../../errors.js';
import type { BankDocumentClient, BankDocumentRequest, BankDocumentState } from '../../destinations/index.js';
import type { BankDocumentOutbox } from './books/bank-document-outbox.js';

/** What one run did: per item, created now, found at the destination by reference, recorded before, or left open. */
export interface BankDocumentsReport {
  created: string[];
  found: string[];
  alreadyRecorded: string[];
  /** Calls with no answer still after the last look-up: the next run looks them up again. */
  open: string[];
  /** Refused by the destination (nothing created): the next run looks them up and tries again. */
  refused: { itemId: string; reason: string }[];
}

interface BankDocumentsOptions {
  /** The time each step is stamped with, ISO 8601; the system clock unless given. */
  now?: () => string;
}

/** Look-up rounds after unknown outcomes before the run leaves them to the next one (as the post does). */
const UNKNOWN_OUTCOME_ROUNDS = 3;

/**
 * Creates each request's bank-side document at the destination exactly once, through the outbox as journals go:
 *  1. items already holding a document id are left alone;
 *  2. every other item is looked up by its reference (one query for all): one found is recorded, whoever
 *     created it (a crash after the call, another copy of the ledger), and not created again;
 *  3. the rest: the intent is recorded, then the document created and its id recorded;
 *  4. an unknown outcome (a lost reply) is looked up again, and created again only when not found.
 * Example: a reply lost for po-7 → the look-up finds its transfer by Reference "po-7" → recorded 'found', one
 * transfer at the destination.
 */
export async function createBankDocuments(
  requests: readonly BankDocumentRequest[],
  outbox: BankDocumentOutbox,
  client: BankDocumentClient,
  options: BankDocumentsOptions = {},
): Promise<BankDocumentsReport> {
  const now = options.now ?? (() => new Date().toISOString());
  const report: BankDocumentsReport = { created: [], found: [], alreadyRecorded: [], open: [], refused: [] };
  const records = await outbox.records(requests.map((request) => request.itemId));
  let pending: BankDocumentRequest[] = [];
  for (const request of requests) {
    const record = records.get(request.itemId);
    if (record?.state === 'created') report.alreadyRecorded.push(request.itemId);
    else pending.push(request);
  }
  for (let round = 0; round <= UNKNOWN_OUTCOME_ROUNDS && pending.length > 0; round += 1) {
    const found = await client.findByReference(pending);
    const unknown: BankDocumentRequest[] = [];
    for (const request of pending) {
      const document = found.get(request.itemId);
      if (document) {
        const intended = records.has(request.itemId);
        await outbox.unit(async (tx) => {
          if (!intended) await tx.recordIntent(request, now());
          await tx.recordDocument(request, document.documentId, 'found', now());
        });
        report.found.push(request.itemId);
      } else if (round === UNKNOWN_OUTCOME_ROUNDS) report.open.push(request.itemId);
      else if (
        (await createOne(request, { outbox, client, report, now, intended: records.has(request.itemId) })) === 'unknown'
      )
        unknown.push(request);
      records.set(request.itemId, { state: 'intent' });
    }
    pending = unknown;
  }
  return report;
}

/** Step 3: the intent (unless an earlier run left one), the call, the id; 'unknown' when the reply was lost. */
async function createOne(
  request: BankDocumentRequest,
  run: {
    outbox: BankDocumentOutbox;
    client: BankDocumentClient;
    report: BankDocumentsReport;
    now: () => string;
    intended: boolean;
  },
): Promise<'created' | 'unknown' | 'refused'> {
  if (!run.intended) await run.outbox.unit((tx) => tx.recordIntent(request, run.now()));
  let documentId: string;
  try {
    documentId = await run.client.create(request);
  } catch (error) {
    if (error instanceof OutcomeUnknownError) return 'unknown';
    // A refusal of this one document (an account the destination will not transfer from): the others go on.
    if (!(error instanceof RequestRejectedError)) throw error;
    run.report.refused.push({ itemId: request.itemId, reason: error.message });
    return 'refused';
  }
  await run.outbox.unit((tx) => tx.recordDocument(request, documentId, 'created', run.now()));
  run.report.created.push(request.itemId);
  return 'created';
}

/**
 * The nightly read-back for the transit states: per item with a recorded document, its id and whether the
 * destination says it is reconciled (`matched`) or not yet (`at_destination`). A document the destination no
 * longer holds (deleted there) is absent, so its item falls back to the state before.
 */
export async function readBankDocuments(
  outbox: BankDocumentOutbox,
  client: BankDocumentClient,
): Promise<Map<string, BankDocumentState>> {
  const documents = await outbox.documents();
  const states = await client.read([...documents.values()]);
  const byItem = new Map<string, BankDocumentState>();
  for (const [itemId, documentId] of documents) {
    const state = states.get(documentId);
    if (state) byItem.set(itemId, state);
  }
  return byItem;
}
