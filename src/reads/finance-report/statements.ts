import type { AccountType, ChartAccount } from '../../config/index.js';
import { formatCents } from '../../money/index.js';

/** An account's lines summed, in the cents the destinations received (the figures `balances` prints). */
export interface AccountCents {
  account: string;
  currency: string;
  debitCents: bigint;
  creditCents: bigint;
}

/** One account on a statement: its chart name, its key (small print), and its amount with its natural sign. */
export interface StatementLine {
  account: string;
  name: string;
  type: AccountType | 'unknown';
  /** Natural sign: a revenue, a liability or equity is positive when it is a credit, an asset or an expense when a debit. */
  amount: string;
}

/** An account's balance in the column an accountant reads it in: one of debit and credit is empty. */
interface TrialBalanceLine {
  account: string;
  name: string;
  type: AccountType | 'unknown';
  /** debit − credit, as `balances --json` gives it in `netCents`. */
  net: string;
  debit: string | null;
  credit: string | null;
}

/** The three statements of one currency. */
export interface CurrencyStatements {
  currency: string;
  /** At the end of the window: everything dated up to `to` (as `balances --as-of TO`). */
  trialBalance: { lines: TrialBalanceLine[]; debitTotal: string; creditTotal: string };
  /** Over the window (as `balances --from FROM --to TO`): revenue − expenses = net result (a profit is positive). */
  profitAndLoss: {
    revenue: StatementLine[];
    revenueTotal: string;
    expenses: StatementLine[];
    expenseTotal: string;
    netResult: string;
  };
  /**
   * At the end of the window. Equity carries the results not closed into an equity account: the result
   * before the window and the window's net result, so that assets = liabilities + equity.
   */
  balanceSheet: {
    assets: StatementLine[];
    assetTotal: string;
    liabilities: StatementLine[];
    liabilityTotal: string;
    equity: StatementLine[];
    resultBefore: string;
    resultForPeriod: string;
    equityTotal: string;
    liabilitiesAndEquityTotal: string;
    /** Always true for a ledger whose every entry balances; said so the page can show it. */
    ties: boolean;
  };
}

const PROFIT_AND_LOSS: ReadonlySet<string> = new Set(['revenue', 'expense']);
/** Accounts kept on the credit side: their natural amount is credit − debit. */
const CREDIT_NATURE: ReadonlySet<string> = new Set(['revenue', 'liability', 'equity']);

/**
 * The trial balance and the balance sheet at the end of a window, and the profit and loss over it, per
 * currency, from the sums before the window (`before`) and inside it (`period`). Example: before the
 * window nothing; in it publisher earnings 61.00 (Dr receivable, Cr ad_revenue), a payout 60.00 (Dr
 * clearing, Cr receivable), SMM charges 0.76 (Dr expense, Cr panel_prepaid), an opening balance 99.10
 * (Dr panel_prepaid, Cr opening equity) → revenue 61.00, expenses 0.76, net result 60.24; assets
 * 1.00 + 60.00 + 98.34 = 159.34 = equity 99.10 + result 60.24.
 */
export function financialStatements(
  chart: Readonly<Record<string, ChartAccount>>,
  before: readonly AccountCents[],
  period: readonly AccountCents[],
): CurrencyStatements[] {
  const nets = { closing: netsOf([...before, ...period]), opening: netsOf(before), moved: netsOf(period) };
  const currencies = [...new Set([...nets.closing.keys()].map((key) => currencyOfKey(key)))].sort();
  return currencies.map((currency) => currencyStatements(chart, nets, currency));
}

/** The accounts of `nets` in `currency`, in name order. */
function accountsIn(nets: Map<string, bigint>, currency: string): string[] {
  return [...nets.keys()]
    .filter((key) => currencyOfKey(key) === currency)
    .map((key) => accountOfKey(key))
    .sort((a, b) => a.localeCompare(b));
}

