import { describe } from 'vitest';
import { DOUBLE_MONEY_BOOKS, syncsFlavouredPanel } from './flavoured-panel-world.js';

/**
 * Five nights against a panel of the common docs template storing DOUBLE money (7-decimal text,
 * no currency anywhere, "Cancelled"): 0.0455223 is booked as 0.045522, 0.0000015 as 0.000002, the children are
 * found and charged on the night they appear, and the one micro-unit that rounding leaves on
 * 03-04 goes to the rounding account. Before, the first 7-decimal charge stopped the panel.
 */
describe('five nights against a Perfect Panel-style panel storing DOUBLE money', { timeout: 120_000 }, () => {
  syncsFlavouredPanel('perfectpanel', DOUBLE_MONEY_BOOKS);
});
