import { LedgerIntegrityError } from '../errors.js';
import { allocate, numberText, parseScaled } from '../money/index.js';
import type { EventRule, EventRules, EventSide } from './event-rules.js';
import { unbalancedReason } from './journal/balance-check.js';
import type { JournalEntry, JournalLine } from './journal/journal-entry.js';
import type { SourceEvent } from './source-event.js';
import type { EventKind, Granularity } from './vocabulary.js';

export interface JournalizeOptions {
  /** One entry per source per day (a settlement summary, the default), or one per event (DESIGN §5). */
  granularity: Granularity;
  /**
   * Ids of the entries the ledger already holds (at least those of the
   * sources and dates being journalized). Entries are immutable, so when a
   * re-run of a day finds a change, its events go into a revision entry:
   * "je:smm-panel:2026-03-02" exists → the new one is "je:smm-panel:2026-03-02:r2",
   * then ":r3", … Pass only events that are in no entry yet.
   */
  existingEntryIds?: ReadonlySet<string> | undefined;
}

/**
 * Source events → balanced journal entries. Each event makes its rule's
 * debit(s) and credit(s) for its amount; a split side is divided with
 * allocate, so 1.00 split 1:1:1 is 0.333334 + 0.333333 + 0.333333, exactly 1.00.
 *
 * In a daily entry, lines are summed per account, currency and direction:
 * three charges and a refund make "Dr smm_services_expense 2.70000,
 * Cr smm_services_expense 0.14130, Cr panel_prepaid 2.70000,
 * Dr panel_prepaid 0.14130". Debits are not netted against credits, so the
 * accountant reading the summary sees gross charges and refunds, one line
 * each, rather than a single net figure that hides them.
 */
export function journalize(events: readonly SourceEvent[], chart: EventRules, options: JournalizeOptions): JournalEntry[] {
  const existing = options.existingEntryIds ?? new Set<string>();
  const byDate = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (options.granularity === 'event') {
    return byDate.map((event) => {
      const id = `je:${event.id}`;
      if (existing.has(id)) throw new LedgerIntegrityError(`source event ${event.id} is already journalized (entry ${id})`);
      const rule = chart[event.kind];
      return checked({
        id,
        date: event.date,
        sourceId: event.sourceId,
        description: `${describe(event.kind, rule)}: ${event.ref}`,
        eventIds: [event.id],
        lines: summarize([event], chart),
      });
    });
  }
  // byDate is in date order, so each date's events are contiguous: only the sources of the current
  // date are looked up, not a key built or hashed per event (350,000 events in a 60-day backfill).
  const groups: SourceEvent[][] = [];
  let date: string | undefined;
  let groupsBySource = new Map<string, SourceEvent[]>();
  for (const event of byDate) {
    if (event.date !== date) {
      date = event.date;
      groupsBySource = new Map();
    }
    const group = groupsBySource.get(event.sourceId);
    if (group) group.push(event);
    else {
      const created = [event];
      groupsBySource.set(event.sourceId, created);
      groups.push(created);
    }
  }
  return groups
    .sort((a, b) => compareGroups(a[0]!, b[0]!))
    .map((group) => {
      const { sourceId, date } = group[0]!;
      return checked({
        id: freeEntryId(`je:${sourceId}:${date}`, existing),
        date,
        sourceId,
        description: `${sourceId} ${date}: ${countByKind(group, chart)}`,
        eventIds: group.map((event) => event.id),
        lines: summarize(group, chart),
      });
    });
}

function compareGroups(a: SourceEvent, b: SourceEvent): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0;
}

function freeEntryId(base: string, existing: ReadonlySet<string>): string {
  if (!existing.has(base)) return base;
  for (let revision = 2; ; revision += 1) {
    const id = `${base}:r${revision}`;
    if (!existing.has(id)) return id;
  }
}

interface LineTotal {
  account: string;
  currency: string;
  amountMicros: bigint;
  descriptions: Set<string>;
}

