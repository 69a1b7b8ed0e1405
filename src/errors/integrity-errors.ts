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

/**
 * The ledger no longer holds a chain head its witness kept (issue 73): it was put back from an older copy, or its
 * newest entries were removed or rewritten. Nothing is booked onto it until the restore is recorded
 * (`ledgerline restore --from FILE --reason …`) or the newer ledger is put back.
 */
export class WitnessedHeadMissingError extends LedgerlineError {
  override readonly name = 'WitnessedHeadMissingError';
  readonly exitCode = EXIT.attention;
  constructor(findings: readonly string[]) {
    super(
      `nothing was booked: ${findings.join('; ')}. Put the newer ledger back, or record this one as a deliberate ` +
        'restore with `ledgerline restore --from FILE --reason "…"`',
    );
  }
}
