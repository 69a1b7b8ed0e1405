import { CallBudgetSpentError } from '../../errors.js';
import type { DestinationClient } from '../../destinations/index.js';
import type { PostOutbox } from './books/post-outbox.js';

const DAY_MS = 86_400_000;
/** The calls reading an organisation takes at most (Xero: the organisation, accounts, tax rates, tracking categories). */
const SETTINGS_READS = 4;

/**
 * One destination organisation's calls left for the UTC day, read before a post plans or sends: the vendor's last
 * remaining-call figure when it sent one (its word wins), else its daily limit less the calls the ledger counted.
 * Example: Xero, 5,000 a day, 4,212 counted and 780 reported left → 780 left, resetting at the next 00:00 UTC.
 */
export interface CallBudget {
  organisation: string;
  /** The UTC day (YYYY-MM-DD) the calls count against. */
  day: string;
  perDay: number;
  /** Calls left today when the post starts. */
  left: number;
  resetsAt: Date;
}

/** Today's budget of the client's organisation; undefined for a destination without a daily limit or a ledger without counters. */
export async function callBudgetToday(
  outbox: Pick<PostOutbox, 'callsUsed'>,
  client: Pick<DestinationClient, 'limits' | 'organisationId'>,
  nowMs: number,
): Promise<CallBudget | undefined> {
  const perDay = client.limits.requestsPerDay;
  const organisation = client.organisationId;
  if (perDay === undefined || organisation === undefined || outbox.callsUsed === undefined) return undefined;
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const used = await outbox.callsUsed(organisation, day);
  const left = used?.vendorRemaining ?? perDay - (used?.callsUsed ?? 0);
  const resetsAt = new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS);
  return { organisation, day, perDay, left: Math.max(0, left), resetsAt };
}

/**
 * The client a budgeted post sends through: each look-up and each request first checks a call is left (the budget
 * at the start less the calls made since, or the vendor's own figure once it answered), and refuses with
 * CallBudgetSpentError before anything leaves when none is. A request refused so was not sent: the post puts its
 * entries back and stops with everything delivered so far recorded. Calls still on their way are counted as spent.
 */
export function withinBudget(client: DestinationClient, budget: CallBudget): DestinationClient {
  const spentBefore = callsOf(client);
  let onTheirWay = 0;
  const left = (): number =>
    (client.vendorDayRemaining?.() ?? budget.left - (callsOf(client) - spentBefore)) - onTheirWay;
  const spend = async <T>(call: () => Promise<T>, calls = 1): Promise<T> => {
    if (left() < calls)
      throw new CallBudgetSpentError(client.name, budget.organisation, budget.perDay, budget.resetsAt);
    onTheirWay += 1;
    try {
      return await call();
    } finally {
      onTheirWay -= 1;
    }
  };
  return {
    ...client,
    lockDate: () => spend(() => client.lockDate()),
    organisation: () => spend(() => client.organisation(), SETTINGS_READS),
    findPosted: (entries) => spend(() => client.findPosted(entries)),
    send: (entries, requestKey) => spend(() => client.send(entries, requestKey)),
  };
}

/** Adds the calls the client made to its organisation's day, with the vendor's last remaining figure if it sent one. */
export async function recordCallsSpent(
  outbox: Pick<PostOutbox, 'unit'>,
  client: DestinationClient,
  budget: CallBudget,
  at: string,
): Promise<void> {
  const calls = callsOf(client);
  if (calls === 0) return;
  const used = { calls, vendorRemaining: client.vendorDayRemaining?.() };
  await outbox.unit((tx) => tx.recordCalls?.(budget.organisation, budget.day, used, at) ?? Promise.resolve());
}

function callsOf(client: Pick<DestinationClient, 'callCounts'>): number {
  const { reads, writes } = client.callCounts();
  return reads + writes;
}

/**
 * For a run that sends (the scheduled night): its client kept inside today's budget when the destination has a daily
 * limit, and `record`, which adds the calls it made to the day's counter as the run ends.
 */
export async function budgetedClient(
  outbox: Pick<PostOutbox, 'callsUsed' | 'unit'>,
  client: DestinationClient,
  nowMs: number,
): Promise<{ client: DestinationClient; record: (at: string) => Promise<void> }> {
  const budget = await callBudgetToday(outbox, client, nowMs);
  if (budget === undefined) return { client, record: async () => undefined };
  return { client: withinBudget(client, budget), record: (at) => recordCallsSpent(outbox, client, budget, at) };
}
