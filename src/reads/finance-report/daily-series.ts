import { formatCents, formatMicros } from '../../money/index.js';
import type { AccountMovement, DrawnDays } from '../books/ledger-reads.js';

/** Which accounts each summary figure reads, from the chart's journal rules (so a re-mapped chart still adds up). */
export interface SummaryAccounts {
  /** Debited by a panel charge or an advertiser's spend. */
  spent: ReadonlySet<string>;
  /** Credited by a panel refund or an advertiser credit. */
  refunded: ReadonlySet<string>;
  /** Credited by publisher earnings (and debited by a clawback). */
  earned: ReadonlySet<string>;
  /** Debited by a payout. */
  paidOut: ReadonlySet<string>;
}

export interface SeriesInput {
  /** Every day of the window, in order. */
  days: readonly string[];
  /** Totals of everything before the window (AccountMovement.date null). */
  opening: readonly AccountMovement[];
  /** The window's totals per source, account and currency (AccountMovement.date null). */
  totals: readonly AccountMovement[];
  /** Per-day totals inside the window: at least the rows `drawnDays` names. */
  movements: readonly AccountMovement[];
  /** Each panel's balance as its close of a day reported it. */
  reportedBalances: readonly { sourceId: string; date: string; valueMicros: bigint; currency: string }[];
  panelIds: readonly string[];
  /** Ad-network sources with their payout minimum; those holding a receivable are the publishers. */
  payoutMinimums: ReadonlyMap<string, bigint>;
  /**
   * The chart account each source's kind holds its money in, by source id (the registry's report facts): the
   * running balance a panel's or a publisher's chart draws (panel_prepaid, payelancer_receivable).
   */
  balanceAccounts: ReadonlyMap<string, string>;
  accounts: SummaryAccounts;
}

/** One source's money in one currency: earnings net of clawbacks, spend, refunds and payouts, in cents. */
interface SourceMoney {
  sourceId: string;
  currency: string;
  earned: bigint;
  spent: bigint;
  refunded: bigint;
  paidOut: bigint;
}

/** A SourceMoney as rendered for the destinations (decimal text). */
export type SourceFigures = { [Figure in keyof SourceMoney]: string };

/** One source's period in cents as rendered for the destinations (decimal text). */
interface SourceSummary extends SourceFigures {
  /** Each account's net (debit − credit) at the end of the window. */
  balances: { account: string; netCents: string }[];
}

/** Exact decimal text for the balances, cents text for the day's charges and refunds. */
export interface PanelDay {
  date: string;
  /** The balance the panel reported at that day's close; null when no close was taken that day. */
  reported: string | null;
  /** The ledger's balance account (panel_prepaid) at the end of the day. */
  ledger: string;
  charges: string;
  refunds: string;
}

export interface PanelSeries {
  sourceId: string;
  currency: string;
  days: PanelDay[];
}

interface PublisherDay {
  date: string;
  /** The receivable at the end of the day, exact. */
  receivable: string;
  /** What was paid out that day, exact; null on a day without a payout. */
  paidOut: string | null;
}

export interface PublisherSeries {
  sourceId: string;
  currency: string;
  minimum: string;
  days: PublisherDay[];
}

/** One source's money on one day: what a night's sync booked. */
interface SourceDay extends SourceFigures {
  date: string;
}

export interface ReportSeries {
  summaries: SourceSummary[];
  /** The window's last NIGHTS days, newest first, per source that booked anything that day. */
  nights: SourceDay[];
  panels: PanelSeries[];
  publishers: PublisherSeries[];
}

/**
 * The page's figures from per-day totals: each source's period summary, and
 * the running balances a chart draws. Example: panel_prepaid opens at 79.10,
 * a day debits 0.14130 and credits 0.04551 → the ledger line reads 79.19579
 * that day; 0.90 charged (debit on smm_services_expense) shows as charges 0.90.
 */
