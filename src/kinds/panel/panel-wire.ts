import { z } from 'zod';
import {
  optionalWireAmount,
  optionalWireId,
  optionalWireInfo,
  optionalWireText,
  wireAmount,
  wireId,
  wireText,
} from '../../http/index.js';

/** action=balance: {"balance": "100.84292", "currency": "USD"}; some panels send a number and no currency. */
export const PanelBalanceReplySchema = z.object({ balance: wireAmount, currency: optionalWireText }).loose();

/** One entry of action=services; `rate` is the price per 1000 (a flat price for package types). */
export const PanelServiceSchema = z
  .object({
    service: wireId,
    name: wireText,
    type: optionalWireText,
    rate: wireAmount,
    min: optionalWireText,
    max: optionalWireText,
    category: optionalWireText,
  })
  .loose();
export const PanelServicesReplySchema = z.array(PanelServiceSchema);

/**
 * One order's status, alone (action=status) or as a value of a batch reply. Everything but
 * `status` may be absent: drip-feed replies are {status, runs, orders}, subscriptions
 * {status, expiry, posts, orders}, and some panels send "remains": "Unknown" or no currency.
 */
export const PanelStatusEntrySchema = z
  .object({
    status: wireText.refine((text) => text.trim() !== '', 'empty status'),
    charge: optionalWireAmount,
    start_count: optionalWireInfo,
    remains: optionalWireText,
    currency: optionalWireText,
    runs: optionalWireInfo,
    orders: z.array(wireId).optional(),
    expiry: optionalWireInfo,
    posts: optionalWireInfo,
    order: optionalWireId,
  })
  .loose();
export type PanelStatusEntry = z.infer<typeof PanelStatusEntrySchema>;

/** action=add: {"order": 23501} */
export const PanelAddReplySchema = z.object({ order: wireId }).loose();

/** action=cancel: [{"order": 9, "cancel": {"status": "success"} | 1}, {"order": 2, "error": "Incorrect order ID"}] */
export const PanelCancelReplySchema = z.array(
  z.object({ order: wireId, cancel: z.unknown().optional(), error: z.unknown().optional() }).loose(),
);
