import type { EvidenceMapping, Ledger } from '../../ledger/index.js';
import type { RenderedEntry } from '../../rules/index.js';
import { entryEvidence, type EvidenceBooks } from '../operations/index.js';
import type { PostSelection } from './post-selection.js';

/** What a post to a destination that attaches evidence (`evidence: attach`) reads each entry's evidence from. */
export interface PostEvidence {
  books: EvidenceBooks;
  mappings: readonly EvidenceMapping[];
}

/**
 * The selection with each entry to send carrying its evidence's manifest hash, which the journal's narration or
 * note names (destinations/journal-narration.ts). The hash is rebuilt from the books each run and the books of a
 * booked entry never change, so a request resent under its key carries the same body.
 * Example: je:smm-panel:2026-03-02 → evidenceSha256 "9f86d0…", its Narration "Panel charges · evidence sha256:9f86d0… [je:…]".
 */
export async function withEvidenceHashes(
  selection: PostSelection,
  evidence: PostEvidence,
  ledger: Ledger,
): Promise<PostSelection> {
  const hashed = async (entries: readonly RenderedEntry[]): Promise<RenderedEntry[]> => {
    const out: RenderedEntry[] = [];
    for (const entry of entries) {
      const { manifestSha256 } = await entryEvidence(
        { books: evidence.books, ledger, mappings: evidence.mappings },
        entry.id,
      );
      out.push({ ...entry, evidenceSha256: manifestSha256 });
    }
    return out;
  };
  const unresolved = [];
  for (const group of selection.unresolved) unresolved.push({ ...group, entries: await hashed(group.entries) });
  return { ...selection, unresolved, fresh: await hashed(selection.fresh) };
}
