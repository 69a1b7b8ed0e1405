import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Ledger } from '../../src/ledger/index.js';
import {
  evidenceAttachmentOutbox,
  type EvidenceAttachmentOutbox,
} from '../../src/pipeline/post/books/evidence-attachment-outbox.js';
import { postOutbox, type PostOutbox } from '../../src/pipeline/post/books/post-outbox.js';
import { openBooks, type Books } from './books.js';
import { evidenceAttachmentsInMemory } from './evidence-attachments-double.js';
import { LEDGER_ENGINES, useLedgerEngines } from './ledger-engines.js';
import { postBooksInMemory } from './post-outbox-double.js';
import { useTempDir } from './temp-dir.js';

/** The post's books as a contract test holds them: the journal and each destination's outboxes. */
export interface PostBooksSubject {
  ledger: Ledger;
  postOutbox(destination: string): PostOutbox;
  evidenceAttachments(destination: string): EvidenceAttachmentOutbox;
}

/**
 * The in-memory double and the store's adapter on each engine, for one spec over all of them (`describe.each`), so
 * the doubles the unit tier uses cannot drift from the store. Each subject opens fresh books; the file's ledgers are
 * closed after each test.
 */
export function postBooksSubjects(tempPrefix: string): { name: string; open: () => Promise<PostBooksSubject> }[] {
  const tempDir = useTempDir(tempPrefix);
  const { fresh } = useLedgerEngines();
  const opened: Books[] = [];
  afterEach(async () => {
    for (const books of opened.splice(0)) await books.close();
  });
  return [
    {
      name: 'the in-memory double',
      open: async () => {
        const books = postBooksInMemory();
        return { ...books, evidenceAttachments: evidenceAttachmentsInMemory(books) };
      },
    },
    ...LEDGER_ENGINES.map((engine) => ({
      name: engine,
      open: async (): Promise<PostBooksSubject> => {
        const books = await openBooks((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
        opened.push(books);
        return {
          ledger: books.ledger,
          postOutbox: (destination) => books.of(postOutbox, destination),
          evidenceAttachments: (destination) => books.of(evidenceAttachmentOutbox, destination),
        };
      },
    })),
  ];
}
