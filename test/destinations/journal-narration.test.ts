import { describe, expect, it } from 'vitest';
import { journalNarration } from '../../src/destinations/journal-narration.js';

describe('a journal\'s narration', () => {
  it('is the description and the entry id in brackets, as before, when no evidence is attached', () => {
    expect(journalNarration({ id: 'je:smm-panel:2026-03-02', description: 'Panel charges' })).toBe('Panel charges [je:smm-panel:2026-03-02]');
    expect(journalNarration({ id: 'je:smm-panel:2026-03-02', description: '' })).toBe('[je:smm-panel:2026-03-02]');
  });

  it('names the evidence manifest hash before the id, which stays last for the look-up', () => {
    const hash = 'ab'.repeat(32);
    expect(journalNarration({ id: 'je:x', description: 'Panel charges', evidenceSha256: hash })).toBe(`Panel charges · evidence sha256:${hash} [je:x]`);
    expect(journalNarration({ id: 'je:x', description: '', evidenceSha256: hash })).toBe(`evidence sha256:${hash} [je:x]`);
  });
});
