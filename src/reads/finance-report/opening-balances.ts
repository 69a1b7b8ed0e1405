import { daysBetween } from '../../calendar/index.js';
import { renderedTotals } from '../../rules/index.js';
import type { AccountMovement, LedgerReads } from '../books/ledger-reads.js';

/**
 * What each source's accounts held before `from`, exact and in cents, as one row per source, account and
 * currency with its net on one side (debit when positive, credit when negative): the window's opening
 * balances. The lines on the nearer side of `from` are read: near the ledger's start those before it; near
 * its end the running totals less the lines dated `from` or later, so the console's last month on a year's
 * ledger reads a month of lines, not eleven. Both give the same nets (test/pipeline/finance-report).
 */
export async function openingBalances(
  reads: Pick<LedgerReads, 'movementsBefore' | 'movementsFrom' | 'allRunningTotals'>,
  from: string,
  span: { first: string; last: string } | null,
  /** What is dated `from` or later, when the caller has read it (a window to the last entry): not read again. */
  fromOn?: readonly AccountMovement[],
): Promise<AccountMovement[]> {
  if (span === null || from <= span.first) return [];
  if (daysBetween(span.first, from) <= daysBetween(from, span.last)) return netRows(await reads.movementsBefore(from));
  const later = fromOn ?? (await reads.movementsFrom(from));
  const nets = new Map<string, { row: AccountMovement; micros: bigint; cents: bigint }>();
  const netOf = (sourceId: string, account: string, currency: string) => {
    const key = JSON.stringify([sourceId, account, currency]);
    let net = nets.get(key);
    if (net === undefined) {
      net = {
        row: {
          date: null,
          sourceId,
          account,
          currency,
          debitMicros: 0n,
          creditMicros: 0n,
          debitCents: 0n,
          creditCents: 0n,
        },
        micros: 0n,
        cents: 0n,
      };
      nets.set(key, net);
    }
    return net;
  };
  for (const total of renderedTotals(await reads.allRunningTotals())) {
    const net = netOf(total.sourceId, total.account, total.currency);
    net.micros += total.exactMicros;
    net.cents += total.cents;
  }
  for (const row of later) {
    const net = netOf(row.sourceId, row.account, row.currency);
    net.micros -= row.debitMicros - row.creditMicros;
    net.cents -= row.debitCents - row.creditCents;
  }
  return ordered([...nets.values()].map(({ row, micros, cents }) => sided(row, micros, cents)));
}

function netRows(rows: readonly AccountMovement[]): AccountMovement[] {
  return ordered(rows.map((row) => sided(row, row.debitMicros - row.creditMicros, row.debitCents - row.creditCents)));
}

function sided(row: AccountMovement, micros: bigint, cents: bigint): AccountMovement {
  return {
    date: null,
    sourceId: row.sourceId,
    account: row.account,
    currency: row.currency,
    debitMicros: micros > 0n ? micros : 0n,
    creditMicros: micros < 0n ? -micros : 0n,
    debitCents: cents > 0n ? cents : 0n,
    creditCents: cents < 0n ? -cents : 0n,
  };
}

/** Rows with nothing held are left out; the rest in source, account, currency order. */
function ordered(rows: AccountMovement[]): AccountMovement[] {
  return rows
    .filter((row) => row.debitMicros + row.creditMicros + row.debitCents + row.creditCents !== 0n)
    .sort(
      (a, b) =>
        a.sourceId.localeCompare(b.sourceId) ||
        a.account.localeCompare(b.account) ||
        a.currency.localeCompare(b.currency),
    );
}
