/**
 * Every failure a user must tell apart, grouped by what they can do about it.
 * Only the CLI turns these into exit codes (DESIGN §6): 1 completed with items
 * to look at, 2 usage/configuration/environment, 3 a source, destination or the
 * ledger's storage failed, 75 another run holds the ledger, 70 a bug.
 */

import { EXIT, LedgerlineError, failure } from './errors/ledgerline-error.js';

export { EXIT, LedgerlineError, messageOf, messageWithoutUrl, type ExitCode } from './errors/ledgerline-error.js';
export {
  RebookedJournalDiffersError,
  ReplyChangedError,
  WitnessedHeadMissingError,
} from './errors/integrity-errors.js';
export { TransitLinkRefusedError } from './errors/transit-errors.js';
export { AdjustmentInLockedPeriodError, PeriodFiledError, type FiledPeriodLock } from './errors/period-lock-errors.js';
export { CallBudgetSpentError, DailyLimitError, RateLimitedError } from './errors/call-limit-errors.js';
export {
  LedgerFileError,
  LedgerSealedError,
  JournalNumbersTakenError,
  LedgerStorageError,
} from './errors/ledger-file-errors.js';
export {
  MissingScopeError,
  ConsentRefusedError,
  ConsentStateMismatchError,
  ConsentTimeoutError,
  PastedRedirectError,
  OrganisationChoiceError,
  NotConnectedError,
  ConsentLapsedError,
} from './errors/connection-errors.js';

/** One problem in a configuration or mapping file: where it is and what is wrong. */
export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
}

/** The configuration or a mapping cannot be used; every problem found is listed at once. */
export class ConfigError extends failure('ConfigError', EXIT.usage) {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      problems.length === 1
        ? `configuration error: ${formatProblem(problems[0]!)}`
        : `configuration has ${problems.length} problems:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
    );
  }
}

function formatProblem(problem: ConfigProblem): string {
  // A table's place reads as it is: "sources.csv row 7, column url"; a key path as "ledgerline.yaml at sources[0].url".
  const joiner = problem.path.startsWith('row ') ? ' ' : ' at ';
  return `${problem.file}${problem.path ? `${joiner}${problem.path}` : ''}: ${problem.message}`;
}

/** The command line asks for something that cannot be done (bad flag, bad date, refused window). */
export class UsageError extends failure('UsageError', EXIT.usage) {}

/**
 * Days before a source's first close that this command cannot read, naming what works (issue 83 item 6):
 * - `past`: a night's close (`sync --as-of`) of a kind whose API reads past days: closes go forward, and the backfill
 *   window reads those days, its opening moving to the window's first day. Example: a listing first closed on 03-10,
 *   `sync --as-of 2026-03-05` → "… \`ledgerline sync --from 2026-03-05 --to 2026-03-09\` books the days before …";
 * - `present`: a window wholly before the first close of a kind whose API tells only the present: its opening balance
 *   holds those days and nothing can read them; the replies stored from the first close on can be re-booked.
 */
export class BeforeFirstCloseError extends UsageError {
  constructor(
    sourceId: string,
    window: { from: string; to: string },
    days: { first: string; dayBeforeFirst: string; latest: string; api: 'past' | 'present' },
  ) {
    const { first, latest } = days;
    super(
      days.api === 'past'
        ? `${sourceId}: cannot take a close as of ${window.from}: its first close is ${first} and its closes go forward from ` +
            `its latest, ${latest}; its API reads past days: \`ledgerline sync --from ${window.from} --to ` +
            `${days.dayBeforeFirst}\` books the days before its first close, its opening moving to ${window.from}'s; ` +
            'nothing was contacted or written'
        : `${sourceId}: cannot read ${window.from} to ${window.to}: its books begin at its first close, ${first}, whose ` +
            'opening balance holds what came before, and its API tells only the present, so no day before it can be read. ' +
            `What works: --from ${first} --to ${latest} re-books the replies stored from its first close on; ` +
            'nothing was contacted or written',
    );
  }
}

/** A source or destination refused our credentials: fix the key or re-authorize; retrying will not help. */
export class AuthError extends failure('AuthError', EXIT.external) {
  constructor(
    readonly service: string,
    detail: string,
  ) {
    super(`${service}: authentication failed (${detail}); check the API key or credentials configured for ${service}`);
  }
}

/** A service failed (5xx, connection dropped, timeout) and kept failing past our retries. */
export class UpstreamError extends failure('UpstreamError', EXIT.external, { transient: true }) {
  constructor(
    readonly service: string,
    detail: string,
    readonly status?: number,
  ) {
    super(`${service}: ${detail}`);
  }
}

