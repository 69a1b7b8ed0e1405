import { describe, expect, it } from 'vitest';
import { hash } from 'node:crypto';
import {
  CHAIN_GENESIS,
  canonicalEntryText,
  canonicalEntryTextForm2,
  chainLink,
  chainLinkForm2,
  closeLink,
  entryContentText,
  type ChainedEntry,
} from '../../src/ledger/entry-chain.js';

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
    const moved = {
      ...charges,
      lines: [
        { ...charges.lines[0]!, amountMicros: 12_345_601n },
        { ...charges.lines[1]!, amountMicros: -12_345_601n },
      ],
    };
    expect(chainLink(CHAIN_GENESIS, moved)).not.toBe(first);
    expect(chainLink(CHAIN_GENESIS, { ...charges, description: 'Panel\ncharges' })).not.toBe(first);
    expect(chainLink(first, charges)).not.toBe(first);
  });
});

describe('the journal hash chain in form 2 (migration 0026)', () => {
  const contentText = entryContentText(charges, charges.eventIdsJson);
  const form2 = {
    id: charges.id,
    contentText,
    contentHash: hash('sha256', contentText, 'hex'),
    lineCents: [1235n, -1235n],
    roundingLines: [],
  };

  it('hashes the worked example of its comment, cents and content hash included, to the hash written there', () => {
    expect(form2.contentHash).toBe('30abc9e2073a167a1e97a22bf214f3fb5aa2622a897cdf7453f814a9bc596094');
    expect(canonicalEntryTextForm2(form2)).toBe(
      'ledgerline-entry/2\nid "je:smm-panel:2026-03-02"\n' +
        'content {"date":"2026-03-02","sourceId":"smm-panel","description":"Panel charges","eventIds":["e1"],"lines":[["smm_services_expense","USD","12345600",null],["panel_prepaid","USD","-12345600",null]]}\n' +
        'content-hash 30abc9e2073a167a1e97a22bf214f3fb5aa2622a897cdf7453f814a9bc596094\ncents ["1235","-1235"]\nrounding []\n',
    );
    expect(chainLinkForm2(CHAIN_GENESIS, form2)).toBe(
      'c4f2b8799dac4b216b816b012e3960da140e2312585d7034b949ab4083767fed',
    );
  });

  it('changes with one cent moved, a rounding line added, or another content hash kept', () => {
    const first = chainLinkForm2(CHAIN_GENESIS, form2);
    expect(chainLinkForm2(CHAIN_GENESIS, { ...form2, lineCents: [1335n, -1335n] })).not.toBe(first);
    expect(
      chainLinkForm2(CHAIN_GENESIS, {
        ...form2,
        roundingLines: [{ account: 'rounding', currency: 'USD', cents: 0n, description: 'Cent rounding' }],
      }),
    ).not.toBe(first);
    expect(chainLinkForm2(CHAIN_GENESIS, { ...form2, contentHash: '0'.repeat(64) })).not.toBe(first);
  });

  it('links a close after the record before it, so a close changed or removed changes every later link', () => {
    const head = chainLinkForm2(CHAIN_GENESIS, form2);
    const close = {
      period: '2026-03',
      periodEnd: '2026-03-31',
      chainHead: head,
      certificateSha256: 'e'.repeat(64),
      closedAt: '2026-04-02T09:00:00.000Z',
      closedBy: 'ana',
    };
    expect(closeLink(head, close)).toBe('acc7f406dea541c0435ff2ac702bc6aea68ec0af9d6c363818daa27295822d21');
    expect(closeLink(head, { ...close, certificateSha256: 'f'.repeat(64) })).not.toBe(closeLink(head, close));
  });
});
