import { daysBetween } from '../../../calendar/index.js';
import type { OrderLedgerState } from './order-ledger-state.js';

/** How long an order the panel calls unknown keeps being asked about (DESIGN §4, configurable). */
export const DEFAULT_UNKNOWN_RETENTION_DAYS = 7;

/**
 * Whether the sync as of `date` should ask the panel about this order.
 * Open orders: yes. Terminal orders: no. An order answered unknown on
 * 2026-03-01 is asked about again through 2026-03-08 with the default 7 days
 * (daysBetween ≤ 7), then no more; if it answers again some day, it is an
 * order like any other.
 */
export function shouldRepoll(
  state: Pick<OrderLedgerState, 'terminal' | 'unknownSince'>,
  date: string,
  unknownRetentionDays: number,
): boolean {
  if (state.unknownSince !== undefined) return daysBetween(state.unknownSince, date) <= unknownRetentionDays;
  return !state.terminal;
}
