import { formatMicros } from '../../../money/index.js';
import type { UnansweredAddReads } from '../books/proxy-books.js';

/** A reconcile item for an add the panel may have placed with no order id kept (see reconcile-report.ts). */
export interface UnansweredAddItem {
  id: string;
  kind: 'add_without_outcome';
  source: string;
  date: string;
  amount: null;
  currency: null;
  ref: string;
  message: string;
  /** The balance_fall finding the order may explain: that of the first close whose balance was read after the request. */
  mayExplain?: string;
}

/**
 * Each `add` the panel proxy forwarded with no outcome kept (killed while the panel held it) or an
 * unknown one: the panel may have placed and charged an order nobody can name. Linked to the fall
 * its charge would have made: the first close of the source whose balance read came after the request.
 * Example: a request at 17:25:48 for service 1 × 500, the close of 03-02 read the balance at 00:30 on
 * 03-03 and booked a fall of 0.45: "an order may have been placed at 17:25:48 for service 1 × 500 …;
 * it may explain the balance_fall of 2026-03-02 (0.45 USD)".
 */
export async function unansweredAddItems(reads: UnansweredAddReads, asOf: string): Promise<UnansweredAddItem[]> {
  const items: UnansweredAddItem[] = [];
  for (const request of await reads.unansweredAddRequests(asOf)) {
    const close = await reads.firstCloseAfter(request.sourceId, request.receivedAt);
    const what =
      `an order may have been placed at ${request.requestedAt.slice(11, 19)} for service ${request.service ?? '(none given)'} ` +
      `× ${request.quantity ?? '(none given)'}`;
    // No outcome kept: the proxy stopped, or it could not write the panel's answer (a full disk), when its log names the order.
    const why =
      request.detail ??
      `the proxy kept the request but stopped before the panel answered, or could not keep the answer ` +
        `(a full disk: its log then says ORDER NOT RECORDED with request ${request.requestId} and the order id)`;
    let link: string;
    if (close === undefined) link = `the next close of ${request.sourceId} will show whether its balance fell`;
    else if (close.fall === undefined)
      link = `the close of ${close.date} found no unexplained fall: the panel most likely did not place it`;
    else {
      const amount =
        close.fall.amountMicros === null
          ? ''
          : ` (${formatMicros(close.fall.amountMicros)}${close.fall.currency === null ? '' : ` ${close.fall.currency}`})`;
      link = `it may explain the balance_fall of ${close.date}${amount}, ${close.fall.id}`;
    }
    items.push({
      id: `add_without_outcome:${request.sourceId}:${request.requestId}`,
      kind: 'add_without_outcome',
      source: request.sourceId,
      date: request.requestedAt.slice(0, 10),
      amount: null,
      currency: null,
      ref: `add request ${request.requestId}`,
      message: `${what} (${why}); ${link}. Check the panel's orders of that time and add the order to an orders file if it was placed`,
      ...(close?.fall === undefined ? {} : { mayExplain: close.fall.id }),
    });
  }
  return items;
}
