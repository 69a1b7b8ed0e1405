import type { FiledPeriodLock } from '../errors.js';
import type { FiledReturn } from '../ledger/index.js';
import { addDays } from '../rules/index.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import type { FiledReturnTable } from './schema-tax.js';

/** The tax returns `vat file` marked filed (migration 0036), as read, and as the lock they are on the journal. */

/** Every filed return, oldest period first. */
export async function filedReturns(store: LedgerStore): Promise<FiledReturn[]> {
  const rows = await store.all(queryBuilder(store).selectFrom('filed_returns').selectAll().orderBy('period_end'));
  return rows.map(filedReturnOf);
}

/** The filed periods as the journal's lock reads them, oldest first: 2026-Q1 filed → through 2026-03-31, open from 2026-04-01. */
export async function filedPeriodLocks(store: LedgerStore): Promise<FiledPeriodLock[]> {
  return (await filedReturns(store)).map((filed) => ({
    period: filed.period,
    periodEnd: filed.to,
    filedAt: filed.filedAt,
    filedBy: filed.filedBy,
    openFrom: addDays(filed.to, 1),
  }));
}

function filedReturnOf(row: FiledReturnTable): FiledReturn {
  return {
    period: row.period,
    from: row.period_start,
    to: row.period_end,
    form: row.form,
    currency: row.currency,
    boxes: JSON.parse(row.boxes) as Record<string, string>,
    returnSha256: row.return_sha256,
    filedAt: row.filed_at,
    filedBy: row.filed_by,
  };
}
