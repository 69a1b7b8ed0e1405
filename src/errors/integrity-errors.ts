import { EXIT, failure } from './ledgerline-error.js';

/**
 * A raw reply whose body no longer gives the SHA-256 stored when it landed (issue 52): its evidence is refused
 * rather than shipped with a manifest that would vouch for bytes the source never sent.
 */
export class ReplyChangedError extends failure('ReplyChangedError', EXIT.external) {
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
export class WitnessedHeadMissingError extends failure('WitnessedHeadMissingError', EXIT.attention) {
  constructor(findings: readonly string[]) {
    super(
      `nothing was booked: ${findings.join('; ')}. Put the newer ledger back, or record this one as a deliberate ` +
        'restore with `ledgerline restore --from FILE --reason "…"`',
    );
  }
}

/**
 * A journal a restore listed as this ledger's own, found again at the destination for the entry booked again under
 * the same id, whose lines are not what the entry booked again would send (issue 73): the night booked other
 * figures than the ones posted before the restore. Nothing is marked delivered; a person decides which is right.
 */
export class RebookedJournalDiffersError extends failure('RebookedJournalDiffersError', EXIT.attention) {
  constructor(
    destination: { name: string; kind: string },
    readonly journals: readonly { entryId: string; remoteId: string; differences: string }[],
  ) {
    super(
      `nothing was marked delivered: ${journals
        .map(
          (journal) =>
            `${destination.name} journal ${journal.remoteId}, listed by the restore for entry ${journal.entryId}, ` +
            `does not hold what the entry booked again gives (${journal.differences})`,
        )
        .join('; ')}. Compare the entry with that journal (ledgerline reconcile --with ${destination.kind}), ` +
        'then book the difference with ledgerline adjust, or void the journal there and post again',
    );
  }
}
