import { formatCents } from '../../money/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { RenderedEntry } from '../../rules/index.js';
import type { Conversion, DestinationClient, DestinationLimits, UnfitAccounts } from '../../destinations/index.js';
import type { DeliveryWindow, PostSelectionReads } from './books/post-outbox.js';
import { lockedRefusal, selectForPost, type RefusedEntry } from './post-selection.js';
import { plannedLineTaxes, type PlannedLineTax } from './plan-line-taxes.js';

interface AccountTotal {
  account: string;
  currency: string;
  /** Exact cents as decimal text, e.g. "1234.56". */
  debit: string;
  credit: string;
  debitCents: string;
  creditCents: string;
}

export interface PostPlan {
  destination: string;
  dryRun: true;
  window: DeliveryWindow;
  lockDate: string | undefined;
  /** Entries that would be sent, in book order (date, source, id); one in a foreign currency with the rate it would go out at and its source. */
  entries: {
    id: string;
    date: string;
    description: string;
    conversion?: Conversion;
    /** With a tax section: each line's code and tax as it goes out (plan-line-taxes.ts); absent without one. */
    taxLines?: PlannedLineTax[];
  }[];
  /** Deliveries an earlier run left open: looked up first, sent again only if the destination lacks them. */
  toResolve: string[];
  toSkip: string[];
  toRefuse: RefusedEntry[];
  /** Debits and credits per ledger account of the entries that would be sent. */
  totals: AccountTotal[];
  calls: { reads: number; writes: number; total: number };
  forecast: {
    requestsPerMinute: number;
    writesPerMinute: number | undefined;
    requestsPerDay: number | undefined;
    /** Whole minutes the calls take at the per-minute limits, at least. */
    minutesAtLimit: number;
    /** Share of the daily allowance, in percent with one decimal, when the destination has one. */
    percentOfDay: string | undefined;
  };
}

/**
 * What `post` would do, without writing anything anywhere: it reads the
 * ledger and the destination's lock date (which may renew a token) and counts
 * the calls the run would make against the destination's limits.
 */
export async function planPost(options: {
  ledger: Ledger;
  outbox: PostSelectionReads;
  client: DestinationClient;
  window?: DeliveryWindow;
  unfitAccounts?: UnfitAccounts;
}): Promise<PostPlan> {
  const { ledger, outbox, client } = options;
  const window = options.window ?? {};
  const selection = await selectForPost(ledger, outbox, client, window, options.unfitAccounts);
  const lockDate = await client.lockDate();
  const tax = await client.taxSetup?.();
  const toRefuse = selection.fresh.flatMap(
    (entry) => selection.invalid.get(entry.id) ?? lockedRefusal(client.name, entry, lockDate) ?? [],
  );
  const refusedIds = new Set(toRefuse.map((refusal) => refusal.entryId));
  const toSend = selection.fresh.filter((entry) => !refusedIds.has(entry.id));
  const perRequest = client.limits.entriesPerRequest;
  const lookups = selection.unresolved.reduce((sum, group) => sum + Math.ceil(group.entries.length / perRequest), 0);
  const requests = Math.ceil(toSend.length / perRequest);
  // What reading the destination's settings took here (Xero: organisation with its lock date, accounts, tax rates,
  // tracking: 4), which the post reads again, a look-up per open request (and at most one resend of each), and the
  // look-up of each request's journal numbers before it leaves: Xero, 2 entries in 1 request, 4 + 0 + 1 = 5 reads.
  const reads = client.callCounts().reads + lookups + requests;
  const writes = requests + lookups;
  return {
    destination: client.kind,
    dryRun: true,
    window,
    lockDate,
    entries: toSend.map((entry) => {
      const conversion = client.conversion(entry);
      return {
        id: entry.id,
        date: entry.date,
        description: entry.description,
        ...(conversion === undefined ? {} : { conversion }),
        ...(tax === undefined ? {} : { taxLines: plannedLineTaxes(entry, tax) }),
      };
    }),
    toResolve: selection.unresolved.flatMap((group) => group.entries.map((entry) => entry.id)),
    toSkip: selection.empty.map((entry) => entry.id),
    toRefuse,
    totals: await accountTotals(toSend),
    calls: { reads, writes, total: reads + writes },
    forecast: forecast(client.limits, reads, writes),
  };
}

/** Sums per account and currency: Dr 1.57 and Dr 2.00 on one account → debit "3.57". */
function accountTotals(entries: readonly RenderedEntry[]): AccountTotal[] {
  const sums = new Map<string, { account: string; currency: string; debit: bigint; credit: bigint }>();
  for (const entry of entries) {
    for (const line of entry.lines) {
      const key = `${line.account}\u0000${line.currency}`;
      const sum = sums.get(key) ?? { account: line.account, currency: line.currency, debit: 0n, credit: 0n };
      if (line.cents > 0n) sum.debit += line.cents;
      else sum.credit -= line.cents;
      sums.set(key, sum);
    }
  }
  return [...sums.values()]
    .sort((a, b) =>
      a.account === b.account ? a.currency.localeCompare(b.currency) : a.account.localeCompare(b.account),
    )
    .map((sum) => ({
      account: sum.account,
      currency: sum.currency,
      debit: formatCents(sum.debit),
      credit: formatCents(sum.credit),
      debitCents: sum.debit.toString(),
      creditCents: sum.credit.toString(),
    }));
}

/** 21 calls at 60 a minute take at least 1 minute and use 0.4 % of 5000 a day. */
function forecast(limits: DestinationLimits, reads: number, writes: number): PostPlan['forecast'] {
  const total = reads + writes;
  const minutes = Math.max(
    Math.ceil(total / limits.requestsPerMinute),
    limits.writesPerMinute === undefined ? 0 : Math.ceil(writes / limits.writesPerMinute),
  );
  return {
    requestsPerMinute: limits.requestsPerMinute,
    writesPerMinute: limits.writesPerMinute,
    requestsPerDay: limits.requestsPerDay,
    minutesAtLimit: minutes,
    percentOfDay: limits.requestsPerDay === undefined ? undefined : percentText(total, limits.requestsPerDay),
  };
}

/** 21 of 5000 → "0.4": tenths, rounded half up, in whole numbers. */
function percentText(part: number, whole: number): string {
  const tenths = Math.floor((part * 1000 + Math.floor(whole / 2)) / whole);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}