export function reportSeries(input: SeriesInput): ReportSeries {
  const byDay = new Map<string, AccountMovement[]>();
  for (const row of input.movements) {
    if (row.date === null) continue;
    const rows = byDay.get(row.date) ?? [];
    rows.push(row);
    byDay.set(row.date, rows);
  }
  return {
    summaries: summaries(input),
    nights: nightsOf(input, byDay),
    panels: input.panelIds.flatMap((sourceId) => panelSeries(sourceId, input, byDay)),
    publishers: [...input.payoutMinimums].flatMap(([sourceId, minimum]) =>
      publisherSeries(sourceId, minimum, input, byDay),
    ),
  };
}

const keyOf = (...parts: string[]) => JSON.stringify(parts);

/** How many of the window's last days the nights table shows. */
const NIGHTS = 7;

/**
 * The per-day rows the series read: every source's on the last NIGHTS days, before them only the accounts the
 * charts draw of the panels and publishers; the summaries read the window's totals. Example: a year to
 * 2025-12-31 whose sources are neither → the rows dated 2025-12-25 to 12-31, a week of rows instead of 365 days.
 */
export function drawnDays(
  input: Pick<SeriesInput, 'days' | 'panelIds' | 'payoutMinimums' | 'balanceAccounts' | 'accounts'>,
): DrawnDays {
  const { accounts } = input;
  const sourceIds = [...new Set([...input.panelIds, ...input.payoutMinimums.keys()])];
  return {
    allFrom: input.days[Math.max(0, input.days.length - NIGHTS)] ?? '',
    sourceIds,
    accounts: [
      ...new Set([
        ...sourceIds.flatMap((sourceId) => input.balanceAccounts.get(sourceId) ?? []),
        ...accounts.spent,
        ...accounts.refunded,
        ...accounts.paidOut,
      ]),
    ],
  };
}

/** Example: 03-31 booked publisher earnings 1.00 and a 60.00 payout → ads-publisher earned 1.00, paid out 60.00 that day. */
function nightsOf(input: SeriesInput, byDay: ReadonlyMap<string, AccountMovement[]>): SourceDay[] {
  return input.days
    .slice(-NIGHTS)
    .reverse()
    .flatMap((date) => {
      const sources = new Map<string, SourceMoney>();
      for (const row of byDay.get(date) ?? []) addMoney(entryFor(sources, row, noMoney), row, input.accounts);
      return inListedOrder(sources.values()).map((day) => ({ date, ...figuresOf(day) }));
    });
}

function summaries(input: SeriesInput): SourceSummary[] {
  const totals = new Map<string, SourceMoney & { nets: Map<string, bigint> }>();
  const totalFor = (row: AccountMovement) => {
    const total = entryFor(totals, row, () => ({ ...noMoney(row), nets: new Map<string, bigint>() }));
    total.nets.set(row.account, (total.nets.get(row.account) ?? 0n) + row.debitCents - row.creditCents);
    return total;
  };
  for (const row of input.opening) totalFor(row);
  for (const row of input.totals) addMoney(totalFor(row), row, input.accounts);
  return inListedOrder(totals.values()).map((total) => ({
    ...figuresOf(total),
    balances: [...total.nets]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([account, net]) => ({ account, netCents: formatCents(net) })),
  }));
}

/** The entry of the row's source and currency in `sums`, made by `empty` the first time the pair is seen. */
function entryFor<Money>(
  sums: Map<string, Money>,
  row: AccountMovement,
  empty: (row: AccountMovement) => Money,
): Money {
  const key = keyOf(row.sourceId, row.currency);
  const found = sums.get(key);
  if (found !== undefined) return found;
  const made = empty(row);
  sums.set(key, made);
  return made;
}

function noMoney(row: AccountMovement): SourceMoney {
  return { sourceId: row.sourceId, currency: row.currency, earned: 0n, spent: 0n, refunded: 0n, paidOut: 0n };
}

/** What a row adds to its source's money: the chart's rules say which accounts each figure reads. */
function addMoney(money: SourceMoney, row: AccountMovement, accounts: SummaryAccounts): void {
  if (accounts.earned.has(row.account)) money.earned += row.creditCents - row.debitCents;
  if (accounts.spent.has(row.account)) money.spent += row.debitCents;
  if (accounts.refunded.has(row.account)) money.refunded += row.creditCents;
  if (accounts.paidOut.has(row.account)) money.paidOut += row.debitCents;
}

