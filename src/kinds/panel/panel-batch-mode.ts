/**
 * How a panel takes a status request for many orders: the seed's `action=multiStatus&orders=…`,
 * `action=status&orders=…` as the widely used PHP client sends it, or, on scripts that answer
 * neither (multiStatus gives a bare `null`, status&orders "Order not found."), one
 * `action=status&order=ID` per order, as those scripts' own cron polls. The client falls back
 * in that order when refused; the caller keeps the one that worked. Single polling costs a
 * request per open order: 1,000 open orders are 1,000 requests a night, not 10.
 */
export const PANEL_BATCH_MODES = ['multiStatus', 'status-orders', 'single'] as const;
export type PanelBatchMode = (typeof PANEL_BATCH_MODES)[number];

/** The seed allows up to 100 ids per batch. */
export const PANEL_BATCH_LIMIT = 100;
