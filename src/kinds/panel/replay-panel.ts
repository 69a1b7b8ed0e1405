import type { PanelSourceConfig } from './panel-config.js';
import { addDays } from '../../calendar/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { EventRules } from '../../rules/index.js';
import { PANEL_PREPAID_ACCOUNT } from './rules/panel-accounts.js';
import {
  addKnownOrderStates,
  enterWindow,
  panelReplayResult,
  replayPanelClose,
  resumePanelReplay,
  startPanelReplay,
  type PanelReplayInput,
  type PanelReplayResult,
  type ReplayedPanelClose,
} from './rules/panel-replay.js';
import { type OrderLedgerState } from './rules/order-ledger-state.js';
import { type PanelBalanceState } from './rules/balance-reconciliation.js';
import { readStoredPanelClose } from './stored-panel-close.js';
import { observationsOf, roundedFigures } from './panel-wire.js';
import type { ReplayedCloses, ReplayWindow } from '../../pipeline/backfill/index.js';
import type { BackfillBooksReads, LoggedClose } from '../../pipeline/backfill/index.js';
import { panelReads } from './books/panel-books.js';
import { noOrderFacts } from './books/order-history.js';

/** What a replay reads: the backfill's books, and the journal for the balances booked before the window. */
interface ReplayReader {
  books: BackfillBooksReads;
  ledger: Ledger;
}

interface ReplayedPanel extends ReplayedCloses, PanelReplayResult {
  /** Orders today's reader rejects in a stored reply that was read on the night (nothing is booked while there are any). */
  unreadable: { date: string; orderId: string; reason: string }[];
}

/**
 * Re-reads the committed panel closes up to the window's end from their stored
 * replies and folds them, in date order, through the rules' panel replay
 * (src/rules/panel/panel-replay.ts): this file reads, the fold computes. What
 * the window starts from (each order's state, the panel's balance state) is
 * read as the store kept it after the close before the window (see
 * keptStartState); a ledger that did not keep it then folds every close from
 * the first, and closes before the window only rebuild each order's state
 * (status, first charge, terminal or not). At the window's start each order's
 * booked net charge and panel_prepaid are what the ledger actually booked, so
 * the window's days are re-derived from the books as they stand, not from a
 * history the window does not correct. Example: order 23501 was booked at
 * 1.00 before the window and today's reader says 0.90; it is refunded in the
 * window: the replayed refund is 1.00, the amount the books hold, not 0.90.
 */
export async function replayPanelCloses(
  { books, ledger }: ReplayReader,
  source: PanelSourceConfig,
  options: { window: ReplayWindow; chart: EventRules; onClose?: ((date: string) => void) | undefined },
): Promise<ReplayedPanel> {
  const { window } = options;
  const closes = await balanceCloses(books, source.id, window.to);
  const firstInWindow = closes.find((close) => close.date >= window.from);
  const prepaidMicros = firstInWindow
    ? await prepaidBefore(ledger, source.id, firstInWindow.currency, window.from)
    : 0n;
  const kept = firstInWindow ? await keptStart(books, source.id, closes, window.from) : undefined;
  // From a kept start only the orders the window's closes poll are read (close by close); a fold reads every order.
  const facts = kept ? noOrderFacts() : await books.of(panelReads).readOrderFacts(source.id, undefined, noOrderFacts());
  const factsRead = new Set<string>();
  const input: PanelReplayInput = {
    sourceId: source.id,
    chart: options.chart,
    from: window.from,
    quantityOf: (orderId) => facts.quantities.get(orderId),
    placedOn: (orderId) => facts.placingDates.get(orderId),
    // Without a close in the window the fold never starts from the books; a kept start already holds them.
    booksBeforeWindow: {
      prepaidMicros,
      orderNetMicros:
        firstInWindow && !kept ? await storedOrderNet(books, source.id, { before: window.from }) : new Map(),
    },
  };
  const replay = kept
    ? resumePanelReplay({ closesSeen: kept.closesSeen, balance: kept.balance, prepaidMicros })
    : startPanelReplay();
  const unreadable: ReplayedPanel['unreadable'] = [];
  const dayBefore = addDays(window.from, -1);

  for (const close of kept ? closes.slice(kept.closesSeen) : closes) {
    const read = await readStoredClose(books, source, close);
    unreadable.push(...read.unreadable);
    if (kept) {
      const unknown = read.polled.filter((orderId) => !replay.states.has(orderId));
      addKnownOrderStates(replay, [...(await books.of(panelReads).orderStatesAsOf(source.id, dayBefore, unknown))]);
      const unread = read.polled.filter((orderId) => !factsRead.has(orderId));
      for (const orderId of unread) factsRead.add(orderId);
      await books.of(panelReads).readOrderFacts(source.id, unread, facts);
    }
    replayPanelClose(replay, input, read.close);
    options.onClose?.(close.date);
  }

  const bookedInWindow = await bookedOrderNetByDay(books, source.id, {
    from: window.from,
    before: addDays(window.to, 1),
  });
  return { sourceId: source.id, ...panelReplayResult(replay, bookedInWindow), unreadable };
}

