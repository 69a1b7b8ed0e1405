import type { RenderedEntry } from '../rules/index.js';

/**
 * What a journal says of its entry, Xero's Narration and QuickBooks' PrivateNote alike: the description, the
 * evidence's manifest hash when the destination attaches evidence, the entry's chain hash when it is posted through
 * the API (the ledger's hash chain at that entry, kept where the ledger file's owner cannot rewrite it), and the
 * entry id verbatim in brackets, last, where a look-up after an unknown outcome finds it. Both hashes are written in
 * full (64 characters each): with a description of a few dozen characters the text stays far under the 4,000
 * characters QuickBooks takes in a PrivateNote (shared/notes/quickbooks-xero-facts.md), and Xero sets no lower bound.
 * Example: "Panel charges [je:smm-panel:2026-03-02]"; posted with evidence
 * "Panel charges · evidence sha256:9f86d0… · chain sha256:3c9a1f… [je:smm-panel:2026-03-02]"; no description: "[je:smm-panel:2026-03-02]".
 */
export function journalNarration(
  entry: Pick<RenderedEntry, 'id' | 'description' | 'evidenceSha256' | 'chainHash'>,
): string {
  const said = [
    entry.description,
    entry.evidenceSha256 === undefined ? '' : `evidence sha256:${entry.evidenceSha256}`,
    entry.chainHash === undefined ? '' : `${CHAIN_MARK}${entry.chainHash}`,
  ]
    .filter((part) => part !== '')
    .join(' · ');
  return said === '' ? `[${entry.id}]` : `${said} [${entry.id}]`;
}

const CHAIN_MARK = 'chain sha256:';
const WITNESS = /(?:^| · )chain sha256:([0-9a-f]{64}) \[([^\]]+)\]$/;

/**
 * The entry id and chain hash a journal's narration or note carries, as journalNarration wrote them; undefined for a
 * journal posted before journals carried the chain hash, or one a person entered.
 * Example: "Panel charges · chain sha256:3c9a… [je:smm-panel:2026-03-02]" → { entryId: "je:smm-panel:2026-03-02", chainHash: "3c9a…" }.
 */
export function chainWitness(note: string | undefined): { entryId: string; chainHash: string } | undefined {
  const found = note === undefined ? null : WITNESS.exec(note);
  return found === null ? undefined : { entryId: found[2]!, chainHash: found[1]! };
}
