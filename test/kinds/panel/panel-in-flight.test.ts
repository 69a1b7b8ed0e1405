import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/logger.js';
import {
  ordersInFlightAt,
  PROXY_ANSWER_BOUND_MS,
  type InFlightWatch,
} from '../../../src/kinds/panel/panel-close-orders.js';
import { panelReads, type AddAcrossBalanceRead } from '../../../src/kinds/panel/books/panel-books.js';
import type { SyncBooksTx } from '../../../src/pipeline/sync/index.js';
import { DEFAULT_UPSTREAM_TIMEOUT_MS } from '../../../src/kinds/panel/proxy/panel-proxy.js';

const SENT = Date.parse('2026-03-02T02:00:00.000Z');
const read = { sentAt: SENT, arrivedAt: SENT + 400 };

/** A clock whose sleep moves now (no waiting), and books answering each look from a script of replies. */
function watchOver(
  looks: AddAcrossBalanceRead[][],
  proxyAnswering: () => boolean,
): { watch: InFlightWatch; asked: () => number; now: () => number } {
  let now = read.arrivedAt;
  let asked = 0;
  const panel = { addsAcrossBalanceRead: async () => looks[Math.min(asked++, looks.length - 1)]! };
  const books = { of: (open: unknown) => (open === panelReads ? panel : undefined) } as unknown as SyncBooksTx;
  const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
  return {
    watch: { books, sourceId: 'smm-panel', clock, logger: silentLogger, proxyAnswering },
    asked: () => asked,
    now: () => now,
  };
}

const heldAdd: AddAcrossBalanceRead = {
  receivedAt: new Date(SENT - 100).toISOString(),
  answered: false,
  orderId: null,
};
const answered = (orderId: string): AddAcrossBalanceRead => ({ ...heldAdd, answered: true, orderId });

describe('the orders in flight at a balance read', () => {
  it('are the orders the adds across the read placed; a refused add places none', async () => {
    const { watch } = watchOver([[answered('90003'), { ...heldAdd, answered: true, orderId: null }]], () => true);
    expect(await ordersInFlightAt(watch, read)).toEqual(new Set(['90003']));
  });

  it('an add the panel still holds is waited for while a proxy can answer it, until it is answered', async () => {
    const { watch, asked } = watchOver([[heldAdd], [heldAdd], [answered('90003')]], () => true);
    expect(await ordersInFlightAt(watch, read)).toEqual(new Set(['90003']));
    expect(asked()).toBe(3);
  });

  it('with no proxy left to answer it (killed mid-add) nothing is waited for', async () => {
    const { watch, asked } = watchOver([[heldAdd]], () => false);
    expect(await ordersInFlightAt(watch, read)).toEqual(new Set());
    expect(asked()).toBe(1);
  });

  it('an add never answered is waited for at most until the proxy would have given up on the panel', async () => {
    expect(PROXY_ANSWER_BOUND_MS).toBe(DEFAULT_UPSTREAM_TIMEOUT_MS);
    const { watch, now } = watchOver([[heldAdd]], () => true);
    expect(await ordersInFlightAt(watch, read)).toEqual(new Set());
    expect(now()).toBeGreaterThanOrEqual(Date.parse(heldAdd.receivedAt) + DEFAULT_UPSTREAM_TIMEOUT_MS);
    expect(now()).toBeLessThan(Date.parse(heldAdd.receivedAt) + DEFAULT_UPSTREAM_TIMEOUT_MS + 100);
  });
});
