/** What one run booked on one account of one source: the exact net and the cents rendered for destinations. */
export interface AccountMovementRow {
  sourceId: string;
  account: string;
  currency: string;
  /** Debits − credits of the run's journal lines, micro-units. */
  exactMicros: bigint;
  /** Debits − credits of the run's rendered lines: what destinations receive (a `rounding` line has no exact twin). */
  cents: bigint;
}

/**
 * Sums movements per source, account and currency; `rows()` orders them by source, account, currency.
 * Example: add('smm', 'panel_prepaid', 'USD', -550000n, -55n) then add('smm', 'panel_prepaid', 'USD', -10000n, -1n)
 * gives one row { sourceId: 'smm', account: 'panel_prepaid', currency: 'USD', exactMicros: -560000n, cents: -56n }.
 */
export function accountMovementTable(): {
  add(sourceId: string, account: string, currency: string, exactMicros: bigint, cents: bigint): void;
  rows(): AccountMovementRow[];
} {
  const rows = new Map<string, AccountMovementRow>();
  return {
    add(sourceId, account, currency, exactMicros, cents) {
      const key = JSON.stringify([sourceId, account, currency]);
      let row = rows.get(key);
      if (row === undefined) {
        row = { sourceId, account, currency, exactMicros: 0n, cents: 0n };
        rows.set(key, row);
      }
      row.exactMicros += exactMicros;
      row.cents += cents;
    },
    rows: () =>
      [...rows.values()].sort(
        (a, b) => compare(a.sourceId, b.sourceId) || compare(a.account, b.account) || compare(a.currency, b.currency),
      ),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
