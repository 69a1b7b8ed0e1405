import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerStore } from '../../../src/store/index.js';
import { insertEntries } from '../../../src/store/journal.js';
import { collect } from '../../support/books.js';
import { queryBuilder } from '../../../src/store/query-builder.js';
import { usePostgresServer } from '../../support/postgres-server.js';

const { freshDatabase } = usePostgresServer();
const huge = 9_007_199_254_740_993n;
/** Descriptions COPY's text format escapes (tab, line breaks, backslash), one beyond ASCII, and none at all. */
const DESCRIPTIONS = [
  'tab\there',
  'two\nlines\r\nand \\ backslash',
  'café ☕ «quoted» "x"',
  null,
  '\\N is not null',
  '',
];

describe('rows read through COPY … TO STDOUT', () => {
  let store: LedgerStore;

  beforeAll(async () => {
    store = await LedgerStore.openAt(await freshDatabase());
    const lines = DESCRIPTIONS.map((description, index) => ({
      account: `account_${index}`,
      currency: 'USD',
      amountMicros: index === 0 ? -huge * 5n : huge,
      description: description ?? undefined,
    }));
    const entry = {
      id: 'je:copy',
      date: '2026-03-01',
      sourceId: 'smm-panel',
      description: 'copy',
      eventIds: [],
      lines,
    };
    await store.unitOfWork((tx) =>
      insertEntries(
        tx,
        [
          {
            entry,
            contentHash: 'h',
            eventIdsJson: '[]',
            chainHash: 'h',
            lineCents: lines.map(() => 0n),
            roundingLines: [],
          },
        ],
        { runId: null, now: '2026-03-03T00:00:00Z' },
      ),
    );
  });

  afterAll(() => store.close());

  const query = () =>
    queryBuilder(store)
      .selectFrom('journal_lines')
      .select(['line_no', 'account', 'amount_micros', 'description', 'cents'])
      .where('entry_id', '=', 'je:copy')
      .where('line_no', '>', 0n)
      .orderBy('line_no');

  it('gives the rows a cursor gives, text unescaped, nulls null and integers exact, in chunks, inside a unit of work and outside', async () => {
    const byCursor = await collect(store.iterateArrays(query()));
    expect(byCursor.map((row) => row[3])).toEqual(DESCRIPTIONS);
    expect(byCursor[1]![2]).toBe(huge);
    const chunks = await collect(store.iterateArrayChunks(query(), 4));
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 2]);
    expect(chunks.flat()).toEqual(byCursor);
    expect((await store.unitOfWork((tx) => collect(tx.iterateArrayChunks(query(), 100)))).flat()).toEqual(byCursor);
  });

  it('reads a row whose last column is null or escaped as a cursor does (the row is cut at tabs in place, not split)', async () => {
    const lastColumn = queryBuilder(store)
      .selectFrom('journal_lines')
      .select(['line_no', 'description'])
      .where('entry_id', '=', 'je:copy')
      .where('line_no', '>', 0n)
      .orderBy('line_no');
    const byCursor = await collect(store.iterateArrays(lastColumn));
    expect(byCursor.map((row) => row[1])).toEqual(DESCRIPTIONS);
    expect((await collect(store.iterateArrayChunks(lastColumn, 3))).flat()).toEqual(byCursor);
  });

  it('leaves its connection usable when the reader stops after the first chunk, more times than the pool has connections', async () => {
    for (let reader = 0; reader < 12; reader++) {
      for await (const chunk of store.iterateArrayChunks(query(), 1)) {
        expect(chunk).toHaveLength(1);
        break;
      }
    }
    await store.unitOfWork(async (tx) => {
      for await (const chunk of tx.iterateArrayChunks(query(), 1)) {
        expect(chunk[0]![0]).toBe(1n);
        break;
      }
      expect(await tx.first(query())).toMatchObject({ line_no: 1n });
    });
  });
});
