import { EXIT, LedgerlineError } from './ledgerline-error.js';

/**
 * A person's `transit match ITEM LINE` or `transit unmatch ITEM` that cannot be done as asked: an id the ledger
 * does not hold, a line of the other direction or currency, a line another item holds, a bank leg already booked.
 * Nothing is recorded; the message names the item, the line and what to do instead.
 */
export class TransitLinkRefusedError extends LedgerlineError {
  override readonly name = 'TransitLinkRefusedError';
  readonly exitCode = EXIT.usage;
  constructor(
    readonly itemId: string,
    reason: string,
  ) {
    super(`transit ${itemId}: ${reason}; nothing was recorded`);
  }
}
