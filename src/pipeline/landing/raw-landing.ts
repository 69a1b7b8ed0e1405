import { createHash } from 'node:crypto';
import type { LedgerStore } from '../../ledger/index.js';
import { landRawReply } from '../../store/index.js';
import type { RawObservationId } from '../../errors.js';
import type { OnRawReply, RawReply } from '../../http/raw-reply.js';

/**
 * Lands every reply as received, before anything reads it (DESIGN §1). Each
 * row commits on its own, outside the source's booking transaction: a reply
 * that was fetched is never lost, even when the run dies right after. A dry
 * run lands nothing.
 */
export function rawLanding(store: LedgerStore, options: { asOf: string; runId: string; dryRun: boolean }): OnRawReply {
  return async (reply: RawReply): Promise<RawObservationId | undefined> => {
    if (options.dryRun) return undefined;
    return landRawReply(store, {
      sourceId: reply.sourceId,
      action: reply.action,
      request: JSON.stringify(reply.request),
      asOf: options.asOf,
      fetchedAt: reply.fetchedAt,
      httpStatus: reply.httpStatus,
      body: reply.bodyText,
      contentHash: createHash('sha256').update(reply.bodyText).digest('hex'),
      runId: options.runId,
    });
  };
}
