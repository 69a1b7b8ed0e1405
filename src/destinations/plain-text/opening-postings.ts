/** One source's balance of one account in one currency before a window, exact: what the window opens with. */
export interface OpeningBalance {
  sourceId: string;
  account: string;
  currency: string;
  amountMicros: bigint;
}

/** A posting of the opening transaction: a source's account, or (sourceId undefined) the equity account it is against. */
export interface OpeningPosting {
  sourceId: string | undefined;
  account: string;
  currency: string;
  amountMicros: bigint;
}

/** The chart's types whose balances a window opens with; revenue and expense before the window are its retained result. */
const CARRIED_TYPES: ReadonlySet<string> = new Set(['asset', 'liability', 'equity']);

/**
 * The opening transaction of a window that starts after the books do (`export --from`), so that a plain-text
 * ledger of the window checks on its own: each balance-sheet account (asset, liability, equity) opens with its
 * balance before the window, and one posting per currency on the equity account `openingAccount` takes the rest,
 * the result of the entries before the window (their revenue and expense, closed into equity as an accountant's
 * opening balances are). Worked example, the month-end world before 03-15: panel_prepaid 246.80449,
 * payelancer_receivable 12.50, payelancer_prepaid −12.40 and opening_balance_equity −248.20 USD open as they are,
 * smm_services_expense, advertising_expense and ad_revenue do not, and the opening account takes
 * −(246.80449 + 12.50 − 12.40 − 248.20) = 1.29551 USD. Balances of zero open nothing; no balance, no transaction.
 */
export function openingPostings(
  balances: readonly OpeningBalance[],
  accountTypes: Readonly<Record<string, string>>,
  openingAccount: string,
): OpeningPosting[] {
  const carried = balances
    .filter((balance) => balance.amountMicros !== 0n && CARRIED_TYPES.has(accountTypes[balance.account] ?? 'asset'))
    .sort(
      (a, b) => compare(a.currency, b.currency) || compare(a.account, b.account) || compare(a.sourceId, b.sourceId),
    );
  const rest = new Map<string, bigint>();
  for (const balance of carried) rest.set(balance.currency, (rest.get(balance.currency) ?? 0n) - balance.amountMicros);
  const result: OpeningPosting[] = [...carried];
  for (const [currency, amountMicros] of rest)
    if (amountMicros !== 0n) result.push({ sourceId: undefined, account: openingAccount, currency, amountMicros });
  return result;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
