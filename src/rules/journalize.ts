import { LedgerIntegrityError } from '../errors.js';
import { allocate, numberText, parseScaled } from '../money/index.js';
import type { EventRule, EventRules, EventSide } from './event-rules.js';
import type { JournalEntry, JournalLine } from './journal/journal-entry.js';
import type { SourceEvent } from './source-event.js';
import type { EventKind, Granularity } from './vocabulary.js';
import type { RunningTotalMovement } from './journal/cent-rendering.js';
import { reversalLineDate } from './tax/reversal-dates.js';
import { withOriginalDate } from './tax/original-date.js';
import { bookTax, type TaxBook } from './tax/tax-booking.js';

interface JournalizeOptions {
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
  /** The chart's tax book (Chart.taxBook): each entry books the tax by it; without one, as before the chart had `tax:`. */
  tax?: TaxBook | undefined;
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
export function journalize(
  events: readonly SourceEvent[],
  chart: EventRules,
  options: JournalizeOptions,
): JournalEntry[] {
  const existing = options.existingEntryIds ?? new Set<string>();
  if (options.granularity === 'event') {
    const byDate = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return byDate.map((event) => {
      const id = `je:${event.id}`;
      if (existing.has(id))
        throw new LedgerIntegrityError(`source event ${event.id} is already journalized (entry ${id})`);
      const rule = ruleOf(chart, event);
      const lines = new LineSums(chart, options.tax);
      lines.add(event);
      return checked(
        bookTax(
          {
            id,
            date: event.date,
            sourceId: event.sourceId,
            description: `${describe(event.kind, rule)}: ${event.ref}`,
            eventIds: [event.id],
            lines: lines.lines(),
          },
          options.tax,
        ),
      );
    });
  }
  const draft = new JournalDraft(chart, options.granularity, options.tax);
  for (const event of events) draft.add(event);
  return draft.entries(existing);
}

/** One source's day in a daily journal, as its events are added. */
interface DayGroup {
  sourceId: string;
  date: string;
  eventIds: string[];
  lines: LineSums;
  counts: Map<EventKind, number>;
}

/**
 * journalize, an event at a time, for a close that books its events in chunks: a panel's first import
 * books 200,000 events into one daily entry, and a daily draft keeps of each only its id, its lines and
 * counts summed as it goes (an event-granularity draft keeps the events: each is an entry of its own).
 * `entries()` is exactly journalize(the events added, in the order added): each (date, source) group
 * keeps its events in the order added, and groups come out by date, then source.
 */
export class JournalDraft {
  private readonly held: SourceEvent[] = [];
  private readonly days = new Map<string, Map<string, DayGroup>>();
  private last: DayGroup | undefined;
  private count = 0;

  constructor(
    private readonly chart: EventRules,
    private readonly granularity: Granularity,
    private readonly tax: TaxBook | undefined,
  ) {}

  add(event: SourceEvent): void {
    this.count += 1;
    if (this.granularity === 'event') {
      this.held.push(event);
      return;
    }
    const group =
      this.last !== undefined && this.last.date === event.date && this.last.sourceId === event.sourceId
        ? this.last
        : this.groupOf(event);
    group.eventIds.push(event.id);
    group.lines.add(event);
    group.counts.set(event.kind, (group.counts.get(event.kind) ?? 0) + 1);
    this.last = group;
  }

  /** How many events were added. */
  get eventCount(): number {
    return this.count;
  }

  /** The dates the events fall on: a re-run of a day numbers its entries after those already booked on it. */
  dates(): string[] {
    return this.granularity === 'event' ? [...new Set(this.held.map((event) => event.date))] : [...this.days.keys()];
  }

  /** What the entries move `account` by in `currency` (debits positive): 2.70 charged and 0.14 refunded through panel_prepaid is −2.56. */
  netOf(account: string, currency: string): bigint {
    let net = 0n;
    for (const lines of this.lineSums()) net += lines.netOf(account, currency);
    return net;
  }