/** A service answered something we cannot read; the reply is kept in quarantine with this reason. */
export class InvalidReplyError extends failure('InvalidReplyError', EXIT.external) {
  constructor(
    readonly service: string,
    readonly what: string,
    readonly reason: string,
  ) {
    super(`${service}: unreadable reply to ${what}: ${reason}`);
  }
}

/** A service answered with an explicit error for the request ({"error": …} or a 4xx with a message). */
export class RequestRejectedError extends failure('RequestRejectedError', EXIT.external) {
  constructor(
    readonly service: string,
    readonly status: number,
    readonly serviceMessage: string,
  ) {
    super(`${service}: request refused (HTTP ${status}): ${serviceMessage}`);
  }
}

/** A source answered in another currency than the one configured for it: nothing is converted or booked. */
export class CurrencyMismatchError extends failure('CurrencyMismatchError', EXIT.external) {
  constructor(
    readonly service: string,
    readonly configured: string,
    readonly reported: string,
  ) {
    super(
      `${service}: the panel reports its balance in ${reported}, but ${service} is configured for ${configured}; nothing was booked for it. ` +
        `Set currency: ${reported} on the source if the account really is in ${reported}`,
    );
  }
}

/** The destination's books are closed for the entry's date; the accountant must move the lock date or the entry stays unposted. */
export class LockedPeriodError extends failure('LockedPeriodError', EXIT.attention) {
  constructor(
    readonly destination: string,
    readonly entryId: string,
    readonly entryDate: string,
    readonly lockDate: string | undefined,
  ) {
    super(
      `${destination}: entry ${entryId} dated ${entryDate} falls in a closed period` +
        `${lockDate ? ` (books locked through ${lockDate})` : ''}; it stays unposted until the lock date is moved`,
    );
  }
}

/** An entry in a foreign currency without an exchange rate for its date: it stays unposted until a rate is supplied. */
export class MissingRateError extends failure('MissingRateError', EXIT.attention) {
  constructor(
    readonly destination: string,
    readonly entryId: string,
    readonly currency: string,
    readonly entryDate: string,
    readonly baseCurrency: string,
  ) {
    super(
      `${destination}: entry ${entryId} is in ${currency} and needs a ${currency}→${baseCurrency} rate for ${entryDate}; ` +
        'add one to the rates file (destinations.rates.file) or destinations.rates.fixed',
    );
  }
}

/** The ledger refused a write that would break its invariants (unbalanced entry, an id reused with other content). */
export class LedgerIntegrityError extends failure('LedgerIntegrityError', EXIT.internal) {}

/**
 * A check where money is decided found the books about to go wrong (a close's booked prepaid that differs from its
 * draft, a post whose outcomes do not add up to its selection): a bug in ledgerline. The run stops there; the message
 * says what was kept (a close's unit of work rolls back; a post's deliveries already recorded stay, as after any stop).
 */
export class InvariantViolation extends failure('InvariantViolation', EXIT.internal) {
  constructor(message: string) {
    super(`${message}. This is a bug in ledgerline: please report it with this message`);
  }
}

/** Another ledgerline run holds the ledger's run lock: nothing was done; run again once it has finished. */
export class RunInProgressError extends failure('RunInProgressError', EXIT.busy, { transient: true }) {}

/**
 * A file, folder or port named by the command line or the configuration cannot be used as asked
 * (a missing or unwritable folder, a path that is a folder, a port in use). Nothing was changed.
 */
export class EnvironmentError extends failure('EnvironmentError', EXIT.usage) {}

/**
 * SIGTERM or SIGINT came while a call waited for its destination (its pace, or a 429's Retry-After): it was never
 * sent, so the run stops there and the next post resumes (exit 0 and a run recorded as interrupted, as a stopped
 * schedule or worker ends). `waitingFor` says which wait: "its calls a minute", "to try a call again".
 */
export class StopRequestedError extends failure('StopRequestedError', EXIT.ok) {
  constructor(
    readonly service: string,
    waitingFor = 'for its calls a minute',
  ) {
    super(`${service}: asked to stop while waiting ${waitingFor}; nothing more was sent, the next post resumes`);
  }
}

/**
 * A write may have reached the service but no answer came back (timeout or connection dropped after
 * sending). Sending it again could do it twice, so nothing is retried: check on the service first.
 */
