/**
 * How a panel takes a batch status request: the seed's `action=multiStatus&orders=…`, or
 * `action=status&orders=…` as the widely used PHP client sends it. The client falls back
 * from the first to the second when refused; the caller keeps the one that worked.
 */
export const PANEL_BATCH_MODES = ['multiStatus', 'status-orders'] as const;
export type PanelBatchMode = (typeof PANEL_BATCH_MODES)[number];

/** The seed allows up to 100 ids per batch. */
export const PANEL_BATCH_LIMIT = 100;
