import { InvariantViolation } from '../errors.js';

/**
 * Stops the run where money is decided and a figure that must hold does not (TigerBeetle's style: assert the
 * invariant at the point of decision, never book on a wrong figure). Called inside a unit of work, the throw
 * rolls the unit back.
 *
 * Example: a panel close drafted 12.50 of prepaid charges; if the entries it is about to book carry 12.49,
 * `assertInvariant(booked === drafted, 'panel close smm 2026-03-31: the entries book 12.49 of panel_prepaid, the draft 12.50')`.
 */
export function assertInvariant(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantViolation(typeof message === 'string' ? message : message());
}