export class OutcomeUnknownError extends failure('OutcomeUnknownError', EXIT.external, { transient: true }) {
  constructor(
    readonly service: string,
    readonly what: string,
    detail: string,
  ) {
    super(
      `${service}: the outcome of ${what} is unknown (${detail}); it may have been carried out, ` +
        `so it was not sent again: check on ${service} before repeating it`,
    );
  }
}

/**
 * Queued work (jobs on the PostgreSQL ledger's queue) did not end as asked: a job failed in every try its
 * worker gave it, or none finished within the wait. What the jobs that finished booked stays booked.
 */
export class QueuedWorkError extends failure('QueuedWorkError', EXIT.external) {}

/**
 * A queued close failed at its source (the source's reply, after the HTTP layer's retries): the queue tries it
 * again with backoff, and after the last try parks the source with this message as its reason.
 */
export class SourceCloseFailedError extends failure('SourceCloseFailedError', EXIT.external) {}

/** The id of the raw landing row that holds a reply (what the raw store returned when the reply was landed). */
export type RawObservationId = number | bigint;

/**
 * Marks an error about a reply with the raw landing row holding that reply, so a quarantine record can
 * point at it: rawObservationOf(linkRawObservation(error, 42)) === 42.
 */
export function linkRawObservation<E extends LedgerlineError>(
  error: E,
  rawObservationId: RawObservationId | undefined,
): E {
  if (rawObservationId !== undefined) {
    Object.defineProperty(error, 'rawObservationId', { value: rawObservationId, enumerable: true });
  }
  return error;
}

/** The raw landing row linked to an error by linkRawObservation, if any. */
export function rawObservationOf(error: unknown): RawObservationId | undefined {
  if (!(error instanceof LedgerlineError)) return undefined;
  const id: unknown = (error as { rawObservationId?: unknown }).rawObservationId;
  return typeof id === 'number' || typeof id === 'bigint' ? id : undefined;
}

/** An entry dated in a closed period (issue 42): the period's certificate stands; a correction is an adjusting entry in the first open period. */
export class PeriodClosedError extends failure('PeriodClosedError', EXIT.usage) {
  constructor(
    readonly entryId: string,
    readonly entryDate: string,
    readonly period: string,
    readonly certificateSha256: string,
  ) {
    super(
      `entry ${entryId} is dated ${entryDate}, in period ${period}, closed by certificate sha256:${certificateSha256}; ` +
        `nothing is booked into a closed period: book the correction as an adjusting entry in the first ` +
        `open period that names ${entryDate} and that certificate (ledgerline adjust --date <a day ` +
        `after ${period}> --corrects ${entryDate} …)`,
    );
  }
}

/** A bank statement that does not read: the file, the place (line, element, column) and what is wrong; nothing of it was kept. */
export class StatementFormatError extends failure('StatementFormatError', EXIT.usage) {
  constructor(
    readonly file: string,
    readonly place: string,
    detail: string,
  ) {
    super(
      `${file}, ${place}: ${detail}; nothing of the file was imported (fix or export it again, then run "ledgerline bank import" again)`,
    );
  }
}

/**
 * A statement that is not its account's: a line in another currency than the account's, a statement of another
 * account (its IBAN or OFX ACCTID), a line id the account already holds with other content. Names the file, the
 * line and both values; nothing of the file is kept.
 */
export class StatementMismatchError extends failure('StatementMismatchError', EXIT.usage) {
  constructor(
    readonly file: string,
    readonly place: string,
    detail: string,
    next: string,
  ) {
    super(`${file}, ${place}: ${detail}; nothing of the file was imported (${next})`);
  }
}

/** An entry id no entry of the journal has (`ledgerline evidence ENTRY_ID`): a typo, or a ledger other than the one meant. */
export class UnknownEntryError extends failure('UnknownEntryError', EXIT.usage) {
  constructor(readonly entryId: string) {
    super(
      `no journal entry ${entryId} in this ledger; entry ids look like je:smm-panel:2026-03-02: ` +
        `list them with "ledgerline export --format generic" and check the ledger in ledgerline.yaml`,
    );
  }
}

/** One piece of an entry's evidence over the size a destination takes (a part of it is never split further): it is not attached. */
export class EvidenceTooLargeError extends failure('EvidenceTooLargeError', EXIT.attention) {
  constructor(
    readonly entryId: string,
    member: string,
    bytes: number,
    limit: number,
  ) {
    super(
      `the evidence of entry ${entryId} cannot be cut under ${limit} bytes a file: ${member} alone ` +
        `takes ${bytes}; set evidence: local for that destination and keep the replies as the ledger ` +
        `holds them (raw_observations)`,
    );
  }
}
