import { sql } from 'kysely';
import { insertRows, type LedgerTx } from './ledger-store.js';
import { boundTo, onSqlite } from './query-builder.js';

/** Each event linked to its entry, unless it already is (the first entry to journalize it keeps it). */
const LINK_EVENTS = insertRows(
  'entry_events',
  { entry_id: 'text', event_id: 'text' },
  sql`ON CONFLICT (event_id) DO NOTHING`,
);

interface EntryEvents {
  id: string;
  eventIds: readonly string[];
}

/**
 * Links each entry's events to it (migration 0017) in event-id order, the order of entry_events' key:
 * SQLite then writes each page of the table once instead of seeking a page for every link (350,000 links
 * in a shuffled order took 3.9 s, in order 0.8 s).
 */
export async function linkEvents(store: LedgerTx, entries: readonly EntryEvents[]): Promise<void> {
  if (onSqlite(store)) await store.runEach(LINK_EVENTS, inEventOrder(entries));
  else await linkFromTheEntries(store, entries);
}

/**
 * PostgreSQL takes the links from the entries just inserted, whose event_ids hold the same ids in the same
 * order (JSON text): the client binds one id per entry instead of two per link, and the server parses one
 * JSON value per entry instead of an array element per link (70,000 links: 140,000 escaped elements). Same
 * order and rule as inEventOrder: by event id, then by the entries' order of insertion, the first keeping it.
 */
async function linkFromTheEntries(store: LedgerTx, entries: readonly EntryEvents[]): Promise<void> {
  const ids = entries.filter((entry) => entry.eventIds.length > 0).map((entry) => entry.id);
  if (ids.length === 0) return;
  const links = sql`INSERT INTO entry_events (entry_id, event_id)
    SELECT e.id, linked.event_id FROM journal_entries e CROSS JOIN LATERAL json_array_elements_text(e.event_ids::json) AS linked(event_id)
    WHERE e.id = ANY(${ids}::text[]) ORDER BY linked.event_id COLLATE "C", e.seq
    ON CONFLICT (event_id) DO NOTHING`;
  await store.run(boundTo(store, links));
}

/** One entry's event ids in order, and how many of them are linked. */
interface Run {
  entryId: string;
  /** The entry's place in the append: on equal ids the earlier entry comes first, and keeps the event. */
  place: number;
  ids: readonly string[];
  next: number;
}

/**
 * The links of all the entries in event-id order: each entry's ids in order (a close's usually are, as it
 * polls its orders in order, and are then taken as they are), merged across entries through a heap of the
 * entries by their next id. Example: je:a [ev:9, ev:1] and je:b [ev:5, ev:1] give (je:a, ev:1),
 * (je:b, ev:1), (je:b, ev:5), (je:a, ev:9), and the key leaves out the second link of ev:1.
 */
function* inEventOrder(entries: readonly EntryEvents[]): Generator<[string, string]> {
  const heap: Run[] = entries
    .filter((entry) => entry.eventIds.length > 0)
    .map((entry, place) => ({ entryId: entry.id, place, ids: inOrder(entry.eventIds), next: 0 }));
  for (let index = (heap.length >> 1) - 1; index >= 0; index -= 1) siftDown(heap, index);
  while (heap.length > 0) {
    const run = heap[0]!;
    yield [run.entryId, run.ids[run.next]!];
    run.next += 1;
    if (run.next === run.ids.length) {
      const last = heap.pop()!;
      if (heap.length > 0) heap[0] = last;
    }
    siftDown(heap, 0);
  }
}

/** The ids as they are when in order, else a sorted copy (by UTF-16 code units, as `<` compares them). */
function inOrder(ids: readonly string[]): readonly string[] {
  for (let index = 1; index < ids.length; index += 1) if (ids[index]! < ids[index - 1]!) return [...ids].sort();
  return ids;
}

function before(a: Run, b: Run): boolean {
  const idA = a.ids[a.next]!;
  const idB = b.ids[b.next]!;
  return idA < idB || (idA === idB && a.place < b.place);
}

function siftDown(heap: Run[], start: number): void {
  let index = start;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= heap.length) return;
    const child = left + 1 < heap.length && before(heap[left + 1]!, heap[left]!) ? left + 1 : left;
    if (!before(heap[child]!, heap[index]!)) return;
    [heap[index], heap[child]] = [heap[child]!, heap[index]!];
    index = child;
  }
}
