import { EXIT, LedgerlineError } from './ledgerline-error.js';

/**
 * A raw reply whose body no longer gives the SHA-256 stored when it landed (issue 52): its evidence is refused
 * rather than shipped with a manifest that would vouch for bytes the source never sent.
 */
export class ReplyChangedError extends LedgerlineError {
  override readonly name = 'ReplyChangedError';
  readonly exitCode = EXIT.external;
  constructor(
    readonly entryId: string,
    readonly replyId: string,
    stored: string,
    given: string,
  ) {
    super(
      `the evidence of entry ${entryId} is refused: raw reply ${replyId} was changed after it landed (stored sha256 ${stored}, its body now gives ${given}); ` +
        'run ledgerline verify, and restore the ledger from a backup taken before the change',
    );
  }
}
