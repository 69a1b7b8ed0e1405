import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvidenceBooks } from '../../src/pipeline/operations/books/evidence-books.js';
import type { SyncBooks } from '../../src/pipeline/sync/books/sync-books.js';
import type { SourceEvent } from '../../src/rules/index.js';
import { openBooks, type Books } from '../support/books.js';
import { evidenceBooksInMemory } from '../support/evidence-books-double.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { syncBooksInMemory } from '../support/sync-books-double.js';
import { useTempDir } from '../support/temp-dir.js';
import { evidenceBooks } from '../../src/pipeline/operations/index.js';
import { syncBooks } from '../../src/pipeline/sync/index.js';

const tempDir = useTempDir('ledgerline-evidence-books-');
const { fresh } = useLedgerEngines();
const opened: Books[] = [];
afterEach(async () => {
  for (const books of opened.splice(0)) await books.close();
});

/** The double and the store's adapter on each engine: one spec, so the double the unit tier uses cannot drift. */
const SUBJECTS: { name: string; open: () => Promise<{ syncBooks: SyncBooks; evidenceBooks: EvidenceBooks }> }[] = [
  {
    name: 'the in-memory double',
    open: async () => {
      const syncBooks = syncBooksInMemory();
      return { syncBooks, evidenceBooks: evidenceBooksInMemory(syncBooks) };
    },
  },
  ...LEDGER_ENGINES.map((engine) => ({
    name: engine,
    open: async () => {
      const books = await openBooks((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
      opened.push(books);
      return { syncBooks: books.of(syncBooks), evidenceBooks: books.of(evidenceBooks) };
    },
  })),
];

const SOURCE = 'smm-panel';
const now = new Date('2026-03-03T02:30:00Z');
const charge = (order: string, date: string, micros: bigint): SourceEvent => ({
  id: `panel:${SOURCE}:order:${order}:charge:${date}`,
  sourceId: SOURCE,
  kind: 'order_charge',
  date,
  currency: 'USD',
  amountMicros: micros,
  ref: order,
  detail: { status: 'Completed', charge: String(micros) },
});
const reply = (asOf: string, runId: string | null, action = 'status') => ({
  sourceId: SOURCE,
  action,
  request: { orders: ['2', '1'] },
  asOf,
  fetchedAt: '2026-03-03T01:00:00Z',
  httpStatus: 200,
  body: `{"asOf":"${asOf}"}`,
  contentHash: `sha256:${asOf}`,
  runId,
});
/** A chain hash is the same text on every subject: only its form is pinned here, its value by the PostOutbox contract. */
const withoutChain = <T extends { entry: { chainHash: string | null } }>(record: T | undefined) =>
  record && { ...record, entry: { ...record.entry, chainHash: typeof record.entry.chainHash } };

describe.each(SUBJECTS)('the EvidenceBooks contract: $name', ({ open }) => {
  it("reads an entry's lines, its events, the replies its run landed for its days and its date's closes", async () => {
    const { syncBooks, evidenceBooks } = await open();
    const [late, early] = [charge('2', '2026-03-02', 1_800_000n), charge('1', '2026-03-01', 900_000n)];
    const ids = await syncBooks.unit(async (tx) => {
      const landed = [
        await tx.landRawReply(reply('2026-03-01', 'run:1')),
        await tx.landRawReply(reply('2026-03-02', 'run:1', 'balance')),
        await tx.landRawReply(reply('2026-03-05', 'run:1')),
        await tx.landRawReply({ ...reply('2026-03-02', 'run:1'), sourceId: 'other-panel' }),
      ];
      await tx.recordNewEvents([late, early], { runId: 'run:1', now });
      const close = { sourceId: SOURCE, date: '2026-03-02', runId: 'run:1', currency: 'USD', now };
      await tx.logClose({ ...close, metric: 'balance', valueMicros: 5n, rawObservationId: landed[1] });
      await tx.logClose({ ...close, metric: 'balance', valueMicros: 7n, rawObservationId: landed[1] });
      await tx.logClose({ ...close, metric: 'active_orders', valueMicros: 2n, rawObservationId: undefined });
      await tx.ledger.appendEntries(
        [
          {
            id: 'je:smm-panel:2026-03-02',
            date: '2026-03-02',
            sourceId: SOURCE,
            description: 'SMM order charges',
            eventIds: [late.id, early.id],
            lines: [
              { account: 'smm_services_expense', currency: 'USD', amountMicros: 2_700_000n, description: 'charges' },
              { account: 'panel_prepaid', currency: 'USD', amountMicros: -2_700_000n },
            ],
          },
        ],
        { runId: 'run:1', now },
      );
      return landed.map(String);
    });
    // A later run of the same day landed another reply: it did not make the entry.
    await syncBooks.unit((tx) => tx.landRawReply(reply('2026-03-02', 'run:2')));

    const record = await evidenceBooks.evidenceOf('je:smm-panel:2026-03-02');
    expect(record?.entry.chainHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record?.entry.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(withoutChain(record)).toEqual({
      entry: {
        id: 'je:smm-panel:2026-03-02',
        date: '2026-03-02',
        sourceId: SOURCE,
        description: 'SMM order charges',
        eventIds: [late.id, early.id],
        contentHash: record?.entry.contentHash,
        chainHash: 'string',
        lines: [
          { account: 'smm_services_expense', currency: 'USD', amountMicros: 2_700_000n, description: 'charges' },
          { account: 'panel_prepaid', currency: 'USD', amountMicros: -2_700_000n, description: null },
        ],
      },
      events: [early, late].map(({ id, kind, date, currency, amountMicros, ref, detail }) => ({
        id,
        kind,
        date,
        currency,
        amountMicros,
        ref,
        detail: JSON.stringify(detail),
      })),
      replies: [reply('2026-03-01', 'run:1'), reply('2026-03-02', 'run:1', 'balance')].map((landed, index) => ({
        id: ids[index],
        action: landed.action,
        request: '{"orders":["2","1"]}',
        asOf: landed.asOf,
        fetchedAt: landed.fetchedAt,
        httpStatus: 200,
        contentHash: landed.contentHash,
        body: landed.body,
      })),
      closes: [
        { metric: 'active_orders', valueMicros: 2n, currency: 'USD', replyId: null },
        { metric: 'balance', valueMicros: 7n, currency: 'USD', replyId: ids[1] },
      ],
    });
    expect(await evidenceBooks.evidenceOf('je:unknown')).toBeUndefined();
  });
});