  entries(existingEntryIds: ReadonlySet<string>): JournalEntry[] {
    if (this.granularity === 'event')
      return journalize(this.held, this.chart, { granularity: 'event', existingEntryIds, tax: this.tax });
    const groups = [...this.days.values()].flatMap((bySource) => [...bySource.values()]).sort(compareGroups);
    return groups.map((group) =>
      checked(
        bookTax(
          {
            id: freeEntryId(`je:${group.sourceId}:${group.date}`, existingEntryIds),
            date: group.date,
            sourceId: group.sourceId,
            description: `${group.sourceId} ${group.date}: ${countByKind(group.counts, this.chart)}`,
            eventIds: group.eventIds,
            lines: group.lines.lines(),
          },
          this.tax,
        ),
      ),
    );
  }

  private *lineSums(): Generator<LineSums> {
    if (this.granularity === 'event') {
      const lines = new LineSums(this.chart, this.tax);
      for (const event of this.held) lines.add(event);
      yield lines;
      return;
    }
    for (const bySource of this.days.values()) for (const group of bySource.values()) yield group.lines;
  }

  private groupOf(event: SourceEvent): DayGroup {
    let bySource = this.days.get(event.date);
    if (bySource === undefined) {
      bySource = new Map();
      this.days.set(event.date, bySource);
    }
    let group = bySource.get(event.sourceId);
    if (group === undefined) {
      group = {
        sourceId: event.sourceId,
        date: event.date,
        eventIds: [],
        lines: new LineSums(this.chart, this.tax),
        counts: new Map(),
      };
      bySource.set(event.sourceId, group);
    }
    return group;
  }
}

function compareGroups(a: DayGroup, b: DayGroup): number {
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
 * Sums events' pieces per currency, account and direction. It takes each event
 * (350,000 in a 60-day backfill), so totals are found through nested Maps and
 * added to in place, and the list keeps the order lines first appear in. A
 * reversal whose original's date gives another tax rule than its own
 * (reversalLineDate) sums on a line of its own per original's date, its
 * description saying the date: "order refund (original of 2026-03-30)".
 */
class LineSums {
  private readonly totals: LineTotal[] = [];
  private readonly byCurrency = new Map<string, Map<string, { debit?: LineTotal; credit?: LineTotal }>>();
  private readonly ratiosBySide = new Map<EventSide, bigint[]>();
  constructor(
    private readonly chart: EventRules,
    private readonly tax: TaxBook | undefined,
  ) {}

  add(event: SourceEvent): void {
    if (event.amountMicros <= 0n) {
      throw new LedgerIntegrityError(
        `source event ${event.id} has amount ${event.amountMicros}; event amounts are positive magnitudes`,
      );
    }
    const rule = ruleOf(this.chart, event);
    const originalDate = reversalLineDate(event, this.tax);
    const description = describe(event.kind, rule);
    this.addSide(rule.debit, event.currency, event.amountMicros, description, originalDate);
    this.addSide(rule.credit, event.currency, -event.amountMicros, description, originalDate);
  }

  lines(): JournalLine[] {
    return this.totals.map(({ account, currency, amountMicros, descriptions }) => ({
      account,
      currency,
      amountMicros,
      description: [...descriptions].join('; '),
    }));
  }

  netOf(account: string, currency: string): bigint {
    const directions = this.byCurrency.get(currency)?.get(account);
    return (directions?.debit?.amountMicros ?? 0n) + (directions?.credit?.amountMicros ?? 0n);
  }

  private addSide(
    side: EventSide,
    currency: string,
    amountMicros: bigint,
    description: string,
    originalDate: string | undefined,
  ): void {
    if (typeof side === 'string') return this.addLine(currency, side, amountMicros, description, originalDate);
    // The loader writes every side as a list; a one-account list needs no allocation.
    if (side.length === 1) return this.addLine(currency, side[0]!.account, amountMicros, description, originalDate);
    let ratios = this.ratiosBySide.get(side);
    if (ratios === undefined) {
      ratios = shareRatios(side.map((split) => split.share));
      this.ratiosBySide.set(side, ratios);
    }
    const pieces = allocate(amountMicros, ratios);
    side.forEach((split, index) => this.addLine(currency, split.account, pieces[index]!, description, originalDate));
  }

  private addLine(
    currency: string,
    account: string,
    amountMicros: bigint,
    description: string,
    originalDate: string | undefined,
  ): void {
    if (amountMicros === 0n) return;
    let byAccount = this.byCurrency.get(currency);
    if (byAccount === undefined) {
      byAccount = new Map();
      this.byCurrency.set(currency, byAccount);
    }
    // A reversal of another rule's day sums apart on its coded line (see the class), keyed by its account and that day.
    const apart = originalDate !== undefined && this.tax?.chart.profitAndLoss.has(account) === true;
    const key = apart ? `${account} ${originalDate}` : account;
    const said = apart ? withOriginalDate(description, originalDate) : description;
    let directions = byAccount.get(key);
    if (directions === undefined) {
      directions = {};
      byAccount.set(key, directions);
    }
    const direction = amountMicros > 0n ? 'debit' : 'credit';
    const total = directions[direction];
    if (total) {
      total.amountMicros += amountMicros;
      total.descriptions.add(said);
    } else {
      const created = { account, currency, amountMicros, descriptions: new Set([said]) };
      directions[direction] = created;
      this.totals.push(created);
    }
  }
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

/** The chart in force has a rule for every built-in kind and every kind a configured source kind declares: a kind without one is a bug. */
function ruleOf(chart: EventRules, event: Pick<SourceEvent, 'id' | 'kind'>): EventRule {
  const rule = chart[event.kind];
  if (rule === undefined)
    throw new LedgerIntegrityError(
      `source event ${event.id} is of kind ${event.kind}, which has no journal rule in the chart in force`,
    );
  return rule;
}

function describe(kind: EventKind, rule: EventRule): string {
  return rule.description ?? kind.replaceAll('_', ' ');
}

function countByKind(counts: ReadonlyMap<EventKind, number>, chart: EventRules): string {
  // A loop, not [...counts].map(…).join: that chain deoptimized on every one of a backfill's daily entries.
  const parts: string[] = [];
  for (const [kind, count] of counts) parts.push(`${describe(kind, ruleOf(chart, { id: kind, kind }))} ×${count}`);
  return parts.join(', ');
}

function checked(entry: JournalEntry): JournalEntry {
  const reason = unbalancedReason(entry);
  if (reason) throw new LedgerIntegrityError(`journal entry ${entry.id} cannot be made: ${reason}`);
  return entry;
}

/**
 * Why an entry cannot be booked, as a clause about it ("it has…", "its line…"), or undefined when it can: at least two lines,
 * no zero line, and debits equal credits in every currency, to the micro-unit.
 * Dr 1.000000 USD, Cr 0.999990 USD → "its debits and credits differ by 10 micro-units of USD".
 */
export function unbalancedReason(entry: Pick<JournalEntry, 'lines'>): string | undefined {
  if (entry.lines.length < 2) return `it has ${entry.lines.length} line(s); an entry needs at least two`;
  const netByCurrency = new Map<string, bigint>();
  for (const [index, line] of entry.lines.entries()) {
    if (line.amountMicros === 0n) return `its line ${index + 1} (${line.account}) has a zero amount`;
    netByCurrency.set(line.currency, (netByCurrency.get(line.currency) ?? 0n) + line.amountMicros);
  }
  for (const [currency, net] of netByCurrency) {
    if (net !== 0n) return `its debits and credits differ by ${net} micro-units of ${currency}`;
  }
  return undefined;
}

/**
 * Why the running totals an append is about to advance would not balance, or undefined when they do: in every
 * currency the debits equal the credits, exactly in micro-units and in the cents rendered for destinations
 * (rounding lines included). Every entry balances on its own, so totals that do not are a bug in the append.
 * Example: expense Dr 1.234567 (123 cents), prepaid Cr 1.234567 (123 cents) balance; the same with the
 * prepaid's cents rendered as 122 and no rounding line → "its cents differ by 1 cent(s) of USD".
 */
export function unbalancedMovements(movements: Iterable<RunningTotalMovement>): string | undefined {
  const byCurrency = new Map<string, { micros: bigint; cents: bigint }>();
  for (const movement of movements) {
    const net = byCurrency.get(movement.currency) ?? { micros: 0n, cents: 0n };
    net.micros += movement.debitMicros - movement.creditMicros;
    net.cents += movement.debitCents - movement.creditCents;
    byCurrency.set(movement.currency, net);
  }
  for (const [currency, net] of byCurrency) {
    if (net.micros !== 0n) return `its exact debits and credits differ by ${net.micros} micro-units of ${currency}`;
    if (net.cents !== 0n) return `its cents differ by ${net.cents} cent(s) of ${currency}`;
  }
  return undefined;
}