/** How many closes replayPanelCloses re-reads for the window (for a progress bar). */
export async function panelClosesToReread(
  books: BackfillBooksReads,
  source: PanelSourceConfig,
  window: ReplayWindow,
): Promise<number> {
  const closes = await balanceCloses(books, source.id, window.to);
  const kept = closes.some((close) => close.date >= window.from)
    ? await keptStart(books, source.id, closes, window.from)
    : undefined;
  return closes.length - (kept?.closesSeen ?? 0);
}

/** What a replay of a window from `from` starts from: the closes before it, the panel's balance state and every order's state. */
export interface ReplayStartState {
  closesSeen: number;
  balance: PanelBalanceState | undefined;
  prepaidMicros: bigint;
  states: Map<string, OrderLedgerState>;
}

/**
 * The start state as the store kept it after the last close before `from`, or undefined when it did not keep
 * it (a ledger migrated after its first close, or no close before `from`): what a replay reads instead of
 * folding. foldedStartState is its check.
 */
export async function keptStartState(
  { books, ledger }: ReplayReader,
  source: PanelSourceConfig,
  from: string,
): Promise<ReplayStartState | undefined> {
  const closes = await balanceCloses(books, source.id, from);
  const kept = await keptStart(books, source.id, closes, from);
  if (!kept) return undefined;
  const states = await books.of(panelReads).orderStatesAsOf(source.id, addDays(from, -1));
  return { ...kept, prepaidMicros: await prepaidBefore(ledger, source.id, closes[0]!.currency, from), states };
}

/** The start state folded from the first close, as a replay without a kept start computes it, through the books' net charges. */
export async function foldedStartState(
  { books, ledger }: ReplayReader,
  source: PanelSourceConfig,
  chart: EventRules,
  from: string,
): Promise<ReplayStartState> {
  const closes = (await balanceCloses(books, source.id, from)).filter((close) => close.date < from);
  const facts = await books.of(panelReads).readOrderFacts(source.id, undefined, noOrderFacts());
  const input: PanelReplayInput = {
    sourceId: source.id,
    chart,
    from,
    quantityOf: (orderId) => facts.quantities.get(orderId),
    placedOn: (orderId) => facts.placingDates.get(orderId),
    booksBeforeWindow: {
      prepaidMicros: closes.length === 0 ? 0n : await prepaidBefore(ledger, source.id, closes[0]!.currency, from),
      orderNetMicros: await storedOrderNet(books, source.id, { before: from }),
    },
  };
  const replay = startPanelReplay();
  for (const close of closes) replayPanelClose(replay, input, (await readStoredClose(books, source, close)).close);
  enterWindow(replay, input);
  return {
    closesSeen: replay.closesSeen,
    balance: replay.balance,
    prepaidMicros: replay.prepaidMicros,
    states: replay.states,
  };
}

