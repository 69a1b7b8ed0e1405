import { proRata } from '../src/money/index.js';

/**
 * How the simulated panel moves money when an order's status changes. The
 * refund always equals what ledgerline computes (DESIGN §4), so a sandbox
 * balance and a correct ledger agree to the micro-unit.
 */

/**
 * `lowerCharge`: on Partial/Canceled the panel lowers the reported `charge` to
 * what it kept (SmartPanel). `keepCharge`: `charge` stays as billed and only
 * `remains` tells. In both the refund is credited to the balance.
 */
export const REFUND_MODES = ['lowerCharge', 'keepCharge'] as const;
export type RefundMode = (typeof REFUND_MODES)[number];

export const STATUS_CLASSES = ['open', 'completed', 'partial', 'voided'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

const STATUS_CLASS_BY_NAME: Readonly<Record<string, StatusClass>> = {
  pending: 'open',
  processing: 'open',
  inprogress: 'open',
  active: 'open',
  completed: 'completed',
  complete: 'completed',
  done: 'completed',
  partial: 'partial',
  canceled: 'voided',
  cancelled: 'voided',
  cancel: 'voided',
  refunded: 'voided',
  rejected: 'voided',
  failed: 'voided',
  fail: 'voided',
};

/** Status texts already classified; a world uses a handful, and a status reply classifies each order's twice or more. */
const CLASS_OF_TEXT = new Map<string, StatusClass>();
const MAX_REMEMBERED_TEXTS = 1000;

/** "In progress", "in_progress" and "INPROGRESS" are one status; an unknown one moves no money. */
export function statusClass(status: string): StatusClass {
  const remembered = CLASS_OF_TEXT.get(status);
  if (remembered !== undefined) return remembered;
  const kind = STATUS_CLASS_BY_NAME[status.toLowerCase().replace(/[\s_-]+/g, '')] ?? 'open';
  if (CLASS_OF_TEXT.size < MAX_REMEMBERED_TEXTS) CLASS_OF_TEXT.set(status, kind);
  return kind;
}

/**
 * The undelivered quantity that `remains` stands for: "+12" or "-12" mean
 * over-delivery (0), more than ordered is clamped to the quantity, and text
 * that is no number ("Unknown") refunds nothing.
 */
export function undeliveredQuantity(remains: string, quantity: number): number {
  const text = remains.trim();
  if (!/^[+-]?\d+$/.test(text) || text.startsWith('+') || text.startsWith('-')) return 0;
  return Math.min(Number(text), quantity);
}

/**
 * What the panel finally keeps of `charge`. Voided: 0. Partial, or Completed
 * with `remains` > 0 (a comments package delivering below its upper bound):
 * charge × (q − remains) / q half-even to 5 decimals. Worked example: charge
 * 0.90000 for q 1000 with remains 157 keeps 0.75870, refunding 0.14130.
 */
export function netCharge(charge: bigint, quantity: number, status: string, remains: string): bigint {
  const kind = statusClass(status);
  if (kind === 'voided') return 0n;
  if (kind === 'open' || quantity <= 0) return charge;
  const undelivered = undeliveredQuantity(remains, quantity);
  if (undelivered === 0) return charge;
  return proRata(charge, BigInt(quantity - undelivered), BigInt(quantity), 5);
}

/**
 * The `charge` a status reply shows. Only Partial and voided orders are lowered,
 * and only in lowerCharge mode; a Completed order with remains > 0 keeps its
 * charge in both modes (the refund shows in the balance alone).
 */
export function reportedCharge(
  charge: bigint,
  quantity: number,
  status: string,
  remains: string,
  mode: RefundMode,
): bigint {
  const kind = statusClass(status);
  if (mode === 'keepCharge' || kind === 'open' || kind === 'completed') return charge;
  return netCharge(charge, quantity, status, remains);
}
