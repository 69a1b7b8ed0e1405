import { describe } from 'vitest';
import { DOUBLE_MONEY_BOOKS, syncsFlavouredPanel } from './flavoured-panel-world.js';

/**
 * Five nights against a SmartPanel-style panel (errors inside HTTP 200, PHP numbers, DOUBLE
 * money): 0.0455223 is booked as 0.045522, 1.5e-6 as 0.000002, the subscription's children are
 * found and charged on the night they appear, and the one micro-unit that rounding leaves on
 * 03-04 goes to the rounding account. Before, the first 7-decimal charge stopped the panel.
 */
describe('five nights against a SmartPanel-style panel', { timeout: 120_000 }, () => {
  syncsFlavouredPanel('smartpanel', DOUBLE_MONEY_BOOKS);
});
