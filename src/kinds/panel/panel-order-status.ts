import type { PanelStatusEntry } from './panel-wire.js';

/** What a status entry describes: drip-feed and subscription replies carry child orders and no charge. */
export const PANEL_STATUS_SHAPES = ['order', 'drip-feed', 'subscription'] as const;
export type PanelStatusShape = (typeof PANEL_STATUS_SHAPES)[number];

/**
 * One order as the panel reported it. Text stays as sent: normalising the status name
 * and `remains` ("+12", "-3", "Unknown") is the rules' job; only the charge is read, exactly.
 */
export interface PanelOrderStatus {
  orderId: string;
  shape: PanelStatusShape;
  /** "Partial", "In progress", "Cancelled" … as sent. */
  statusRaw: string;
  /** Micro-units: "0.27819" → 278190n. Absent for drip-feed and subscription replies. */
  charge?: bigint;
  /** The charge as sent, which shows the panel's precision. */
  chargeText?: string;
  /** False when the charge was finer than a micro-unit and rounded half-even. */
  chargeExact?: boolean;
  startCount?: string;
  remainsRaw?: string;
  currency?: string;
  /** Child order ids of a drip-feed or subscription; each is tracked as its own order. */
  childOrderIds?: string[];
  runs?: string;
  posts?: string;
  expiry?: string;
}

export function toPanelOrderStatus(orderId: string, entry: PanelStatusEntry): PanelOrderStatus {
  const shape: PanelStatusShape =
    entry.expiry !== undefined || entry.posts !== undefined
      ? 'subscription'
      : entry.runs !== undefined || entry.orders !== undefined
        ? 'drip-feed'
        : 'order';
  return {
    orderId,
    shape,
    statusRaw: entry.status,
    charge: entry.charge?.micros,
    chargeText: entry.charge?.text,
    chargeExact: entry.charge?.exact,
    startCount: entry.start_count,
    remainsRaw: entry.remains,
    currency: entry.currency,
    childOrderIds: entry.orders,
    runs: entry.runs,
    posts: entry.posts,
    expiry: entry.expiry,
  };
}
