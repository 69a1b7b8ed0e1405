import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvidenceMapping } from '../../../src/ledger/index.js';
import { entryEvidence } from '../../../src/pipeline/operations/index.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { clientHarness, entryId, quickbooksClientFor, spendEntry, START_MS, xeroClientFor } from '../post-fixtures.js';
import { postOver } from './post-over-books.js';
import { evidenceBooksInMemory } from '../../support/evidence-books-double.js';
import { postBooksInMemory } from '../../support/post-outbox-double.js';
import { syncBooksInMemory } from '../../support/sync-books-double.js';

/** In-memory books (test/support/*-double.ts): the outboxes and evidence over one journal. */
function booksInMemory() {
  const syncBooks = syncBooksInMemory();
  return { ...postBooksInMemory(syncBooks.journal), evidenceBooks: evidenceBooksInMemory(syncBooks) };
}

const REFRESH = 'qbo-evidence-refresh-token';
const MAPPINGS: EvidenceMapping[] = [{ name: 'chart', file: 'default.yaml', sha256: '0'.repeat(64), accounts: {} }];
let dir: string;
let books: ReturnType<typeof booksInMemory>;
let xero: RunningXeroFake;
let quickbooks: RunningQuickBooksFake;
const hashes = new Map<string, string>();
let chainHashes: Map<string, string>;

/** Three entries; entries 1 and 2 go to a destination that attaches evidence, entry 3 (on its own day) to one that does not. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledgerline-evidence-post-'));
  books = booksInMemory();
  const entries = [spendEntry(1, '2024-02-14'), spendEntry(2, '2024-02-14'), spendEntry(3, '2024-02-15')];
  await books.ledger.appendEntries(entries, { now: new Date(START_MS) });
  const ledger = books.ledger;
  for (const index of [1, 2, 3])
    hashes.set(
      entryId(index),
      (await entryEvidence({ books: books.evidenceBooks, ledger, mappings: MAPPINGS }, entryId(index))).manifestSha256,
    );
  chainHashes = await books.postOutbox('xero').chainHashes([1, 2, 3].map(entryId));
  const harness = clientHarness(dir);
  xero = await startXeroFake({ now: () => harness.clock.now() });
  quickbooks = await startQuickBooksFake({ refreshToken: REFRESH, now: () => harness.clock.now() });
  const evidence = { books: books.evidenceBooks, mappings: MAPPINGS };
  const attached = { from: '2024-02-14', until: '2024-02-14' };
  await postOver(books, { client: xeroClientFor(xero, harness), clock: harness.clock, window: attached, evidence });
  await postOver(books, { client: xeroClientFor(xero, harness), clock: harness.clock, window: { from: '2024-02-15' } });
  await postOver(books, {
    client: quickbooksClientFor(quickbooks, harness, REFRESH),
    clock: harness.clock,
    window: attached,
    evidence,
  });
});

afterAll(async () => {
  await xero.close();
  await quickbooks.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each entry's chain hash as the ledger keeps it: every journal posted names it beside the evidence hash (issue 52). */
const chain = (index: number): string => `chain sha256:${chainHashes.get(entryId(index))}`;

describe('a post to a destination with evidence: attach', () => {
  it("names each journal's evidence manifest hash in Xero's Narration, then its chain hash, the entry id still last", () => {
    const narrations = xero.fake
      .journals()
      .map((journal) => journal.narration)
      .toSorted();
    expect(narrations).toEqual([
      `SMM panel orders 2024-02-14 #1 · evidence sha256:${hashes.get(entryId(1))} · ${chain(1)} [${entryId(1)}]`,
      `SMM panel orders 2024-02-14 #2 · evidence sha256:${hashes.get(entryId(2))} · ${chain(2)} [${entryId(2)}]`,
      `SMM panel orders 2024-02-15 #3 · ${chain(3)} [${entryId(3)}]`,
    ]);
  });

  it("names it in QuickBooks' PrivateNote", () => {
    expect(
      quickbooks.fake
        .journalEntries()
        .map((entry) => entry.privateNote)
        .toSorted(),
    ).toEqual([
      `SMM panel orders 2024-02-14 #1 · evidence sha256:${hashes.get(entryId(1))} · ${chain(1)} [${entryId(1)}]`,
      `SMM panel orders 2024-02-14 #2 · evidence sha256:${hashes.get(entryId(2))} · ${chain(2)} [${entryId(2)}]`,
    ]);
  });
});
