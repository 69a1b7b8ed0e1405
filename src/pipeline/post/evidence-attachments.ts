import { EvidenceTooLargeError, OutcomeUnknownError, RequestRejectedError } from '../../errors.js';
import type { EvidenceAttachmentClient } from '../../destinations/index.js';
import type { DeliveryWindow } from '../../ledger/index.js';
import type { EvidenceAttachment, EvidenceAttachmentOutbox } from './books/evidence-attachment-outbox.js';

/** What one run did, per file ("je:… evidence-….zip"): uploaded now, found on the journal, recorded before, left open, refused. */
export interface EvidenceAttachmentsReport {
  attached: string[];
  found: string[];
  alreadyRecorded: number;
  /** Uploads with no answer still after the last look-up: the next post looks them up again. */
  open: string[];
  /** Refused by the destination, or too large to cut under its limit: nothing kept; the next post tries again. */
  refused: { file: string; reason: string }[];
}

/** An entry's evidence files as ledger/entry-evidence.ts builds them, and their manifest hash. */
type EvidenceFiles = (
  entryId: string,
) => Promise<{ manifestSha256: string; files: { fileName: string; bytes: Buffer }[] }>;

/** Look-up rounds after unknown outcomes before the run leaves them to the next one (as the post does). */
const UNKNOWN_OUTCOME_ROUNDS = 3;
/** Files one Xero document takes (bank-side-facts.md §2); QuickBooks takes more, never fewer. */
const MAX_FILES_PER_JOURNAL = 10;

/**
 * Attaches each posted journal's evidence files at the destination exactly once, through the outbox as journals go:
 *  1. files already holding an attachment id are left alone;
 *  2. the journal's attachments are listed: a file found there by name is recorded, whoever uploaded it (a
 *     crash after the upload, a reply lost), and not uploaded again;
 *  3. the rest: the intent is recorded, then the file uploaded and its attachment id recorded;
 *  4. an unknown outcome is looked up again, and uploaded again only when not found.
 * Example: the reply to evidence-je-7.zip lost → the journal's list names evidence-je-7.zip → recorded 'found', one file there.
 */
export async function attachEvidence(
  outbox: EvidenceAttachmentOutbox,
  client: EvidenceAttachmentClient,
  evidenceOf: EvidenceFiles,
  options: { window: DeliveryWindow; now: () => string },
): Promise<EvidenceAttachmentsReport> {
  const report: EvidenceAttachmentsReport = { attached: [], found: [], alreadyRecorded: 0, open: [], refused: [] };
  const journals = await outbox.postedJournals(options.window);
  const steps = await outbox.steps(journals.map((journal) => journal.entryId));
  for (const journal of journals) {
    let evidence: Awaited<ReturnType<EvidenceFiles>>;
    try {
      evidence = await evidenceOf(journal.entryId);
    } catch (error) {
      if (!(error instanceof EvidenceTooLargeError)) throw error;
      report.refused.push({ file: journal.entryId, reason: error.message });
      continue;
    }
    if (evidence.files.length > MAX_FILES_PER_JOURNAL) {
      report.refused.push({
        file: journal.entryId,
        reason: `its evidence is ${evidence.files.length} files; ${client.name} takes at most ${MAX_FILES_PER_JOURNAL} on one journal`,
      });
      continue;
    }
    const files = evidence.files.map((file) => ({
      file,
      attachment: { ...journal, fileName: file.fileName, manifestSha256: evidence.manifestSha256 },
    }));
    const pending = files.filter(({ attachment }) => steps.get(keyOf(attachment)) !== 'attached');
    report.alreadyRecorded += files.length - pending.length;
    if (pending.length > 0) await attachJournal(pending, { outbox, client, steps, report, now: options.now });
  }
  return report;
}

interface PendingFile {
  file: { fileName: string; bytes: Buffer };
  attachment: EvidenceAttachment;
}

interface AttachRun {
  outbox: EvidenceAttachmentOutbox;
  client: EvidenceAttachmentClient;
  steps: Map<string, 'intent' | 'attached'>;
  report: EvidenceAttachmentsReport;
  now: () => string;
}

/** Steps 2 to 4 for one journal's files not yet recorded: a look-up of its attachments each round, then the uploads. */
async function attachJournal(files: readonly PendingFile[], run: AttachRun): Promise<void> {
  let pending = files;
  for (let round = 0; round <= UNKNOWN_OUTCOME_ROUNDS && pending.length > 0; round += 1) {
    const held = await run.client.attached(pending[0]!.attachment.journalId);
    const unknown: PendingFile[] = [];
    for (const item of pending) {
      const { attachment } = item;
      const name = `${attachment.entryId} ${attachment.fileName}`;
      const foundId = held.get(attachment.fileName);
      if (foundId !== undefined) {
        // Found: its intent (unless an earlier run left one) and its id in one unit.
        await run.outbox.unit(async (tx) => {
          if (!run.steps.has(keyOf(attachment))) await tx.recordIntent(attachment, run.now());
          await tx.recordAttached(attachment, foundId, 'found', run.now());
        });
        run.report.found.push(name);
      } else if (round === UNKNOWN_OUTCOME_ROUNDS) run.report.open.push(name);
      else if ((await uploadOne(item, run, name)) === 'unknown') unknown.push(item);
      run.steps.set(keyOf(attachment), 'intent');
    }
    pending = unknown;
  }
}

/** Step 3: the intent (unless an earlier run left one), the upload, the id; 'unknown' when the reply was lost. */
async function uploadOne(
  { file, attachment }: PendingFile,
  run: AttachRun,
  name: string,
): Promise<'attached' | 'unknown' | 'refused'> {
  if (!run.steps.has(keyOf(attachment))) await run.outbox.unit((tx) => tx.recordIntent(attachment, run.now()));
  let attachmentId: string;
  try {
    attachmentId = await run.client.attach(attachment.journalId, file);
  } catch (error) {
    if (error instanceof OutcomeUnknownError) return 'unknown';
    if (!(error instanceof RequestRejectedError)) throw error;
    run.report.refused.push({ file: name, reason: error.message });
    return 'refused';
  }
  await run.outbox.unit((tx) => tx.recordAttached(attachment, attachmentId, 'attached', run.now()));
  run.report.attached.push(name);
  return 'attached';
}

function keyOf(attachment: { entryId: string; fileName: string }): string {
  return `${attachment.entryId}\u0000${attachment.fileName}`;
}
