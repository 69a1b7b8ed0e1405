/** The write use cases of a person's word on the books: booking an adjusting entry (and approving one), and acknowledging a reconcile item. */
export type { Acknowledgements } from './acknowledgements.js';
export { acknowledgeItem } from './acknowledge-item.js';
export { approveAdjustment, bookAdjustment, type AdjustmentRequest } from './book-adjustment.js';
export { MAX_REASON_CHARACTERS } from './adjusting-entry.js';
export { acceptTransitItem } from './accept-transit-item.js';
export { acknowledgeListedItem } from './acknowledge-listed-item.js';
