import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, type EvidenceMapping } from '../../../src/ledger/index.js';
import { createXeroEvidenceAttachments } from '../../../src/destinations/xero/xero-evidence-attachments.js';
import { entryEvidence } from '../../../src/pipeline/operations/index.js';
import { attachEvidence } from '../../../src/pipeline/post/evidence-attachments.js';
import type { LedgerStore } from '../../../src/store/index.js';
import { evidenceAttachmentsOver } from '../../../src/store/evidence-attachments-store.js';
import { evidenceBooksOver } from '../../../src/store/evidence-books-store.js';
import { journalBooksOver } from '../../../src/store/journal-books-store.js';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';
import { createQuickbooksEvidenceAttachments } from '../../../src/destinations/quickbooks/quickbooks-evidence-attachments.js';
import type { EvidenceAttachmentClient } from '../../../src/destinations/index.js';
import { appendEntries, clientHarness, entryId, openLedgerStore, quickbooksClientFor, quickbooksConfig, spendEntry, xeroClientFor, xeroConfig, type ClientHarness } from '../post-fixtures.js';
import { postOver } from './post-over-store.js';

const MAPPINGS: EvidenceMapping[] = [{ name: 'chart', file: 'default.yaml', sha256: '0'.repeat(64), accounts: {} }];
let dir: string;
let store: LedgerStore;
let xero: RunningXeroFake;
let quickbooks: RunningQuickBooksFake;
let harness: ClientHarness;
const REFRESH = 'qbo-evidence-attach-refresh';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledgerline-evidence-attach-'));
  store = await openLedgerStore(dir);
  await appendEntries(store, [spendEntry(1, '2024-02-14'), spendEntry(2, '2024-02-14'), spendEntry(3, '2024-02-15')]);
  harness = clientHarness(dir);
  xero = await startXeroFake({ now: () => harness.clock.now() });
  quickbooks = await startQuickBooksFake({ refreshToken: REFRESH, now: () => harness.clock.now() });
  const evidence = { books: evidenceBooksOver(store), mappings: MAPPINGS };
  await postOver(store, { client: xeroClientFor(xero, harness), clock: harness.clock, evidence });
  await postOver(store, { client: quickbooksClientFor(quickbooks, harness, REFRESH), clock: harness.clock, evidence });
});

afterAll(async () => {
  await xero.close();
  await quickbooks.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One attach run over the posted journals of `window`, as a post runs it after its journals. */
async function attach(window: { from?: string; until?: string } = {}, to: 'xero' | 'quickbooks' = 'xero') {
  const common = { mapping: {}, tokenStore: harness.tokenStore, clock: harness.clock, redact: (text: string) => text, onSecrets: () => undefined, log: () => undefined };
  const client: EvidenceAttachmentClient =
    to === 'xero'
      ? createXeroEvidenceAttachments({ ...common, config: xeroConfig(xero), mappingFile: 'xero.yaml' })
      : createQuickbooksEvidenceAttachments({ ...common, config: quickbooksConfig(quickbooks, REFRESH), mappingFile: 'quickbooks.yaml' });
  const ledger = new Ledger(journalBooksOver(store));
  try {
    return await attachEvidence(evidenceAttachmentsOver(store, to), client, (id) => entryEvidence({ books: evidenceBooksOver(store), ledger, mappings: MAPPINGS }, id), { window, now: () => '2024-02-16T00:00:00Z' });
  } finally {
    await client.close();
  }
}

const fileOf = (index: number) => `evidence-je-test-${String(index).padStart(4, '0')}.zip`;

describe('evidence attached to each posted Xero journal exactly once', () => {
  it('uploads each journal\'s file once, its bytes those `ledgerline evidence` writes, and a second run sends nothing', async () => {
    const first = await attach({ until: '2024-02-14' });
    expect(first).toMatchObject({ attached: [`${entryId(1)} ${fileOf(1)}`, `${entryId(2)} ${fileOf(2)}`], found: [], open: [], refused: [] });
    const held = xero.fake.attachments();
    const journalOf = (index: number) => xero.fake.journals().find((journal) => journal.narration.endsWith(`[${entryId(index)}]`))!.manualJournalId;
    expect(held.map((attachment) => [attachment.manualJournalId, attachment.fileName])).toEqual([[journalOf(1), fileOf(1)], [journalOf(2), fileOf(2)]]);
    const rebuilt = await entryEvidence({ books: evidenceBooksOver(store), ledger: new Ledger(journalBooksOver(store)), mappings: MAPPINGS }, entryId(1));
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
    expect(await attach({ until: '2024-02-14' }, 'quickbooks')).toMatchObject({ attached: [`${entryId(1)} ${fileOf(1)}`, `${entryId(2)} ${fileOf(2)}`], found: [], refused: [] });
    quickbooks.fake.injectFault({ kind: 'drop-after-commit' });
    expect(await attach({ from: '2024-02-15' }, 'quickbooks')).toMatchObject({ attached: [], found: [`${entryId(3)} ${fileOf(3)}`], open: [], refused: [] });
    expect(await attach({}, 'quickbooks')).toMatchObject({ attached: [], found: [], alreadyRecorded: 3 });
    const entryOf = (index: number) => quickbooks.fake.journalEntries().find((entry) => entry.privateNote?.endsWith(`[${entryId(index)}]`))!.id;
    expect(quickbooks.fake.attachables().map((attachable) => [attachable.entityId, attachable.fileName])).toEqual([1, 2, 3].map((index) => [entryOf(index), fileOf(index)]));
  });
});
