import { addDays } from '../../calendar/index.js';
import type { CallBudget } from './call-budget.js';

/** Fresh entries one look-up asks about at most (post.ts LOOKUP_BATCH, or a request's size when larger). */
const LOOKUP_BATCH = 50;
/** A plan that would take longer than this many days says so instead of counting on. */
const MAX_DAYS = 3_660;

/** What a post needs per night: the reads of the organisation it starts with, then look-ups and requests. */
interface NightlyCalls {
  /** Reads before any entry is looked up (Xero: the organisation with its lock date, accounts, tax rates, tracking). */
  settingsReads: number;
  entriesPerRequest: number;
}

/** One night of a plan: the entries it sends, oldest first, and the calls it makes. */
interface PlannedNight {
  night: number;
  /** The UTC day it counts against (YYYY-MM-DD): today, then each next day. */
  day: string;
  entries: number;
  from: string;
  to: string;
  calls: number;
}

export interface BudgetPlan {
  callsNeeded: number;
  /** Today's calls left, the day's limit and when it resets; undefined for a destination without a daily limit. */
  budget: { left: number; perDay: number; resetsAt: string } | undefined;
  /** Nights it takes (today's included when it sends anything); null when a day's budget cannot carry one request. */
  days: number | null;
  nights: PlannedNight[];
}

/**
 * The entries to send (in book order: oldest first) split over nights inside the daily budget: each night makes its
 * settings reads, looks up what the destination already holds of the rest (a read per 50), and sends as many
 * requests as the calls left allow. Example: 365 entries, 5 a request, 40 calls a day, 1 settings read: the first
 * night reads 1 + 8 and sends 31 requests (155 entries), the second 1 + 5 and 34 (170), the third the last 40.
 */
export function planNights(
  entries: readonly { date: string }[],
  calls: NightlyCalls,
  budget: CallBudget | undefined,
  callsNeeded: number,
): BudgetPlan {
  const perRequest = Math.max(1, calls.entriesPerRequest);
  const batch = Math.max(perRequest, LOOKUP_BATCH);
  const nights: PlannedNight[] = [];
  let sent = 0;
  for (let dayIndex = 0; sent < entries.length && dayIndex < MAX_DAYS; dayIndex += 1) {
    const rest = entries.length - sent;
    const left = budget === undefined ? Infinity : dayIndex === 0 ? budget.left : budget.perDay;
    const reads = calls.settingsReads + Math.ceil(rest / batch);
    const requests = Math.min(Math.ceil(rest / perRequest), Math.max(0, left - reads));
    const count = Math.min(rest, requests * perRequest);
    if (count === 0 && dayIndex > 0) break;
    if (count === 0) continue;
    const [first, last] = [entries[sent]!, entries[sent + count - 1]!];
    const day = dayOf(budget, dayIndex);
    nights.push({
      night: nights.length + 1,
      day,
      entries: count,
      from: first.date,
      to: last.date,
      calls: reads + requests,
    });
    sent += count;
  }
  return {
    callsNeeded,
    budget: budget && { left: budget.left, perDay: budget.perDay, resetsAt: budget.resetsAt.toISOString() },
    days: sent < entries.length ? null : nights.length,
    nights,
  };
}

/** The UTC day of night `index` (0: today); '' without a budget (no daily limit: the one night is now). */
function dayOf(budget: CallBudget | undefined, index: number): string {
  return budget === undefined ? '' : addDays(budget.day, index);
}
