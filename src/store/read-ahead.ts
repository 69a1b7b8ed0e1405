/**
 * The items of each read in turn, each next read started (its first item asked for) when the one before it
 * starts, so two run side by side: while the caller takes read k's items, read k+1's engine prepares its
 * own. At most two reads are open at once, the one ahead holding its first item until its turn. Example:
 * reads A, B, C: A and B start; A's items are taken while B prepares; then B's, while C starts.
 */
export async function* readAhead<T>(reads: readonly (() => AsyncIterable<T>)[]): AsyncGenerator<T> {
  let ahead = started(reads[0]);
  for (let index = 1; ahead !== undefined; index += 1) {
    const current = ahead;
    ahead = started(reads[index]);
    let finished = false;
    try {
      for (let result = await current.first; result.done !== true; result = await current.iterator.next()) yield result.value;
      finished = true;
    } finally {
      // Left early or failed: both open reads are closed, so each gives its connection back.
      if (!finished) {
        await current.iterator.return?.();
        if (ahead !== undefined) await closed(ahead);
      }
    }
  }
}

interface StartedRead<T> {
  iterator: AsyncIterator<T>;
  first: Promise<IteratorResult<T>>;
}

function started<T>(read: (() => AsyncIterable<T>) | undefined): StartedRead<T> | undefined {
  if (read === undefined) return undefined;
  const iterator = read()[Symbol.asyncIterator]();
  const first = iterator.next();
  // Its failure is the caller's when its turn comes; until then it must not count as unhandled.
  first.catch(() => undefined);
  return { iterator, first };
}

/** A read started but never taken: its first item awaited (whatever it gave), then the read ended. */
async function closed<T>(read: StartedRead<T>): Promise<void> {
  await read.first.catch(() => undefined);
  await read.iterator.return?.().catch(() => undefined);
}
