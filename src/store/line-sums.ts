import { sql, type Compilable, type Kysely } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import type { LedgerDatabase } from './schema.js';

/** The journal's lines, exact (micro-units), for a total of debits and credits. */
const EXACT_LINES = { table: 'journal_lines', amount: 'amount_micros' } as const;
/** The same lines as rendered for the destinations, in whole cents, stored with the lines (migration 0015; null on older entries' lines). */
const CENTS_WITH_THEIR_LINES = { table: 'journal_lines', amount: 'cents' } as const;
/** Rendered cents kept apart: rounding lines, and every rendered line of an entry booked before migration 0015. */
const CENT_LINES_APART = { table: 'rendered_lines', amount: 'cents' } as const;
export type SummedLines = typeof EXACT_LINES | typeof CENTS_WITH_THEIR_LINES | typeof CENT_LINES_APART;

/** A query over `lines`' table as `t`, typed as journal_lines: the columns named through it (entry_id, account, currency) are the same in both. */
export function selectLines(db: Kysely<LedgerDatabase>, lines: SummedLines) {
  return db.selectFrom(`${lines.table} as t` as 'journal_lines as t');
}

/** The sums of `lines`' positive amounts (`debit`) and of its negative ones negated (`credit`). */
export function debitCreditSums(lines: SummedLines) {
  const signed = sql.ref(`t.${lines.amount}`);
  return [sql<bigint>`SUM(CASE WHEN ${signed} > 0 THEN ${signed} ELSE 0 END)`.as('debit'), sql<bigint>`SUM(CASE WHEN ${signed} < 0 THEN -${signed} ELSE 0 END)`.as('credit')] as const;
}

/** Debits and credits of some lines, exact and as rendered in cents. */
export interface DebitCreditTotals {
  debitMicros: bigint;
  creditMicros: bigint;
  /** The same lines as rendered for the destinations, in whole cents. */
  debitCents: bigint;
  creditCents: bigint;
}

/**
 * The exact and the cent sums that `sums` selects, merged into one row per group: `groupOf` gives a summed
 * line's group (the row's other columns); a group only one side has keeps 0 on the other.
 */
export async function exactAndCentTotals<Line extends { debit: bigint; credit: bigint }, Group extends object>(
  store: LedgerStore,
  sums: (lines: SummedLines) => Compilable<Line>,
  groupOf: (line: Line) => Group,
): Promise<(Group & DebitCreditTotals)[]> {
  const rows = new Map<string, Group & DebitCreditTotals>();
  const rowFor = (line: Line): Group & DebitCreditTotals => {
    const group = groupOf(line);
    const key = JSON.stringify(Object.values(group));
    let row = rows.get(key);
    if (!row) {
      row = { ...group, debitMicros: 0n, creditMicros: 0n, debitCents: 0n, creditCents: 0n };
      rows.set(key, row);
    }
    return row;
  };
  for await (const line of store.iterate(sums(EXACT_LINES))) {
    const row = rowFor(line);
    row.debitMicros += BigInt(line.debit);
    row.creditMicros += BigInt(line.credit);
  }
  for (const centLines of [CENTS_WITH_THEIR_LINES, CENT_LINES_APART]) {
    for await (const line of store.iterate(sums(centLines))) {
      const row = rowFor(line);
      row.debitCents += BigInt(line.debit);
      row.creditCents += BigInt(line.credit);
    }
  }
  return [...rows.values()];
}