async function balanceCloses(books: BackfillBooksReads, sourceId: string, to: string): Promise<LoggedClose[]> {
  return (await books.loggedCloses(sourceId, to)).filter((close) => close.metric === 'balance');
}

function prepaidBefore(ledger: Ledger, sourceId: string, currency: string, from: string): Promise<bigint> {
  return ledger.balanceOf(PANEL_PREPAID_ACCOUNT, currency, { sourceId, asOf: addDays(from, -1) });
}

/**
 * The closes before `from` and the balance state kept after the last of them, when the store kept one after
 * it and after the source's first close (so it kept every order's state since).
 */
async function keptStart(
  books: BackfillBooksReads,
  sourceId: string,
  closes: readonly LoggedClose[],
  from: string,
): Promise<{ closesSeen: number; balance: PanelBalanceState } | undefined> {
  const inWindow = closes.findIndex((close) => close.date >= from);
  const closesSeen = inWindow === -1 ? closes.length : inWindow;
  if (closesSeen === 0) return undefined;
  const first = closes[0]!.date;
  const last = closes[closesSeen - 1]!.date;
  const balances = await books.of(panelReads).balanceStatesByClose(sourceId, [first, last]);
  const balance = balances.get(last);
  if (!balances.has(first) || balance === undefined) return undefined;
  return { closesSeen, balance };
}

/** One close re-read from its stored replies with today's reader: what the fold takes, the orders it polled and those today's reader rejects. */
async function readStoredClose(
  books: BackfillBooksReads,
  source: PanelSourceConfig,
  close: LoggedClose,
): Promise<{ close: ReplayedPanelClose; polled: string[]; unreadable: ReplayedPanel['unreadable'] }> {
  const what = `the close of ${close.date} (run ${close.runId})`;
  const { balance, polled, batch } = await readStoredPanelClose(
    { sourceId: source.id, url: source.url, what },
    await books.closeReplies(source.id, close.runId),
  );
  // The currency the close was taken in, not today's configuration.
  const currency = balance.currency ?? close.currency;
  const unreadable: ReplayedPanel['unreadable'] = [];
  for (const invalid of batch.invalid) {
    if (!(await books.of(panelReads).wasQuarantined(source.id, close.date, invalid.orderId)))
      unreadable.push({ date: close.date, orderId: invalid.orderId, reason: invalid.reason });
  }
  const ordersInFlight = (await books.of(panelReads).balanceStatesByClose(source.id, [close.date])).get(
    close.date,
  )?.ordersInFlight;
  return {
    polled,
    unreadable,
    close: {
      ...(ordersInFlight === undefined ? {} : { ordersInFlight }),
      closeId: close.closeId,
      date: close.date,
      currency,
      bookedBalanceMicros: close.valueMicros,
      reportedBalanceMicros: balance.balance,
      roundedFigures: roundedFigures(balance, batch),
      observations: observationsOf(polled, batch, currency).observations,
    },
  };
}

/** Charges less refunds per order booked before a date: stored events and earlier replays' corrections. */
async function storedOrderNet(
  books: BackfillBooksReads,
  sourceId: string,
  range: { before: string },
): Promise<Map<string, bigint>> {
  const net = new Map<string, bigint>();
  await books
    .of(panelReads)
    .forEachBookedOrderAmount(sourceId, { before: range.before }, (_date, orderId, amount) =>
      net.set(orderId, (net.get(orderId) ?? 0n) + amount),
    );
  return net;
}

/** Charges less refunds per day and order, as the books hold them: stored events plus earlier replays' corrections. */
async function bookedOrderNetByDay(
  books: BackfillBooksReads,
  sourceId: string,
  dates: { from?: string; before: string },
): Promise<Map<string, Map<string, bigint>>> {
  const byDay = new Map<string, Map<string, bigint>>();
  await books.of(panelReads).forEachBookedOrderAmount(sourceId, dates, (date, orderId, amount) => {
    let net = byDay.get(date);
    if (!net) byDay.set(date, (net = new Map()));
    net.set(orderId, (net.get(orderId) ?? 0n) + amount);
  });
  return byDay;
}
