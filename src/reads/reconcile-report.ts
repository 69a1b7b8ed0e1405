import { addDays } from '../calendar/index.js';
import { formatMicros, parseMicros } from '../money/index.js';
import {
  itemClass,
  listedOnceByKind,
  summedAmount,
  type FindingGroup as KindGroup,
  type ItemClass,
} from '../pipeline/runs/index.js';
import { closesAfterToday } from './future-closes.js';
import type { Acknowledgement, LedgerReads, SourceDate } from './books/ledger-reads.js';

/** An item a kind raises for reconcile (a panel's orders open too long, its proxy's adds), in reconcile's words. */
export type KindReconcileItem = Pick<
  ReconcileItem,
  'id' | 'kind' | 'source' | 'date' | 'amount' | 'currency' | 'ref' | 'message' | 'mayExplain'
>;

/**
 * What reconcile reads: the ledger's reads, and what the registered kinds raise (handed in by the command through
 * the registry, as a kind's records are its own to read): the items of each kind as of a day, and a source's orders
 * open too long; the kinds' words for their findings, which say which are information (the registry's
 * findingWords); and which finding kinds the orders learned after them explain (findingsSettled.byLateOrders).
 */
export interface ReconcileReads extends LedgerReads {
  /** The items every registered kind raises as of `asOf` (the registry's reconcileItems). */
  kindItems(asOf: string): Promise<KindReconcileItem[]>;
  /** A source's orders still open that the ledger first saw on or before `seenBy`, as items judged on `judgedOn`. */
  stuckOrders(sourceId: string, seenBy: string, judgedOn: string): Promise<KindReconcileItem[]>;
  readonly findingWords: Parameters<typeof itemClass>[1];
  /** The finding kinds the orders learned after a close may explain, in part or whole (a panel's balance fall). */
  readonly explainedByLateOrders: readonly string[];
}

/** A person's word on an item (`reconcile ack ID --note …`). */
export interface ItemAcknowledgement {
  by: string;
  at: string;
  /** The latest note anyone gave the item: an ack without a note keeps the earlier one (the history holds every word). */
  note: string | null;
}

/** One word in an item's history, oldest first: ack (with its note, if any) or unack. */
interface AcknowledgementWord {
  action: 'ack' | 'unack';
  by: string;
  at: string;
  note: string | null;
}

/** One thing for a person to look at (DESIGN §6 `reconcile --json`): amounts as decimal text. */
export interface ReconcileItem {
  /** Stable across runs: what `reconcile ack` names. */
  id: string;
  /** `action`: someone must look; `information`: booked and checked, listed for the record. */
  class: ItemClass;
  acknowledged: ItemAcknowledgement | null;
  /** Every ack and unack of the item, oldest first: acknowledgements are append-only. */
  history: AcknowledgementWord[];
  /**
   * What ledgerline found that explains the item (the orders behind a balance fall, say), or null: an
   * item with one is listed "explained by ledgerline", not "needs a person".
   */
  explanation: string | null;
  kind: string;
  source: string;
  date: string;
  amount: string | null;
  currency: string | null;
  ref: string;
  message: string;
  /** A group (id `findings:<source>:<kind>:<date>`): how many findings it lists once. */
  count?: number;
  /** A group: the file holding its findings' refs, one a line. */
  refsFile?: string;
  /** The finding this item may explain (an add without outcome: the fall its charge would have made). */
  mayExplain?: string;
}

export interface ReconcileReport {
  asOf: string;
  /** No action item is waiting for a person: every one is acknowledged, or there is none. */
  clean: boolean;
  /** Action items nobody has acknowledged. */
  open: number;
  items: ReconcileItem[];
}

type NewItem = Omit<ReconcileItem, 'class' | 'acknowledged' | 'history' | 'explanation'> & {
  explanation?: string | null;
  /** A balance fall the orders learned later explained whole: resolved by them, not by a person. */
  explainedByOrders?: true;
};

/**
 * A finding the orders learned after its close explained some of (a panel's balance fall,
 * src/kinds/panel/rules/balance-reconciliation.ts): explained whole, an item for the record
 * ("explained by orders 23501 (0.300000), 23502 (0.240000)"); in part, what is left, still an action item.
 */
