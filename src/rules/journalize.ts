import { LedgerIntegrityError } from '../errors.js';
import { unbalancedReason } from '../ledger/balance-check.js';
import type { EventKind } from '../ledger/event-kind.js';
import type { JournalEntry, JournalLine } from '../ledger/journal-entry.js';
import { allocate, numberText, parseScaled } from '../money/index.js';
import type { EventRule, EventRules, EventSide } from './event-rules.js';
import type { SourceEvent } from './source-event.js';

/** One entry per source per day (a settlement summary, the default), or one per event (DESIGN §5). */
export const GRANULARITIES = ['day', 'event'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface JournalizeOptions {
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
  const groups = new Map<string, SourceEvent[]>();
  for (const event of byDate) {
    const key = JSON.stringify([event.date, event.sourceId]);
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  return [...groups.values()]
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
  line: JournalLine;
  descriptions: Set<string>;
}

function summarize(events: readonly SourceEvent[], chart: EventRules): JournalLine[] {
  const totals = new Map<string, LineTotal>();
  for (const event of events) {
    if (event.amountMicros <= 0n) {
      throw new LedgerIntegrityError(`source event ${event.id} has amount ${event.amountMicros}; event amounts are positive magnitudes`);
    }
    const rule = chart[event.kind];
    const description = describe(event.kind, rule);
    const pieces = [...sideAmounts(rule.debit, event.amountMicros), ...sideAmounts(rule.credit, -event.amountMicros)];
    for (const { account, amountMicros } of pieces) {
      if (amountMicros === 0n) continue;
      const key = JSON.stringify([event.currency, account, amountMicros > 0n]);
      const total = totals.get(key);
      if (total) {
        total.line = { ...total.line, amountMicros: total.line.amountMicros + amountMicros };
        total.descriptions.add(description);
      } else {
        totals.set(key, { line: { account, currency: event.currency, amountMicros }, descriptions: new Set([description]) });
      }
    }
  }
  return [...totals.values()].map(({ line, descriptions }) => ({ ...line, description: [...descriptions].join('; ') }));
}

function sideAmounts(side: EventSide, amountMicros: bigint): { account: string; amountMicros: bigint }[] {
  if (typeof side === 'string') return [{ account: side, amountMicros }];
  // The loader writes every side as a list; a one-account list needs no allocation.
  if (side.length === 1) return [{ account: side[0]!.account, amountMicros }];
  const pieces = allocate(amountMicros, shareRatios(side.map((split) => split.share)));
  return side.map((split, index) => ({ account: split.account, amountMicros: pieces[index]! }));
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
  return [...counts].map(([kind, count]) => `${describe(kind, chart[kind])} ×${count}`).join(', ');
}

function checked(entry: JournalEntry): JournalEntry {
  const reason = unbalancedReason(entry);
  if (reason) throw new LedgerIntegrityError(`journal entry ${entry.id} cannot be made: it ${reason}`);
  return entry;
}
