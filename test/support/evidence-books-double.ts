import { toStoredJson } from '../../src/rules/index.js';
import type { EvidenceBooks } from '../../src/pipeline/operations/books/evidence-books.js';
import type { SyncBooksDouble } from './sync-books-double.js';

/**
 * Evidence's port (EvidenceBooks) over in-memory books (sync-books-double.ts and its journal), for the unit tier
 * (issue 53 item 5): an entry, its lines in order, its events by id, the replies its source landed for its dates up
 * to the last one its run landed, and the source's latest close of each metric on its date.
 * test/store/evidence-books-contract.test.ts holds it to both engines.
 */
export function evidenceBooksInMemory(books: SyncBooksDouble): EvidenceBooks {
  return {
    evidenceOf: async (entryId) => {
      const entry = books.journal.entries().find((kept) => kept.id === entryId);
      if (entry === undefined) return undefined;
      const events = books
        .events()
        .filter((event) => entry.eventIds.includes(event.id))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const days = new Set([entry.date, ...events.map((event) => event.date)]);
      const ofRun = books.replies().filter((reply) => entry.runId !== null && reply.runId === entry.runId);
      const last = ofRun.at(-1)?.id;
      const closes = new Map<string, ReturnType<SyncBooksDouble['closes']>[number]>();
      for (const close of books.closes())
        if (close.sourceId === entry.sourceId && close.date === entry.date) closes.set(close.metric, close);
      return {
        entry: {
          id: entry.id,
          date: entry.date,
          sourceId: entry.sourceId,
          description: entry.description,
          eventIds: JSON.parse(entry.eventIdsJson) as string[],
          contentHash: entry.contentHash,
          chainHash: entry.chainHash,
          lines: entry.lines.map(({ account, currency, amountMicros, description }) => ({
            account,
            currency,
            amountMicros,
            description,
          })),
        },
        events: events.map(({ id, kind, date, currency, amountMicros, ref, detail }) => ({
          id,
          kind,
          date,
          currency,
          amountMicros,
          ref,
          detail: toStoredJson(detail),
        })),
        replies: books
          .replies()
          .filter((reply) => reply.sourceId === entry.sourceId && days.has(reply.asOf))
          .filter((reply) => last === undefined || reply.id <= last)
          .map((reply) => ({
            id: String(reply.id),
            action: reply.action,
            request: JSON.stringify(reply.request),
            asOf: reply.asOf,
            fetchedAt: reply.fetchedAt,
            httpStatus: reply.httpStatus,
            contentHash: reply.contentHash,
            body: reply.body,
          })),
        closes: [...closes.values()]
          .sort((a, b) => (a.metric < b.metric ? -1 : 1))
          .map((close) => ({
            metric: close.metric,
            valueMicros: close.valueMicros,
            currency: close.currency,
            replyId: close.rawObservationId === undefined ? null : String(close.rawObservationId),
          })),
      };
    },
  };
}
