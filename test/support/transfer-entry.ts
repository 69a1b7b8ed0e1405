/**
 * A two-line USD entry moving `micros` from `credit` to `debit` on `date` for `sourceId`, described by its id: the
 * journal's reads are tested over entries of this shape (test/store/daily-movements, test/store/journal-reads).
 */
export function transferEntry(
  id: string,
  date: string,
  sourceId: string,
  debit: string,
  credit: string,
  micros: bigint,
) {
  return {
    id,
    date,
    sourceId,
    description: id,
    eventIds: [],
    lines: [
      { account: debit, currency: 'USD', amountMicros: micros },
      { account: credit, currency: 'USD', amountMicros: -micros },
    ],
  };
}
