/**
 * The write use cases of a person's word on the books: booking an adjusting entry (and approving one),
 * acknowledging a reconcile item or an exception-queue item, accepting a transit item, and filing a tax return.
 */
export { acknowledgeItem } from './acknowledge-item.js';
export { approveAdjustment, bookAdjustment, type AdjustmentRequest } from './book-adjustment.js';
export { fileTaxReturn } from './file-tax-return.js';
export { queueItem, sayOnQueueItem } from './exception-word.js';
export { acceptTransitItem } from './accept-transit-item.js';
export { acknowledgeListedItem } from './acknowledge-listed-item.js';
// The adjustments' books (./books/): each over the store's handle, opened by `books.of(…)`.
export { acknowledgementBooks } from './books/acknowledgement-books.js';
export { adjustmentBooks } from './books/adjustment-books.js';
export { exceptionWordBooks } from './books/exception-word-books.js';
export { filingBooks } from './books/filing-books.js';
