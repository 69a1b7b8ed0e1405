import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvidenceMapping } from '../../../src/ledger/index.js';
import { createXeroEvidenceAttachments } from '../../../src/destinations/xero/xero-evidence-attachments.js';
import { entryEvidence } from '../../../src/pipeline/operations/index.js';
import { attachEvidence } from '../../../src/pipeline/post/evidence-attachments.js';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';
import { createQuickbooksEvidenceAttachments } from '../../../src/destinations/quickbooks/quickbooks-evidence-attachments.js';
import type { EvidenceAttachmentClient } from '../../../src/destinations/index.js';
import {
  clientHarness,
  entryId,
  quickbooksClientFor,
  quickbooksConfig,
  spendEntry,
  START_MS,
  xeroClientFor,
  xeroConfig,
  type ClientHarness,
} from '../post-fixtures.js';
import { postOver } from './post-over-books.js';
import { evidenceAttachmentsInMemory } from '../../support/evidence-attachments-double.js';
import { evidenceBooksInMemory } from '../../support/evidence-books-double.js';
import { postBooksInMemory } from '../../support/post-outbox-double.js';
import { syncBooksInMemory } from '../../support/sync-books-double.js';

/** In-memory books (test/support/*-double.ts): the outboxes, the evidence and its attachments over one journal. */
function booksInMemory() {
  const syncBooks = syncBooksInMemory();
  const postBooks = postBooksInMemory(syncBooks.journal);
  return {
    ...postBooks,
    evidenceBooks: evidenceBooksInMemory(syncBooks),
    evidenceAttachments: evidenceAttachmentsInMemory(postBooks),
  };
}

const MAPPINGS: EvidenceMapping[] = [{ name: 'chart', file: 'default.yaml', sha256: '0'.repeat(64), accounts: {} }];
let dir: string;
let books: ReturnType<typeof booksInMemory>;
let xero: RunningXeroFake;
let quickbooks: RunningQuickBooksFake;
let harness: ClientHarness;
const REFRESH = 'qbo-evidence-attach-refresh';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledgerline-evidence-attach-'));
  books = booksInMemory();
  const entries = [spendEntry(1, '2024-02-14'), spendEntry(2, '2024-02-14'), spendEntry(3, '2024-02-15')];
  await books.ledger.appendEntries(entries, { now: new Date(START_MS) });
  harness = clientHarness(dir);
  xero = await startXeroFake({ now: () => harness.clock.now() });
  quickbooks = await startQuickBooksFake({ refreshToken: REFRESH, now: () => harness.clock.now() });
  const evidence = { books: books.evidenceBooks, mappings: MAPPINGS };
  await postOver(books, { client: xeroClientFor(xero, harness), clock: harness.clock, evidence });
  await postOver(books, { client: quickbooksClientFor(quickbooks, harness, REFRESH), clock: harness.clock, evidence });
});

afterAll(async () => {
  await xero.close();
  await quickbooks.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One attach run over the posted journals of `window`, as a post runs it after its journals. */
async function attach(window: { from?: string; until?: string } = {}, to: 'xero' | 'quickbooks' = 'xero') {
  const common = {
    mapping: {},
    tokenStore: harness.tokenStore,
    clock: harness.clock,
    redact: (text: string) => text,
    onSecrets: () => undefined,
    log: () => undefined,
  };
  const client: EvidenceAttachmentClient =
    to === 'xero'
      ? createXeroEvidenceAttachments({ ...common, config: xeroConfig(xero), mappingFile: 'xero.yaml' })
      : createQuickbooksEvidenceAttachments({
          ...common,
          config: quickbooksConfig(quickbooks, REFRESH),
          mappingFile: 'quickbooks.yaml',
        });
  const ledger = books.ledger;
  try {
    return await attachEvidence(
      books.evidenceAttachments(to),
      client,
      (id) => entryEvidence({ books: books.evidenceBooks, ledger, mappings: MAPPINGS }, id),
      { window, now: () => '2024-02-16T00:00:00Z' },
    );
  } finally {
    await client.close();
  }
}

const fileOf = (index: number) => `evidence-je-test-${String(index).padStart(4, '0')}.zip`;

describe('evidence attached to each posted Xero journal exactly once', () => {
  it("uploads each journal's file once, its bytes those `ledgerline evidence` writes, and a second run sends nothing", async () => {
    const first = await attach({ until: '2024-02-14' });
    expect(first).toMatchObject({
      attached: [`${entryId(1)} ${fileOf(1)}`, `${entryId(2)} ${fileOf(2)}`],
      found: [],
      open: [],
      refused: [],
    });
    const held = xero.fake.attachments();
    const journalOf = (index: number) =>
      xero.fake.journals().find((journal) => journal.narration.endsWith(`[${entryId(index)}]`))!.manualJournalId;
    expect(held.map((attachment) => [attachment.manualJournalId, attachment.fileName])).toEqual([
      [journalOf(1), fileOf(1)],
      [journalOf(2), fileOf(2)],
    ]);
    const rebuilt = await entryEvidence(
      { books: books.evidenceBooks, ledger: books.ledger, mappings: MAPPINGS },
      entryId(1),
    );
    expect(held[0]!.bytes.equals(rebuilt.files[0]!.bytes)).toBe(true);
    expect(await attach({ until: '2024-02-14' })).toMatchObject({ attached: [], found: [], alreadyRecorded: 2 });
    expect(xero.fake.attachments()).toHaveLength(2);
  });

  it('after a reply lost once the upload was kept, the look-up finds the file: recorded found, one file on the journal', async () => {
    xero.fake.injectFault({ kind: 'drop-after-commit' });
    const run = await attach({ from: '2024-02-15' });
    expect(run).toMatchObject({ attached: [], found: [`${entryId(3)} ${fileOf(3)}`], open: [], refused: [] });
    expect(xero.fake.attachments().filter((attachment) => attachment.fileName === fileOf(3))).toHaveLength(1);
  });
});

describe('evidence attached to each posted QuickBooks journal entry exactly once', () => {
  it('uploads an Attachable per entry linked to its JournalEntry; after a lost reply the query finds it; a second run sends nothing', async () => {
    expect(await attach({ until: '2024-02-14' }, 'quickbooks')).toMatchObject({
      attached: [`${entryId(1)} ${fileOf(1)}`, `${entryId(2)} ${fileOf(2)}`],
      found: [],
      refused: [],
    });
    quickbooks.fake.injectFault({ kind: 'drop-after-commit' });
    expect(await attach({ from: '2024-02-15' }, 'quickbooks')).toMatchObject({
      attached: [],
      found: [`${entryId(3)} ${fileOf(3)}`],
      open: [],
      refused: [],
    });
    expect(await attach({}, 'quickbooks')).toMatchObject({ attached: [], found: [], alreadyRecorded: 3 });
    const entryOf = (index: number) =>
      quickbooks.fake.journalEntries().find((entry) => entry.privateNote?.endsWith(`[${entryId(index)}]`))!.id;
    expect(quickbooks.fake.attachables().map((attachable) => [attachable.entityId, attachable.fileName])).toEqual(
      [1, 2, 3].map((index) => [entryOf(index), fileOf(index)]),
    );
  });
});
