/** At most `limit` calls at once; the rest queue in order. */
export interface InFlightLimit {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createInFlightLimit(limit: number): InFlightLimit {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`an in-flight limit must be a whole number ≥ 1, got ${limit}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(work) {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active += 1;
      try {
        return await work();
      } finally {
        // The slot passes straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
        const next = waiting.shift();
        if (next) next();
        else active -= 1;
      }
    },
  };
}
