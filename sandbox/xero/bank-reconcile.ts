import { z } from 'zod';
import { adminCall, type FakeReply } from '../fake-kit/index.js';
import type { XeroTenant } from './tenant.js';

/** The person at Xero's reconcile screen: a statement line matched to a bank transfer's side or a bank transaction. */

export const XERO_RECONCILE_SIDES = ['from', 'to'] as const;
export type XeroReconcileSide = (typeof XERO_RECONCILE_SIDES)[number];

const ReconcileRequestSchema = z.strictObject({ id: z.string().min(1), side: z.enum(XERO_RECONCILE_SIDES).optional() });

/** Marks the document reconciled; a transfer's 'to' side (the money arriving) unless `side` says otherwise. Throws RangeError for an unknown id. */
export function markReconciled(tenant: XeroTenant, id: string, side: XeroReconcileSide = 'to'): void {
  const wanted = id.toLowerCase();
  const transfer = tenant.bankTransfers.find((candidate) => candidate.bankTransferId.toLowerCase() === wanted);
  if (transfer) {
    if (side === 'to') transfer.toIsReconciled = true;
    else transfer.fromIsReconciled = true;
    return;
  }
  const transaction = tenant.bankTransactions.find((candidate) => candidate.bankTransactionId.toLowerCase() === wanted);
  if (!transaction) throw new RangeError(`the Xero fake holds no bank transfer or bank transaction ${id}`);
  transaction.isReconciled = true;
  transaction.updatedAt = tenant.now();
}

/** POST /xero/__admin/reconcile {"id", "side"?}: 200 with what was marked, 400 for a body it cannot read, 404 for an unknown id. */
export function adminReconcile(tenant: XeroTenant, body: Buffer): FakeReply {
  return adminCall(body, ReconcileRequestSchema, (request) => {
    markReconciled(tenant, request.id, request.side);
    return { reconciled: request.id, side: request.side ?? 'to' };
  });
}