/**
 * Sums the events' pieces per currency, account and direction. It runs once per
 * event (350,000 times in a 60-day backfill), so totals are found through nested
 * Maps and added to in place, and the list keeps the order lines first appear in.
 */
function summarize(events: readonly SourceEvent[], chart: EventRules): JournalLine[] {
  const totals: LineTotal[] = [];
  const byCurrency = new Map<string, Map<string, { debit?: LineTotal; credit?: LineTotal }>>();
  const ratiosBySide = new Map<EventSide, bigint[]>();

  const add = (currency: string, account: string, amountMicros: bigint, description: string): void => {
    if (amountMicros === 0n) return;
    let byAccount = byCurrency.get(currency);
    if (byAccount === undefined) {
      byAccount = new Map();
      byCurrency.set(currency, byAccount);
    }
    let directions = byAccount.get(account);
    if (directions === undefined) {
      directions = {};
      byAccount.set(account, directions);
    }
    const direction = amountMicros > 0n ? 'debit' : 'credit';
    const total = directions[direction];
    if (total) {
      total.amountMicros += amountMicros;
      total.descriptions.add(description);
    } else {
      const created = { account, currency, amountMicros, descriptions: new Set([description]) };
      directions[direction] = created;
      totals.push(created);
    }
  };
  const addSide = (side: EventSide, currency: string, amountMicros: bigint, description: string): void => {
    if (typeof side === 'string') return add(currency, side, amountMicros, description);
    // The loader writes every side as a list; a one-account list needs no allocation.
    if (side.length === 1) return add(currency, side[0]!.account, amountMicros, description);
    let ratios = ratiosBySide.get(side);
    if (ratios === undefined) {
      ratios = shareRatios(side.map((split) => split.share));
      ratiosBySide.set(side, ratios);
    }
    const pieces = allocate(amountMicros, ratios);
    side.forEach((split, index) => add(currency, split.account, pieces[index]!, description));
  };

  for (const event of events) {
    if (event.amountMicros <= 0n) {
      throw new LedgerIntegrityError(`source event ${event.id} has amount ${event.amountMicros}; event amounts are positive magnitudes`);
    }
    const rule = chart[event.kind];
    const description = describe(event.kind, rule);
    addSide(rule.debit, event.currency, event.amountMicros, description);
    addSide(rule.credit, event.currency, -event.amountMicros, description);
  }
  return totals.map(({ account, currency, amountMicros, descriptions }) => ({ account, currency, amountMicros, description: [...descriptions].join('; ') }));
}

/**
 * Shares as integer ratios for allocate, read from their decimal text (never
 * through float arithmetic): [0.5, 0.25] → [50n, 25n]; [3n, 1] → [3n, 1n].
 */
function shareRatios(shares: readonly (bigint | number)[]): bigint[] {
  const texts = shares.map((share) => (typeof share === 'bigint' ? share.toString() : numberText(share)));
  const scale = Math.max(...texts.map((text) => text.split('.')[1]?.length ?? 0));
  return texts.map((text) => parseScaled(text, scale));
}

function describe(kind: EventKind, rule: EventRule): string {
  return rule.description ?? kind.replaceAll('_', ' ');
}

function countByKind(events: readonly SourceEvent[], chart: EventRules): string {
  const counts = new Map<EventKind, number>();
  for (const event of events) counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
  // A loop, not [...counts].map(…).join: that chain deoptimized on every one of a backfill's daily entries.
  const parts: string[] = [];
  for (const [kind, count] of counts) parts.push(`${describe(kind, chart[kind])} ×${count}`);
  return parts.join(', ');
}

function checked(entry: JournalEntry): JournalEntry {
  const reason = unbalancedReason(entry);
  if (reason) throw new LedgerIntegrityError(`journal entry ${entry.id} cannot be made: it ${reason}`);
  return entry;
}
