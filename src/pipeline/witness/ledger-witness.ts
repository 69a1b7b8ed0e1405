import { WitnessedHeadMissingError, messageOf } from '../../errors.js';
import type { Logger } from '../../log/index.js';
import { ledgerReads } from '../../reads/index.js';
import { appendWitness, readWitness, type WitnessPlace, type WitnessRead, type WitnessRecord } from './witness-log.js';
import { witnessFindings, type WitnessFinding } from './witnessed-heads.js';
import { recordsToWitness, type WitnessedBy } from './witness-runs.js';
import { readUrlWitness, recordKey, sendMissingRecords, type UrlWitnessRead } from './url-witness.js';
import { filingBooks } from '../adjustments/index.js';
import { sealBooks, sideTableBooks } from '../operations/index.js';
import type { BooksOf } from '../../store/index.js';

/** What witnessing reads of the books: the chain, its closed periods, the filed returns and the seals' head. */
export type WitnessBooks = BooksOf;

/**
 * The witnesses read and held against the ledger: what the file, and the URL witness when configured, witnessed that
 * the ledger no longer gives. `send` first sends the URL the file's records it lacks (a run about to write), so a
 * restore recorded while the URL was down binds there too. A finding only the URL witness makes names it: the file
 * was put back with the ledger. Example: ledger and witness file both copied back from 03-31 → the file agrees, the
 * URL holds the head of 04-02 → "the URL witness at 127.0.0.1:8787: the books are older than what was witnessed …".
 */
export async function checkWitness(
  place: WitnessPlace,
  books: WitnessBooks,
  options: { send?: boolean } = {},
): Promise<{ read: WitnessRead; url?: UrlWitnessRead & { behind: number }; findings: WitnessFinding[] }> {
  const read = readWitness(place);
  const closed = await books.of(sealBooks).closedPeriods();
  const filed = await books.of(filingBooks).filedReturns();
  const findings = await witnessFindings(read.records, books.of(ledgerReads), closed, filed);
  if (place.url === undefined) return { read, findings };
  let url = await readUrlWitness(place.url, place.urlTimeoutMs);
  if (options.send === true && url.unread === undefined) {
    const sent = await sendMissingRecords(place.url, read.records, url.records, place.urlTimeoutMs);
    if (sent.sent > 0) url = await readUrlWitness(place.url, place.urlTimeoutMs);
  }
  const held = new Set(url.records.map(recordKey));
  const behind = url.unread === undefined ? read.records.filter((record) => !held.has(recordKey(record))).length : 0;
  const said = new Set(findings.map((finding) => finding.message));
  const more = url.unread === undefined ? await witnessFindings(url.records, books.of(ledgerReads), closed, filed) : [];
  for (const finding of more)
    if (!said.has(finding.message)) findings.push({ ...finding, message: `${url.label}: ${finding.message}` });
  return { read, url: { ...url, behind }, findings };
}

/**
 * Before a run books anything: refused (exit 1) when the ledger lacks a witnessed head, so nothing is booked onto
 * books older than what was witnessed until a person decides (`ledgerline restore`). A witness that cannot be
 * read refuses nothing: `verify` names it.
 */
export async function refuseUnwitnessedBooks(place: WitnessPlace, books: WitnessBooks): Promise<void> {
  const { findings } = await checkWitness(place, books, { send: true });
  if (findings.length > 0) throw new WitnessedHeadMissingError(findings.map((finding) => finding.message));
}

/**
 * After a run: the chain's head (when it moved) and each new certificate's hash, appended to the witness file, then
 * sent to the URL witness. A head is not witnessed over books that lack a witnessed one (that would hide the loss);
 * an unwritable witness is said in the returned note, never undoing what was booked: the file keeps the head and
 * the next run that writes sends the URL what it missed.
 */
export async function witnessBooks(
  place: WitnessPlace,
  books: WitnessBooks,
  by: WitnessedBy,
): Promise<string | undefined> {
  let added: WitnessRecord[] = [];
  try {
    const { read, url, findings } = await checkWitness(place, books);
    if (findings.length > 0) return undefined;
    const closed = await books.of(sealBooks).closedPeriods();
    const filings = {
      filed: await books.of(filingBooks).filedReturns(),
      sealsHead: await books.of(sideTableBooks).sealHead(),
    };
    added = await recordsToWitness(read.records, books.of(ledgerReads), closed, by, filings);
    appendWitness(place, added);
    if (place.url === undefined || url === undefined) return undefined;
    if (url.unread !== undefined) return urlNotWritten(url.label, url.unread);
    const sent = await sendMissingRecords(place.url, [...read.records, ...added], url.records, place.urlTimeoutMs);
    return sent.why === undefined ? undefined : urlNotWritten(url.label, sent.why);
  } catch (error) {
    const lacks = added.length === 0 ? 'what this run leaves' : added.map(recordText).join(', ');
    return (
      `the witness file ${place.file} was not written (${messageOf(error)}): it lacks ${lacks}; ` +
      'the next run that writes there adds it, and `ledgerline verify` names a witness it cannot read'
    );
  }
}

/** A record as a run's note names it: 'the head at position 97 (entry je:…)', 'the filing of 2026-03'. */
function recordText(record: WitnessRecord): string {
  if (record.kind === 'certificate') return `the certificate of ${record.period}`;
  if (record.kind === 'filing') return `the filing of ${record.period}`;
  return `the head at position ${record.position} (entry ${record.entryId})`;
}

/** The URL witness not written: the file holds the head, the next run that writes sends what is missing. */
function urlNotWritten(label: string, why: string): string {
  return (
    `${label} was not written (${why}): the head is witnessed in the file only; the next run that writes sends ` +
    'it what it lacks, and `ledgerline verify` names the URL witness behind until then'
  );
}

/** Sends the URL witness the records of the file it lacks (after a restore): a note when it could not. */
export async function sendWitnessToUrl(place: WitnessPlace): Promise<string | undefined> {
  if (place.url === undefined) return undefined;
  const { records } = readWitness(place);
  const url = await readUrlWitness(place.url, place.urlTimeoutMs);
  if (url.unread !== undefined) return urlNotWritten(url.label, url.unread);
  const sent = await sendMissingRecords(place.url, records, url.records, place.urlTimeoutMs);
  return sent.why === undefined ? undefined : urlNotWritten(url.label, sent.why);
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
