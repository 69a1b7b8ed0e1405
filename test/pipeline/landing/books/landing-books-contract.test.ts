import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  landingBooks,
  type InboxDelivery,
  type LandingBooks,
  type ReadableWebhook,
} from '../../../../src/pipeline/landing/books/landing-books.js';
import { openBooks, type Books } from '../../../support/books.js';
import { landingBooksInMemory } from '../../../support/landing-books-double.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../../support/ledger-engines.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-landing-books-');
const { fresh } = useLedgerEngines();
const opened: Books[] = [];
afterEach(async () => {
  for (const books of opened.splice(0)) await books.close();
});

/** The double and the store's adapter on each engine: one spec, so the double the unit tier uses cannot drift. */
const SUBJECTS: { name: string; open: () => Promise<LandingBooks> }[] = [
  { name: 'the in-memory double', open: async () => landingBooksInMemory() },
  ...LEDGER_ENGINES.map((engine) => ({
    name: engine,
    open: async () => {
      const books = await openBooks((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
      opened.push(books);
      return books.of(landingBooks);
    },
  })),
];

const delivery = (dedupeKey: string, receivedAt: string, extra: Partial<InboxDelivery> = {}): InboxDelivery => ({
  sourceId: 'smm-panel',
  kind: 'panel',
  dedupeKey,
  receivedAt,
  body: `{"key":"${dedupeKey}"}`,
  status: 'stored',
  note: null,
  ...extra,
});

async function all(rows: AsyncIterable<ReadableWebhook>): Promise<ReadableWebhook[]> {
  const read: ReadableWebhook[] = [];
  for await (const row of rows) read.push(row);
  return read;
}

describe.each(SUBJECTS)('the LandingBooks contract: $name', ({ open }) => {
  it("keeps one delivery per dedupe key and reads a source's readable ones of a kind back in order, from a time on", async () => {
    const books = await open();
    const first = await books.unit((tx) => tx.recordDelivery(delivery('a', '2026-03-13T10:00:00Z')));
    const again = await books.unit((tx) =>
      tx.recordDelivery(delivery('a', '2026-03-13T10:05:00Z', { body: '{"resent":true}' })),
    );
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: first.id, duplicate: true });
    const invalid = await books.unit((tx) =>
      tx.recordDelivery(delivery('b', '2026-03-13T11:00:00Z', { status: 'invalid', note: 'no order id' })),
    );
    await books.unit((tx) => tx.recordDelivery(delivery('c', '2026-03-13T12:00:00Z', { sourceId: 'other-panel' })));
    await books.unit((tx) => tx.recordDelivery(delivery('d', '2026-03-13T12:00:00Z', { kind: 'payelancer' })));
    const later = await books.unit((tx) => tx.recordDelivery(delivery('e', '2026-03-14T09:00:00Z')));

    expect(await all(books.readableWebhooks('smm-panel', 'panel'))).toEqual([
      { id: first.id, status: 'stored', receivedAt: '2026-03-13T10:00:00Z', body: '{"key":"a"}' },
      { id: later.id, status: 'stored', receivedAt: '2026-03-14T09:00:00Z', body: '{"key":"e"}' },
    ]);
    expect((await all(books.readableWebhooks('smm-panel', 'panel', '2026-03-14'))).map((row) => row.id)).toEqual([
      later.id,
    ]);
    // Ids grow in order of insertion, and a refused duplicate spends one.
    expect(invalid.id).toBe(first.id + 2n);
    expect(later.id > invalid.id).toBe(true);
  });

  it('marks deliveries processed in a unit, still readable; a unit that throws keeps nothing of its own', async () => {
    const books = await open();
    const { id } = await books.unit((tx) => tx.recordDelivery(delivery('a', '2026-03-13T10:00:00Z')));
    await books.unit((tx) => tx.markWebhooksProcessed([id]));
    await books.unit((tx) => tx.markWebhooksProcessed([]));
    const broken = new Error('the close failed');
    await expect(
      books.unit(async (tx) => {
        await tx.recordDelivery(delivery('b', '2026-03-13T11:00:00Z'));
        await tx.quarantineDelivery(
          { sourceId: 'smm-panel', webhookId: id, reason: 'unreadable', asOf: '2026-03-13' },
          new Date(),
        );
        throw broken;
      }),
    ).rejects.toBe(broken);
    expect(await all(books.readableWebhooks('smm-panel', 'panel'))).toEqual([
      { id, status: 'processed', receivedAt: '2026-03-13T10:00:00Z', body: '{"key":"a"}' },
    ]);
    // Its dedupe key was not kept either: the same delivery is new again.
    expect((await books.unit((tx) => tx.recordDelivery(delivery('b', '2026-03-13T11:00:00Z')))).duplicate).toBe(false);
  });

  it('lands raw replies under ids that grow in order of landing', async () => {
    const books = await open();
    const reply = {
      sourceId: 'smm-panel',
      action: 'status',
      request: { orders: ['1487'] },
      asOf: '2026-03-13',
      fetchedAt: '2026-03-14T01:00:00Z',
      httpStatus: 200,
      body: '{}',
      contentHash: 'sha256:00',
      runId: null,
    };
    const first = await books.unit((tx) => tx.landRawReply(reply));
    const second = await books.unit((tx) => tx.landRawReply({ ...reply, runId: 'run:1' }));
    expect(BigInt(second) > BigInt(first)).toBe(true);
  });
});
