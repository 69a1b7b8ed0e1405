import { describe, expect, it } from 'vitest';
import { CHAIN_GENESIS, canonicalEntryText, chainLink, type ChainedEntry } from '../../src/ledger/entry-chain.js';

const charges: ChainedEntry = {
  id: 'je:smm-panel:2026-03-02',
  date: '2026-03-02',
  sourceId: 'smm-panel',
  description: 'Panel charges',
  eventIdsJson: '["e1"]',
  lines: [
    { account: 'smm_services_expense', currency: 'USD', amountMicros: 12_345_600n },
    { account: 'panel_prepaid', currency: 'USD', amountMicros: -12_345_600n },
  ],
};

describe('the journal hash chain', () => {
  it('hashes the worked example of its comment to the hash written there', () => {
    expect(canonicalEntryText(charges)).toBe(
      'ledgerline-entry/1\nid "je:smm-panel:2026-03-02"\ndate "2026-03-02"\nsource "smm-panel"\ndescription "Panel charges"\nevents ["e1"]\n' +
        'line ["smm_services_expense","USD","12345600",null]\nline ["panel_prepaid","USD","-12345600",null]\n',
    );
    expect(chainLink(CHAIN_GENESIS, charges)).toBe('08780d26a0a5ecaeea2b2907426d14fc754296a532815d0123a20ee60a47a4e3');
  });

  it('changes with one micro-unit, a newline in a description, or another previous hash', () => {
    const first = chainLink(CHAIN_GENESIS, charges);
    const moved = { ...charges, lines: [{ ...charges.lines[0]!, amountMicros: 12_345_601n }, { ...charges.lines[1]!, amountMicros: -12_345_601n }] };
    expect(chainLink(CHAIN_GENESIS, moved)).not.toBe(first);
    expect(chainLink(CHAIN_GENESIS, { ...charges, description: 'Panel\ncharges' })).not.toBe(first);
    expect(chainLink(first, charges)).not.toBe(first);
  });
});