function explainedFall(
  item: NewItem,
  fallMicros: bigint,
  explainedBy: readonly { orderId: string; amountMicros: bigint }[] | undefined,
): NewItem {
  if (explainedBy === undefined || explainedBy.length === 0) return item;
  const explained = explainedBy.reduce((sum, part) => sum + part.amountMicros, 0n);
  const orders = explainedBy.map((part) => `${part.orderId} (${formatMicros(part.amountMicros)})`).join(', ');
  if (explained >= fallMicros)
    return {
      ...item,
      explainedByOrders: true,
      explanation: `explained by orders ${orders}, learned after this close`,
      message: `${item.message}; explained by orders ${orders}, learned after this close`,
    };
  const left = fallMicros - explained;
  return {
    ...item,
    amount: formatMicros(left),
    message: `${item.message}; ${formatMicros(explained)} explained by orders ${orders}, ${formatMicros(left)} still unexplained`,
  };
}

/** How long each source's orders may stay open before reconcile lists them, by source id (its kind's report facts). */
export type StuckAfterDays = ReadonlyMap<string, number>;

/**
 * Everything open dated on or before `asOf`: the findings of the rules (balance moves, clawbacks, carried payouts,
 * unknown orders, computed refunds…), quarantined replies and webhooks, entries a destination refused, the items
 * the registered kinds raise (a panel's books against its reported balance, its proxy's adds without an answer),
 * and orders open longer than their source's stuckAfterDays (default 30) at its latest close. With
 * `findingsFolder`, more than LISTED_ONE_BY_ONE findings of a kind, source and day are listed once (listedOnceByKind).
 */
export async function reconcileReport(
  reads: ReconcileReads,
  asOf: string,
  today: string,
  stuckAfterDays: StuckAfterDays = new Map(),
  findingsFolder?: string,
): Promise<ReconcileReport> {
  const items: NewItem[] = [
    ...closeAfterTodayItems(await reads.latestCloseDates(), today),
    ...(await findingItems(reads, asOf)),
    ...(await quarantineItems(reads, asOf)),
    ...(await refusedEntryItems(reads, asOf)),
    ...(await reads.kindItems(asOf)),
    ...(await stuckOrderItems(reads, asOf, stuckAfterDays)),
  ];
  const histories = await reads.acknowledgementHistory();
  const listed =
    findingsFolder === undefined
      ? items
      : listedOnceByKind(items, (item) => item.source, findingsFolder).map((entry) =>
          'item' in entry ? entry.item : groupItem(entry.group),
        );
  const judged = listed.map(({ explainedByOrders, ...item }): ReconcileItem => ({
    ...item,
    class: explainedByOrders ? 'information' : itemClass(item.kind, reads.findingWords),
    ...wordsOn(histories, item.id),
    explanation: item.explanation ?? null,
  }));
  const open = judged.filter((item) => item.class === 'action' && item.acknowledged === null).length;
  return { asOf, clean: open === 0, open, items: judged };
}

function closeAfterTodayItems(closes: readonly SourceDate[], today: string): NewItem[] {
  return closesAfterToday(closes, today).map((close) => ({
    id: `close_after_today:${close.sourceId}:${close.date}`,
    kind: 'close_after_today',
    source: close.sourceId,
    date: close.date,
    amount: null,
    currency: null,
    ref: close.date,
    message: close.message,
  }));
}

/** The open findings; one the orders learned later may explain (a balance fall) carries what they explained of it. */
async function findingItems(reads: ReconcileReads, asOf: string): Promise<NewItem[]> {
  const items: NewItem[] = [];
  const explanations = await reads.fallExplanations(asOf);
  for await (const finding of reads.openFindings(asOf)) {
    const item: NewItem = {
      id: finding.id,
      kind: finding.kind,
      source: finding.sourceId,
      date: finding.date,
      amount: finding.amountMicros === null ? null : formatMicros(finding.amountMicros),
      currency: finding.currency,
      ref: finding.ref,
      message: finding.message,
    };
    items.push(
      reads.explainedByLateOrders.includes(finding.kind) && finding.amountMicros !== null
        ? explainedFall(item, finding.amountMicros, explanations.get(finding.id))
        : item,
    );
  }
  return items;
}

