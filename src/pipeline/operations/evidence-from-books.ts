import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadMappings } from '../../config/index.js';
import { ReplyChangedError, UnknownEntryError } from '../../errors.js';
import { buildEvidence, type EvidenceMapping, type Ledger } from '../../ledger/index.js';
import type { EvidenceBooks } from './books/evidence-books.js';

/** Where an entry's evidence reads from, and the mappings its lines went through (evidenceMappings). */
interface EvidenceSources {
  books: EvidenceBooks;
  ledger: Ledger;
  mappings: readonly EvidenceMapping[];
  /** The size no file may pass (ledger/entry-evidence.ts's EVIDENCE_LIMIT_BYTES unless given: tests give a small one). */
  limitBytes?: number;
}

/**
 * The evidence of entry `entryId` as the books hold it today (ledger/entry-evidence.ts): the same books and the
 * same mapping files give the same bytes, which is what `ledgerline evidence` writes and a destination attaches.
 * Each mapping is cut to this entry's accounts, so a mapping line added for another account changes nothing here.
 */
export async function entryEvidence(
  sources: EvidenceSources,
  entryId: string,
): Promise<ReturnType<typeof buildEvidence>> {
  const record = await sources.books.evidenceOf(entryId);
  if (record === undefined) throw new UnknownEntryError(entryId);
  const { entry } = record;
  for (const reply of record.replies) {
    const given = hash('sha256', reply.body, 'hex');
    if (given !== reply.contentHash) throw new ReplyChangedError(entryId, reply.id, reply.contentHash, given);
  }
  let renderedLines: { account: string; currency: string; cents: bigint; description: string | null }[] = [];
  for await (const rendered of sources.ledger.renderedEntries({
    from: entry.date,
    to: entry.date,
    sourceId: entry.sourceId,
  })) {
    if (rendered.id === entryId)
      renderedLines = rendered.lines.map((line) => ({
        account: line.account,
        currency: line.currency,
        cents: line.cents,
        description: line.description ?? null,
      }));
  }
  const accounts = new Set([...entry.lines.map((line) => line.account), ...renderedLines.map((line) => line.account)]);
  const mappings = sources.mappings.map((mapping) => ({
    ...mapping,
    accounts: Object.fromEntries(
      Object.entries(mapping.accounts)
        .filter(([account]) => accounts.has(account))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  }));
  return buildEvidence({ ...record, renderedLines }, mappings, sources.limitBytes);
}

/**
 * The mapping an entry's lines went through: the chart (mappings/default.yaml: which rule books an event to which
 * account), named by the SHA-256 of its bytes as written, its version, and by its own name (not its folder, which
 * differs from machine to machine while the bytes must not). A destination's own file (xero.yaml) is not in it:
 * the evidence is one file for every destination, and the destination shows the accounts it booked to.
 * Example: mappings/default.yaml → [{ name: 'chart', file: 'default.yaml', sha256: …, accounts: … }].
 */
export function evidenceMappings(chartPath: string): EvidenceMapping[] {
  const { chart } = loadMappings({ chartPath, destinations: [] });
  return [{ name: 'chart', file: basename(chartPath), sha256: fileSha256(chartPath), accounts: chart.accounts }];
}

function fileSha256(path: string): string {
  return hash('sha256', readFileSync(path), 'hex');
}
