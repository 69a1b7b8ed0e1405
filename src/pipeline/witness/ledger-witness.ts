import type { Config } from '../../config/index.js';

type WitnessPlace = Config['witness'];
import { WitnessedHeadMissingError } from '../../errors.js';
import type { ClosedPeriod } from '../../ledger/index.js';
import type { Logger } from '../../log/index.js';
import type { LedgerReads } from '../../reads/index.js';
import { appendWitness, readWitness, type WitnessRead } from './witness-log.js';
import { witnessFindings, type WitnessFinding } from './witnessed-heads.js';
import { recordsToWitness, type WitnessedBy } from './witness-runs.js';

/** What witnessing reads of the books: the chain and its closed periods. */
export type WitnessBooks = { ledgerReads: LedgerReads; sealBooks: { closedPeriods(): Promise<ClosedPeriod[]> } };

/** The witness read and held against the ledger: what it witnessed that the ledger no longer gives. */
export async function checkWitness(
  place: WitnessPlace,
  books: WitnessBooks,
): Promise<{ read: WitnessRead; findings: WitnessFinding[] }> {
  const read = readWitness(place);
  const findings = await witnessFindings(read.records, books.ledgerReads, await books.sealBooks.closedPeriods());
  return { read, findings };
}

/**
 * Before a run books anything: refused (exit 1) when the ledger lacks a witnessed head, so nothing is booked onto
 * books older than what was witnessed until a person decides (`ledgerline restore`). A witness that cannot be
 * read refuses nothing: `verify` names it.
 */
export async function refuseUnwitnessedBooks(place: WitnessPlace, books: WitnessBooks): Promise<void> {
  const { findings } = await checkWitness(place, books);
  if (findings.length > 0) throw new WitnessedHeadMissingError(findings.map((finding) => finding.message));
}

/**
 * After a run: the chain's head (when it moved) and each new certificate's hash, appended to the witness. A head
 * is not witnessed over books that lack a witnessed one (that would hide the loss); an unwritable witness is said
 * in the returned note, never undoing what was booked.
 */
export async function witnessBooks(
  place: WitnessPlace,
  books: WitnessBooks,
  by: WitnessedBy,
): Promise<string | undefined> {
  try {
    const read = readWitness(place);
    const closed = await books.sealBooks.closedPeriods();
    if ((await witnessFindings(read.records, books.ledgerReads, closed)).length > 0) return undefined;
    appendWitness(place, await recordsToWitness(read.records, books.ledgerReads, closed, by));
    return undefined;
  } catch (error) {
    return `the chain head was not witnessed in ${place.file}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The night's sync step witnessed: refused before it books onto books that lack a witnessed head (the night alerts
 * the refusal, exit 1), and the head it leaves witnessed under its run.
 */
export function witnessedSyncStep<Request extends { runId: string; logger: Logger }, Result>(
  place: WitnessPlace,
  books: WitnessBooks,
  step: (request: Request) => Promise<Result>,
): (request: Request) => Promise<Result> {
  return async (request) => {
    await refuseUnwitnessedBooks(place, books);
    const result = await step(request);
    const note = await witnessBooks(place, books, { command: 'schedule', runId: request.runId, now: new Date() });
    if (note !== undefined) request.logger.warn(note);
    return result;
  };
}