/** The trial balance of one currency at the period's end: each account's net on its debit or credit side. */
function trialBalanceOf(
  chart: Readonly<Record<string, ChartAccount>>,
  closing: Map<string, bigint>,
  currency: string,
): CurrencyStatements['trialBalance'] {
  const accounts = accountsIn(closing, currency);
  const lines = accounts.map((account): TrialBalanceLine => {
    const net = closing.get(keyOf(account, currency)) ?? 0n;
    return {
      account,
      name: chart[account]?.name ?? account,
      type: chart[account]?.type ?? 'unknown',
      net: formatCents(net),
      debit: net > 0n ? formatCents(net) : null,
      credit: net < 0n ? formatCents(-net) : null,
    };
  });
  const debitTotal = accounts.reduce((sum, account) => sum + positive(closing.get(keyOf(account, currency)) ?? 0n), 0n);
  const creditTotal = accounts.reduce(
    (sum, account) => sum + positive(-(closing.get(keyOf(account, currency)) ?? 0n)),
    0n,
  );
  return { lines, debitTotal: formatCents(debitTotal), creditTotal: formatCents(creditTotal) };
}

/** One currency's statements: the trial balance at the end, the period's profit and loss, and the balance sheet that ties them. */
function currencyStatements(
  chart: Readonly<Record<string, ChartAccount>>,
  nets: { closing: Map<string, bigint>; opening: Map<string, bigint>; moved: Map<string, bigint> },
  currency: string,
): CurrencyStatements {
  const { closing, opening, moved } = nets;
  const typeOf = (account: string): AccountType | 'unknown' => chart[account]?.type ?? 'unknown';
  const line = (nets: Map<string, bigint>, account: string): StatementLine & { cents: bigint } => {
    const net = nets.get(keyOf(account, currency)) ?? 0n;
    const cents = CREDIT_NATURE.has(typeOf(account)) ? -net : net;
    return { account, name: chart[account]?.name ?? account, type: typeOf(account), amount: formatCents(cents), cents };
  };
  const pick = (nets: Map<string, bigint>, types: readonly string[]) =>
    accountsIn(nets, currency)
      .filter((account) => types.includes(typeOf(account)))
      .map((account) => line(nets, account));
  const resultOf = (nets: Map<string, bigint>) =>
    -accountsIn(nets, currency)
      .filter((account) => PROFIT_AND_LOSS.has(typeOf(account)))
      .reduce((sum, account) => sum + (nets.get(keyOf(account, currency)) ?? 0n), 0n);

  const revenue = pick(moved, ['revenue']);
  const expenses = pick(moved, ['expense']);
  const total = (lines: readonly { cents: bigint }[]) => lines.reduce((sum, entry) => sum + entry.cents, 0n);
  // An account outside the chart is kept with the assets on its debit sign, so the sheet still ties.
  const assets = pick(closing, ['asset', 'unknown']);
  const liabilities = pick(closing, ['liability']);
  const equity = pick(closing, ['equity']);
  const resultBefore = resultOf(opening);
  const resultForPeriod = resultOf(moved);
  const equityTotal = total(equity) + resultBefore + resultForPeriod;
  return {
    currency,
    trialBalance: trialBalanceOf(chart, closing, currency),
    profitAndLoss: {
      revenue: revenue.map(withoutCents),
      revenueTotal: formatCents(total(revenue)),
      expenses: expenses.map(withoutCents),
      expenseTotal: formatCents(total(expenses)),
      netResult: formatCents(total(revenue) - total(expenses)),
    },
    balanceSheet: {
      assets: assets.map(withoutCents),
      assetTotal: formatCents(total(assets)),
      liabilities: liabilities.map(withoutCents),
      liabilityTotal: formatCents(total(liabilities)),
      equity: equity.map(withoutCents),
      resultBefore: formatCents(resultBefore),
      resultForPeriod: formatCents(resultForPeriod),
      equityTotal: formatCents(equityTotal),
      liabilitiesAndEquityTotal: formatCents(total(liabilities) + equityTotal),
      ties: total(assets) === total(liabilities) + equityTotal,
    },
  };
}

const keyOf = (account: string, currency: string) => `${currency}\u0000${account}`;
const currencyOfKey = (key: string) => key.slice(0, key.indexOf('\u0000'));
const accountOfKey = (key: string) => key.slice(key.indexOf('\u0000') + 1);
const positive = (cents: bigint) => (cents > 0n ? cents : 0n);

function netsOf(rows: readonly AccountCents[]): Map<string, bigint> {
  const nets = new Map<string, bigint>();
  for (const row of rows) {
    const key = keyOf(row.account, row.currency);
    nets.set(key, (nets.get(key) ?? 0n) + row.debitCents - row.creditCents);
  }
  return nets;
}

function withoutCents({ account, name, type, amount }: StatementLine & { cents: bigint }): StatementLine {
  return { account, name, type, amount };
}
