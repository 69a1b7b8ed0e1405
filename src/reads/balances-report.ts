import type { ChartAccount } from '../config/index.js';
import { formatCents, formatMicros } from '../money/index.js';
import type { AccountTotalsFilter, BalancePeriod, LedgerReads } from './books/ledger-reads.js';

/** Accounts whose movement over a period is the profit or loss. */
const PROFIT_AND_LOSS_TYPES: ReadonlySet<string> = new Set(['revenue', 'expense']);

export interface BalanceRow {
  period: string | null;
  account: string;
  name: string;
  type: string;
  currency: string;
  /** Exact decimal text; net is debit − credit. */
  debit: string;
  credit: string;
  net: string;
  /** As rendered for the destinations. */
  debitCents: string;
  creditCents: string;
  netCents: string;
}

interface BalanceTotals {
  period: string | null;
  currency: string;
  debit: string;
  credit: string;
  debitCents: string;
  creditCents: string;
  /**
   * Revenue and expense accounts' net, turned round so that a profit is
   * positive: revenue 61.00 (a credit) and expenses 7.7587 make 53.2413.
   */
  result: string;
  resultCents: string;
  /**
   * The trial balance as the report prints it: each account's net in the column it sits in, totalled. The
   * gross totals above add every line: an account debited 30.00 and credited 29.69 adds 30.00 and 29.69
   * there, and only 0.31 (debit) here.
   */
  netDebitCents: string;
  netCreditCents: string;
}

export interface BalancesReport {
  /** A trial balance at a date (everything up to `to`), or the movement over `from`…`to`. */
  kind: 'trial-balance' | 'movement';
  from: string | null;
  to: string | null;
  by: BalancePeriod | null;
  sourceId: string | null;
  rows: BalanceRow[];
  totals: BalanceTotals[];
}

/** Balances per account from the ledger, named and typed by the chart; the totals of each period and currency balance. */
export async function balancesReport(
  reads: LedgerReads,
  chart: Readonly<Record<string, ChartAccount>>,
  filter: AccountTotalsFilter,
): Promise<BalancesReport> {
  const rows: BalanceRow[] = [];
  const totals = new Map<string, PeriodTotal>();
  for (const row of await reads.accountTotals(filter)) {
    const account = chart[row.account];
    const type = account?.type ?? 'unknown';
    const net = row.debitMicros - row.creditMicros;
    const netCents = row.debitCents - row.creditCents;
    rows.push({
      period: row.period,
      account: row.account,
      name: account?.name ?? row.account,
      type,
      currency: row.currency,
      debit: formatMicros(row.debitMicros),
      credit: formatMicros(row.creditMicros),
      net: formatMicros(net),
      debitCents: formatCents(row.debitCents),
      creditCents: formatCents(row.creditCents),
      netCents: formatCents(netCents),
    });
    addToTotal(totals, row, PROFIT_AND_LOSS_TYPES.has(type));
  }
  return {
    kind: filter.from === undefined ? 'trial-balance' : 'movement',
    from: filter.from ?? null,
    to: filter.to ?? null,
    by: filter.by ?? null,
    sourceId: filter.sourceId ?? null,
    rows,
    totals: [...totals.values()].map(formattedTotal),
  };
}

/** One period's and currency's totals, summed exactly as the rows are read. */
interface PeriodTotal {
  period: string | null;
  currency: string;
  debit: bigint;
  credit: bigint;
  debitCents: bigint;
  creditCents: bigint;
  result: bigint;
  resultCents: bigint;
  netDebitCents: bigint;
  netCreditCents: bigint;
}

/** Adds an account's row to its period's and currency's totals; a profit-and-loss account's net moves the result. */
function addToTotal(
  totals: Map<string, PeriodTotal>,
  row: Awaited<ReturnType<LedgerReads['accountTotals']>>[number],
  profitAndLoss: boolean,
): void {
  const net = row.debitMicros - row.creditMicros;
  const netCents = row.debitCents - row.creditCents;
  const key = JSON.stringify([row.period, row.currency]);
  const total = totals.get(key) ?? {
    period: row.period,
    currency: row.currency,
    debit: 0n,
    credit: 0n,
    debitCents: 0n,
    creditCents: 0n,
    result: 0n,
    resultCents: 0n,
    netDebitCents: 0n,
    netCreditCents: 0n,
  };
  total.debit += row.debitMicros;
  total.credit += row.creditMicros;
  total.debitCents += row.debitCents;
  total.creditCents += row.creditCents;
  if (netCents > 0n) total.netDebitCents += netCents;
  else total.netCreditCents -= netCents;
  if (profitAndLoss) {
    total.result -= net;
    total.resultCents -= netCents;
  }
  totals.set(key, total);
}

/** The totals as the report shows them: micro-units and cents as decimal text. */
function formattedTotal(total: PeriodTotal): BalanceTotals {
  return {
    period: total.period,
    currency: total.currency,
    debit: formatMicros(total.debit),
    credit: formatMicros(total.credit),
    debitCents: formatCents(total.debitCents),
    creditCents: formatCents(total.creditCents),
    result: formatMicros(total.result),
    resultCents: formatCents(total.resultCents),
    netDebitCents: formatCents(total.netDebitCents),
    netCreditCents: formatCents(total.netCreditCents),
  };
}
