import type { RenderedEntryToBook } from '../ledger/index.js';

/**
 * The rows an append writes (journal.ts insertEntries), as runEach takes them: each kind's columns in its
 * statement's order, one array refilled for every row where runEach copies a row's values out before the next.
 */

/** Each entry's lines as rows of journal.ts's INSERT_LINE. */
export function* lineRows(entries: readonly RenderedEntryToBook[]): Generator<unknown[]> {
  const row: unknown[] = new Array(7);
  for (const { entry, lineCents } of entries) {
    row[0] = entry.id;
    for (let index = 0; index < entry.lines.length; index += 1) {
      const line = entry.lines[index]!;
      row[1] = index + 1;
      row[2] = line.account;
      row[3] = line.currency;
      row[4] = line.amountMicros;
      row[5] = line.description ?? null;
      row[6] = lineCents[index];
      yield row;
    }
  }
}

/** Each entry as a row of INSERT_ENTRY. */
export function* entryRows(
  entries: readonly RenderedEntryToBook[],
  meta: { runId: string | null; now: string },
): Generator<unknown[]> {
  const row: unknown[] = [null, null, null, null, null, null, meta.runId, meta.now, null];
  for (const { entry, contentHash, eventIdsJson, chainHash } of entries) {
    row[0] = entry.id;
    row[1] = entry.date;
    row[2] = entry.sourceId;
    row[3] = entry.description;
    row[4] = eventIdsJson;
    row[5] = contentHash;
    row[8] = chainHash;
    yield row;
  }
}

/** Each entry's rounding lines as rows of INSERT_RENDERED, numbered on from its last line. */
export function* roundingRows(entries: readonly RenderedEntryToBook[]): Generator<unknown[]> {
  for (const { entry, roundingLines } of entries) {
    let lineNo = entry.lines.length;
    for (const line of roundingLines)
      yield [entry.id, (lineNo += 1), line.account, line.currency, line.cents, line.description ?? null];
  }
}
