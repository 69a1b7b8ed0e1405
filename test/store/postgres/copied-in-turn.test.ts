import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedEntryToBook } from '../../../src/ledger/index.js';
import { LedgerStore } from '../../../src/store/index.js';
import { bookLineChunks, insertEntries } from '../../../src/store/journal.js';
import { collect } from '../../../src/store/ledger-store.js';
import { usePostgresServer } from '../../support/postgres-server.js';

const { freshDatabase } = usePostgresServer();
const SOURCES = ['smm-panel', 'ads-publisher', 'ads-advertiser'];
const ONE_WINDOW = Number.MAX_SAFE_INTEGER;

/** Entry `index`: 12 dates, three sources; every fifth rounds three lines' cents with a line of its own (10.005 = 5.0025 + 5.0025). */
function entryOf(index: number, date = `2026-03-${String(1 + (index % 12)).padStart(2, '0')}`): RenderedEntryToBook {
  const rounded = index % 5 === 0;
  const micros = rounded ? [10_005_000n, -5_002_500n, -5_002_500n] : [BigInt(index + 1) * 10_000n, -BigInt(index + 1) * 10_000n];
  const lines = micros.map((amountMicros, line) => ({ account: `account_${line}`, currency: 'USD', amountMicros, description: line === 1 ? `line of ${index}` : undefined }));
  return {
    entry: { id: `je:${index}`, date, sourceId: SOURCES[index % 3]!, description: `entry ${index}`, eventIds: [], lines },
    contentHash: `h${index}`,
    eventIdsJson: '[]',
    chainHash: `c${index}`,
    lineCents: rounded ? [1001n, -500n, -500n] : micros.map((amount) => amount / 10_000n),
    roundingLines: rounded ? [{ account: 'rounding', currency: 'USD', cents: -1n, description: 'Cent rounding' }] : [],
  };
}

describe('the book lines read in date windows, the window ahead read beside the current one (PostgreSQL)', () => {
  let store: LedgerStore;
  const book = (entries: RenderedEntryToBook[]) => store.unitOfWork(() => insertEntries(store, entries, { runId: null, now: '2026-03-20T00:00:00Z' }));

  beforeAll(async () => {
    store = await LedgerStore.openAt(await freshDatabase());
    await book(Array.from({ length: 150 }, (_, index) => entryOf(index)));
  });

  afterAll(() => store.close());

  const rows = async (window: Parameters<typeof bookLineChunks>[1], entriesPerWindow: number) => (await collect(bookLineChunks(store, window, 7, entriesPerWindow))).flat();

  it('gives the rows of one window, in book order, from windows of a few entries: the whole ledger and a source between two dates', async () => {
    const whole = await rows({}, ONE_WINDOW);
    expect(whole).toHaveLength(150 * 2 + 30 * 2);
    expect(await rows({}, 13)).toEqual(whole);
    const window = { from: '2026-03-03', to: '2026-03-10', sourceId: 'ads-publisher' };
    expect(await rows(window, 4)).toEqual(await rows(window, ONE_WINDOW));
    expect(await rows({ from: '2026-03-12' }, 1)).toEqual(whole.filter((row) => row[1] === '2026-03-12'));
  });

  it('reads one state of the ledger: an entry booked while the windows are read is in none of them', async () => {
    const before = await rows({}, 13);
    const read: unknown[][] = [];
    for await (const chunk of bookLineChunks(store, {}, 7, 13)) {
      if (read.length === 0) await book([entryOf(150, '2026-03-12')]);
      read.push(...chunk);
    }
    expect(read).toEqual(before);
    expect(await rows({}, 13)).toHaveLength(before.length + 4);
  });

  it('gives every connection back out of its transaction when the reader stops early, more times than the pool has connections', async () => {
    for (let reader = 0; reader < 12; reader++) {
      for await (const chunk of bookLineChunks(store, {}, 20, 13)) {
        if (reader % 2 === 0) break;
        if (chunk[0]![1] === '2026-03-05') break;
      }
    }
    const whole = await rows({}, ONE_WINDOW);
    expect(await rows({}, 13)).toEqual(whole);
    expect((await store.unitOfWork(() => collect(bookLineChunks(store, {}, 7, 13)))).flat()).toEqual(whole);
  });
});
