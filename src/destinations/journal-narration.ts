import type { RenderedEntry } from '../rules/index.js';

/**
 * What a journal says of its entry, Xero's Narration and QuickBooks' PrivateNote alike: the description, the
 * evidence's manifest hash when the destination attaches evidence, and the entry id verbatim in brackets, last,
 * where a look-up after an unknown outcome finds it.
 * Example: "Panel charges [je:smm-panel:2026-03-02]"; with evidence
 * "Panel charges · evidence sha256:9f86d0… [je:smm-panel:2026-03-02]"; no description: "[je:smm-panel:2026-03-02]".
 */
export function journalNarration(entry: Pick<RenderedEntry, 'id' | 'description' | 'evidenceSha256'>): string {
  const said = [entry.description, entry.evidenceSha256 === undefined ? '' : `evidence sha256:${entry.evidenceSha256}`].filter((part) => part !== '').join(' · ');
  return said === '' ? `[${entry.id}]` : `${said} [${entry.id}]`;
}
