import { addDays } from '../../calendar/index.js';
import { createSystemClock } from '../../http/index.js';
import type { Ledger } from '../../ledger/index.js';
import {
  PAYELANCER_RECEIVABLE_ACCOUNT,
  addToDays,
  type CounterState,
  type FigureReread,
  type SourceEvent,
} from '../../rules/index.js';
import { storedRepliesHttp } from '../../sources/index.js';
import {
  replaceCounterState,
  type BackfillBooksTx,
  type ReplayedCloses,
  type ReplayWindow,
  type SourceReplayer,
} from '../../pipeline/backfill/index.js';
import { createPayelancerClient } from './payelancer-client.js';
import { PAYELANCER_KIND, asPayelancerSource, type PayelancerSourceConfig } from './payelancer-config.js';
import { payelancerCloseEvents, receivableEffect } from './rules/payelancer-close-events.js';

export interface ReplayedPayelancer extends ReplayedCloses {
  /** The counter as the window's last close re-reads it. */
  counter?: CounterState;
}

/**
 * Re-reads the window's committed ad-network closes from their stored
 * replies. The window starts from the books: the previous counter is the
 * value the books count from at the close before the window (what it
 * recorded, or what an earlier replay re-read), and a payout's receivable is
 * the ledger's as of the day before the window plus the window's re-derived
 * events. Example: 45.00 receivable booked by March 30th, window from March
 * 31st, whose close re-reads earnings 120.50 → 128.00: 7.50 earned, 52.50
 * owed at the month-end payout date, paid out whole.
 */
export async function replayPayelancerCloses(
  books: BackfillBooksTx,
  ledger: Ledger,
  source: PayelancerSourceConfig,
  options: { window: ReplayWindow; onClose?: ((date: string) => void) | undefined },
): Promise<ReplayedPayelancer> {
  const { window } = options;
  const closes = (await books.loggedCloses(source.id, window.to)).filter(
    (close) => close.metric === 'earnings' || close.metric === 'spent',
  );
  const before = closes.filter((close) => close.date < window.from).at(-1);
  let previous: CounterState | undefined = before && {
    role: before.metric === 'earnings' ? 'publisher' : 'advertiser',
    valueMicros: before.valueMicros,
    date: before.date,
  };
  const method = source.payouts.method;
  const replayed: SourceEvent[] = [];
  const days = new Map<string, SourceEvent[]>();
  const rereads: FigureReread[] = [];
  const inWindow = closes.filter((close) => close.date >= window.from);
  // Closes are read in the currency they were taken in, not today's configuration.
  const currency = inWindow[0]?.currency ?? '';
  const bookedBeforeWindow = await ledger.balanceOf(PAYELANCER_RECEIVABLE_ACCOUNT, currency, {
    sourceId: source.id,
    asOf: addDays(window.from, -1),
  });
  for (const close of inWindow) {
    const client = createPayelancerClient({
      sourceId: source.id,
      baseUrl: source.baseUrl,
      apiKey: '',
      http: storedRepliesHttp(
        source.id,
        `the close of ${close.date} (run ${close.runId})`,
        await books.closeReplies(source.id, close.runId),
      ),
      clock: createSystemClock(),
    });
    const stats = await client.stats();
    const rereadMicros = stats.role === 'publisher' ? stats.earningsMicros : stats.spentMicros;
    if (rereadMicros !== close.valueMicros)
      rereads.push({ closeId: close.closeId, date: close.date, bookedMicros: close.valueMicros, rereadMicros });
    const result = payelancerCloseEvents({
      source,
      date: close.date,
      currency: close.currency,
      previous,
      counter: { role: stats.role, valueMicros: rereadMicros },
      bookedReceivableAsOf: (date) =>
        bookedBeforeWindow +
        receivableEffect(
          replayed.filter((event) => event.date <= date),
          method,
        ),
      isSettled: (payoutDate) => payoutDate < window.from,
    });
    for (const event of result.events) replayed.push(event);
    addToDays(days, close.date, result.events);
    previous = result.next;
    options.onClose?.(close.date);
  }
  return {
    sourceId: source.id,
    days,
    closesInWindow: inWindow.length,
    rereads,
    ...(inWindow.length > 0 && previous ? { counter: previous } : {}),
  };
}

/** An ad network's closes re-read: its counter's figure in each stored reply, and the payouts it crossed. */
export const payelancerReplayer: SourceReplayer = {
  kind: PAYELANCER_KIND,
  closesToReplay: (books, source, window) => books.closeCount(source.id, { from: window.from, to: window.to }),
  async replay(run, source, options) {
    const adNetwork = asPayelancerSource(source);
    const replayed = await replayPayelancerCloses(run.books, run.ledger, adNetwork, options);
    const { counter } = replayed;
    return {
      ...replayed,
      orderCorrections: [],
      unreadable: [],
      adoptAsLive: async (tx, now) => {
        if (counter && replayed.rereads.length > 0) await replaceCounterState(tx, adNetwork.id, counter, now);
      },
    };
  },
};