/** By source, then currency: the order the page lists them in. */
function inListedOrder<Money extends SourceMoney>(sums: Iterable<Money>): Money[] {
  return [...sums].sort((a, b) => a.sourceId.localeCompare(b.sourceId) || a.currency.localeCompare(b.currency));
}

function figuresOf(money: SourceMoney): SourceFigures {
  return {
    sourceId: money.sourceId,
    currency: money.currency,
    earned: formatCents(money.earned),
    spent: formatCents(money.spent),
    refunded: formatCents(money.refunded),
    paidOut: formatCents(money.paidOut),
  };
}

/** The account a charted source's running balance is kept in: its kind declares one, or the source has no chart. */
function balanceAccountOf(sourceId: string, input: SeriesInput): string {
  const account = input.balanceAccounts.get(sourceId);
  if (account === undefined) throw new Error(`source ${sourceId} is charted but its kind declares no balance account`);
  return account;
}

/** One series per currency the source's balance account is kept in. */
function currenciesOf(sourceId: string, account: string, input: SeriesInput, extra: readonly string[] = []): string[] {
  const currencies = new Set(extra);
  for (const row of [...input.opening, ...input.totals])
    if (row.sourceId === sourceId && row.account === account) currencies.add(row.currency);
  return [...currencies].sort();
}

function openingNet(sourceId: string, account: string, currency: string, input: SeriesInput): bigint {
  let net = 0n;
  for (const row of input.opening)
    if (row.sourceId === sourceId && row.account === account && row.currency === currency)
      net += row.debitMicros - row.creditMicros;
  return net;
}

function panelSeries(
  sourceId: string,
  input: SeriesInput,
  byDay: ReadonlyMap<string, AccountMovement[]>,
): PanelSeries[] {
  const prepaid = balanceAccountOf(sourceId, input);
  const reported = input.reportedBalances.filter((close) => close.sourceId === sourceId);
  return currenciesOf(
    sourceId,
    prepaid,
    input,
    reported.map((close) => close.currency),
  ).map((currency) => {
    const reportedOn = new Map(
      reported.filter((close) => close.currency === currency).map((close) => [close.date, close.valueMicros]),
    );
    let ledger = openingNet(sourceId, prepaid, currency, input);
    const days = input.days.map((date): PanelDay => {
      let charges = 0n;
      let refunds = 0n;
      for (const row of byDay.get(date) ?? []) {
        if (row.sourceId !== sourceId || row.currency !== currency) continue;
        if (row.account === prepaid) ledger += row.debitMicros - row.creditMicros;
        if (input.accounts.spent.has(row.account)) charges += row.debitCents;
        if (input.accounts.refunded.has(row.account)) refunds += row.creditCents;
      }
      const close = reportedOn.get(date);
      return {
        date,
        reported: close === undefined ? null : formatMicros(close),
        ledger: formatMicros(ledger),
        charges: formatCents(charges),
        refunds: formatCents(refunds),
      };
    });
    return { sourceId, currency, days };
  });
}

function publisherSeries(
  sourceId: string,
  minimum: bigint,
  input: SeriesInput,
  byDay: ReadonlyMap<string, AccountMovement[]>,
): PublisherSeries[] {
  const owed = balanceAccountOf(sourceId, input);
  return currenciesOf(sourceId, owed, input).map((currency) => {
    let receivable = openingNet(sourceId, owed, currency, input);
    const days = input.days.map((date): PublisherDay => {
      let paidOut = 0n;
      for (const row of byDay.get(date) ?? []) {
        if (row.sourceId !== sourceId || row.currency !== currency) continue;
        if (row.account === owed) receivable += row.debitMicros - row.creditMicros;
        if (input.accounts.paidOut.has(row.account)) paidOut += row.debitMicros;
      }
      return { date, receivable: formatMicros(receivable), paidOut: paidOut === 0n ? null : formatMicros(paidOut) };
    });
    return { sourceId, currency, minimum: formatMicros(minimum), days };
  });
}
