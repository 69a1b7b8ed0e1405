import { describe, expect, it } from 'vitest';
import { chainWitness, journalNarration } from '../../src/destinations/journal-narration.js';

describe("a journal's narration", () => {
  it('is the description and the entry id in brackets, as before, when no evidence is attached', () => {
    expect(journalNarration({ id: 'je:smm-panel:2026-03-02', description: 'Panel charges' })).toBe(
      'Panel charges [je:smm-panel:2026-03-02]',
    );
    expect(journalNarration({ id: 'je:smm-panel:2026-03-02', description: '' })).toBe('[je:smm-panel:2026-03-02]');
  });

  it('names the evidence manifest hash before the id, which stays last for the look-up', () => {
    const hash = 'ab'.repeat(32);
    expect(journalNarration({ id: 'je:x', description: 'Panel charges', evidenceSha256: hash })).toBe(
      `Panel charges · evidence sha256:${hash} [je:x]`,
    );
    expect(journalNarration({ id: 'je:x', description: '', evidenceSha256: hash })).toBe(
      `evidence sha256:${hash} [je:x]`,
    );
  });

  it("names the entry's chain hash after the evidence hash, and the entry id stays last; the witness reads both back", () => {
    const evidence = 'ab'.repeat(32);
    const chain = 'cd'.repeat(32);
    const note = journalNarration({
      id: 'je:smm-panel:2026-04-02',
      description: 'Panel charges',
      evidenceSha256: evidence,
      chainHash: chain,
    });
    expect(note).toBe(`Panel charges · evidence sha256:${evidence} · chain sha256:${chain} [je:smm-panel:2026-04-02]`);
    expect(chainWitness(note)).toEqual({ entryId: 'je:smm-panel:2026-04-02', chainHash: chain });
    expect(chainWitness(journalNarration({ id: 'je:x', description: '', chainHash: chain }))).toEqual({
      entryId: 'je:x',
      chainHash: chain,
    });
  });

  it('reads no witness from a journal posted before journals carried the chain hash, or entered by a person', () => {
    expect(chainWitness('Panel charges [je:smm-panel:2026-03-02]')).toBeUndefined();
    expect(chainWitness('my correction: chain sha256:abc [je:x]')).toBeUndefined();
    expect(chainWitness(undefined)).toBeUndefined();
  });
});
