import type { RenderedEntry } from '../../rules/index.js';
import type { PostOutbox } from './books/post-outbox.js';
import type { PostSelection } from './post-selection.js';

/**
 * The selection with each entry to send carrying its chain hash (issue 52, item 4): the journal's narration or note
 * names it (destinations/journal-narration.ts), so the destination keeps a copy of the ledger's hash chain at every
 * entry it holds, out of reach of whoever can rewrite the ledger file. A booked entry's chain hash never changes, so
 * a request resent under its key carries the same body.
 * Example: je:smm-panel:2026-03-02 → "SMM panel orders 2026-03-02 · chain sha256:3c9a… [je:smm-panel:2026-03-02]".
 */
export async function withChainHashes(
  selection: PostSelection,
  outbox: Pick<PostOutbox, 'chainHashes'>,
): Promise<PostSelection> {
  const ids = [...selection.unresolved.flatMap((group) => group.entries), ...selection.fresh].map((entry) => entry.id);
  const hashes = await outbox.chainHashes(ids);
  const chained = (entries: readonly RenderedEntry[]): RenderedEntry[] =>
    entries.map((entry) => ({ ...entry, chainHash: hashes.get(entry.id) }));
  return {
    ...selection,
    unresolved: selection.unresolved.map((group) => ({ ...group, entries: chained(group.entries) })),
    fresh: chained(selection.fresh),
  };
}
