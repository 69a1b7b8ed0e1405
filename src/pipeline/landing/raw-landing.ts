import { createHash } from 'node:crypto';
import type { RawObservationId } from '../../errors.js';
import type { OnRawReply, RawReply } from '../../http/index.js';
import type { LandingBooksTx } from './books/landing-books.js';

/**
 * Lands every reply as received, before anything reads it (DESIGN §1). Each
 * row commits in a unit of its own, outside the source's booking transaction:
 * a reply that was fetched is never lost, even when the run dies right after.
 * A dry run lands nothing.
 */
export function rawLanding(
  books: { unit<T>(work: (tx: Pick<LandingBooksTx, 'landRawReply'>) => Promise<T>): Promise<T> },
  options: { asOf: string; runId: string; dryRun: boolean },
): OnRawReply {
  return async (reply: RawReply): Promise<RawObservationId | undefined> => {
    if (options.dryRun) return undefined;
    const landed = {
      sourceId: reply.sourceId,
      action: reply.action,
      request: reply.request,
      asOf: options.asOf,
      fetchedAt: reply.fetchedAt,
      httpStatus: reply.httpStatus,
      body: reply.bodyText,
      contentHash: createHash('sha256').update(reply.bodyText).digest('hex'),
      runId: options.runId,
    };
    return books.unit((tx) => tx.landRawReply(landed));
  };
}
