import { assertNever } from '../../../rules/index.js';

/**
 * Panels spell the same status many ways ("In progress", "in_progress",
 * "Cancelled", "Refunded"). normalizeStatus("In progress") === "open",
 * normalizeStatus("Cancelled") === "canceled", normalizeStatus("Paused") === "unknown".
 * An unknown status is kept raw by the caller, treated as open and reported.
 */
export const ORDER_STATUSES = ['open', 'completed', 'partial', 'canceled', 'failed', 'unknown'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const STATUS_BY_KEY: ReadonlyMap<string, OrderStatus> = new Map([
  ['pending', 'open'],
  ['processing', 'open'],
  ['inprogress', 'open'],
  ['active', 'open'],
  ['completed', 'completed'],
  ['complete', 'completed'],
  ['done', 'completed'],
  ['partial', 'partial'],
  ['canceled', 'canceled'],
  ['cancelled', 'canceled'],
  ['cancel', 'canceled'],
  ['refunded', 'canceled'],
  ['rejected', 'canceled'],
  ['failed', 'failed'],
  ['fail', 'failed'],
]);

const SEPARATORS = /[\s_-]+/g;

/**
 * Statuses already normalized, by raw text. This runs once per observation (1M
 * times in a backfill) while a panel writes a handful of spellings; the cap
 * keeps a panel that puts free text in its status from growing it for ever.
 */
const STATUS_BY_RAW = new Map<string, OrderStatus>();
const STATUS_BY_RAW_LIMIT = 1000;

export function normalizeStatus(raw: string): OrderStatus {
  const cached = STATUS_BY_RAW.get(raw);
  if (cached !== undefined) return cached;
  const status = STATUS_BY_KEY.get(raw.toLowerCase().replace(SEPARATORS, '')) ?? 'unknown';
  if (STATUS_BY_RAW.size >= STATUS_BY_RAW_LIMIT) STATUS_BY_RAW.clear();
  STATUS_BY_RAW.set(raw, status);
  return status;
}

/** Terminal orders are never polled again (DESIGN §4); Completed is terminal because packages refund at completion. */
export function isTerminalStatus(status: OrderStatus): boolean {
  switch (status) {
    case 'completed':
    case 'partial':
    case 'canceled':
    case 'failed':
      return true;
    case 'open':
    case 'unknown':
      return false;
    default:
      return assertNever(status);
  }
}