async function quarantineItems(reads: LedgerReads, asOf: string): Promise<NewItem[]> {
  const items: NewItem[] = [];
  for await (const kept of reads.openQuarantine(asOf)) {
    const where =
      kept.rawObservationId !== null
        ? `raw reply #${kept.rawObservationId}`
        : kept.webhookId !== null
          ? `webhook #${kept.webhookId}`
          : 'input';
    items.push({
      id: `quarantine:${kept.id}`,
      kind: 'quarantined_reply',
      source: kept.sourceId,
      date: kept.asOf,
      amount: null,
      currency: null,
      ref: kept.ref ?? where,
      message: `kept in quarantine (${where}): ${kept.reason}`,
    });
  }
  return items;
}

async function refusedEntryItems(reads: LedgerReads, asOf: string): Promise<NewItem[]> {
  const items: NewItem[] = [];
  for await (const refused of reads.refusedDeliveries(asOf)) {
    items.push({
      id: `refused:${refused.destination}:${refused.entryId}`,
      kind: 'refused_entry',
      source: refused.sourceId,
      date: refused.date,
      amount: null,
      currency: null,
      ref: refused.entryId,
      message: `${refused.destination} refused entry ${refused.entryId}: ${refused.lastError ?? 'no reason recorded'}`,
    });
  }
  return items;
}

/**
 * Orders open longer than their source's stuckAfterDays, judged at the source's latest close: an order placed 03-01
 * and still open at the close of 03-31 is listed (30 days), in the words of the kind whose books hold it.
 */
async function stuckOrderItems(
  reads: ReconcileReads,
  asOf: string,
  stuckAfterDays: StuckAfterDays,
): Promise<NewItem[]> {
  const items: NewItem[] = [];
  const lastCloseOf = new Map((await reads.latestCloseDates()).map((close) => [close.sourceId, close.date]));
  for (const [sourceId, days] of stuckAfterDays) {
    // Open "as the books know it": an order is judged at the source's latest close, not on a day no close has seen.
    const lastClose = lastCloseOf.get(sourceId);
    if (lastClose === undefined) continue;
    const judgedOn = lastClose < asOf ? lastClose : asOf;
    items.push(...(await reads.stuckOrders(sourceId, addDays(judgedOn, -days), judgedOn)));
  }
  return items;
}

function groupItem(group: KindGroup<NewItem>): NewItem {
  const first = group.members[0]!;
  const sum = summedAmount(group.members, (item) =>
    item.amount === null || item.currency === null
      ? undefined
      : { micros: parseMicros(item.amount), currency: item.currency },
  );
  return {
    ...first,
    id: group.id,
    amount: sum === undefined ? null : formatMicros(sum.micros),
    currency: sum?.currency ?? null,
    ref: group.refsFile,
    message: group.message,
    count: group.members.length,
    refsFile: group.refsFile,
  };
}

/** The words said on the item with this id, oldest first, and the state they leave it in (acknowledgementOf). */
export function wordsOn(
  histories: ReadonlyMap<string, readonly Acknowledgement[]>,
  itemId: string,
): Pick<ReconcileItem, 'acknowledged' | 'history'> {
  const history = (histories.get(itemId) ?? []).map((word) => ({
    action: word.action,
    by: word.user,
    at: word.at,
    note: word.note,
  }));
  return { acknowledged: acknowledgementOf(history), history };
}

/**
 * The state a history leaves an item in: acknowledged when its latest word is an ack, by whoever said it
 * then, with the latest note given in the history. Example: ack "bank transfer 4471" by ana, then ack
 * without a note by ben → acknowledged by ben, note "bank transfer 4471"; then unack → open (null).
 */
function acknowledgementOf(history: readonly AcknowledgementWord[]): ItemAcknowledgement | null {
  const latest = history.at(-1);
  if (latest?.action !== 'ack') return null;
  const note = history.findLast((word) => word.action === 'ack' && word.note !== null)?.note ?? null;
  return { by: latest.by, at: latest.at, note };
}

/** How the report and the console group items: what a person must do, what ledgerline explained, what a person acknowledged. */
const FINDING_GROUPS = ['needs-person', 'explained', 'acknowledged'] as const;
export type FindingGroup = (typeof FINDING_GROUPS)[number];

/**
 * An item's group: acknowledged once a person's latest word is an ack (whatever its class); otherwise
 * explained when it is information or ledgerline found its explanation; otherwise it needs a person.
 */
export function findingGroup(item: Pick<ReconcileItem, 'class' | 'acknowledged' | 'explanation'>): FindingGroup {
  if (item.acknowledged !== null) return 'acknowledged';
  if (item.class === 'information' || item.explanation !== null) return 'explained';
  return 'needs-person';
}
