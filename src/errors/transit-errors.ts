import { EXIT, failure } from './ledgerline-error.js';

/**
 * A person's `transit match ITEM LINE` or `transit unmatch ITEM` that cannot be done as asked: an id the ledger
 * does not hold, a line of the other direction or currency, a line another item holds, a bank leg already booked.
 * Nothing is recorded; the message names the item, the line and what to do instead.
 */
export class TransitLinkRefusedError extends failure('TransitLinkRefusedError', EXIT.usage) {
  /** `typedIn` 'form': asked on the console's bank-lines page, whose refusal names no command. */
  constructor(
    readonly itemId: string,
    reason: string,
    typedIn: 'command' | 'form' = 'command',
  ) {
    super(`${typedIn === 'command' ? 'transit ' : ''}${itemId}: ${reason}; nothing was recorded`);
  }
}
