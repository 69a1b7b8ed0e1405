import { describe, expect, it } from 'vitest';
import { hash } from 'node:crypto';
import {
  CHAIN_GENESIS,
  canonicalEntryText,
  canonicalEntryTextForm2,
  chainLink,
  chainLinkForm2,
  chainLinkForm2OfRows,
  closeLink,
  entryContentText,
  type ChainedEntry,
} from '../../src/ledger/entry-chain.js';
import type { ChainChunk } from '../../src/ledger/index.js';

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

describe('the form 2 link written from the rows verify reads', () => {
  // Each row as the store reads it (ChainChunk); names and descriptions JSON must escape, or not, as JSON.stringify does.
  const entries: ChainChunk['entries'] = [
    [
      7n,
      'je:a "q"',
      '2026-03-02',
      'smm-panel',
      'Tab\there, line\nbreak \\ \u0001 \u2028 é 🙂',
      '["e1","e\\"2"]',
      null,
      'c'.repeat(64),
    ],
    [8n, 'je:b', '2026-03-03', 'bank', '', '[]', null, 'd'.repeat(64)],
  ];
  const lines: ChainChunk['lines'] = [
    [7n, 'smm_services_expense', 'USD', 12_345_600n, 'order "7"\r', 1235n],
    [7n, 'rounding', 'USD', -1n, null, null],
    [7n, 'panel_prepaid', 'USD', -12_345_599n, null, -1235n],
    [8n, 'bank:ü', 'EUR', 9_007_199_254_740_993n, null, 900_719_925_474_099n],
    [8n, 'bank:fees', 'EUR', -9_007_199_254_740_993n, '\u007f', -900_719_925_474_099n],
  ];
  const rendered: ChainChunk['rendered'] = [[7n, 'rounding', 'USD', 1n, 'Cent rounding']];

  it('hashes the bytes canonicalEntryTextForm2 gives of the same entry, line range by line range', () => {
    const ranges = [
      { entry: entries[0]!, from: 0, to: 3, renderedFrom: 0, renderedTo: 1 },
      { entry: entries[1]!, from: 3, to: 5, renderedFrom: 1, renderedTo: 1 },
    ];
    let head = CHAIN_GENESIS;
    for (const { entry, from, to, renderedFrom, renderedTo } of ranges) {
      const [, id, date, sourceId, description, eventIdsJson, , contentHash] = entry;
      const exact = lines.slice(from, to).map(([, account, currency, amountMicros, lineDescription]) => ({
        account,
        currency,
        amountMicros,
        description: lineDescription,
      }));
      const expected = chainLinkForm2(head, {
        id,
        contentText: entryContentText({ date, sourceId, description, lines: exact }, eventIdsJson),
        contentHash,
        lineCents: lines.slice(from, to).map((line) => line[5]),
        roundingLines: rendered
          .slice(renderedFrom, renderedTo)
          .map(([, account, currency, cents, lineDescription]) => ({
            account,
            currency,
            cents,
            description: lineDescription,
          })),
      });
      const rows = { lines, from, to, rendered, renderedFrom, renderedTo };
      expect(chainLinkForm2OfRows(head, entry, rows)).toBe(expected);
      const quoted = new Map<string, string>();
      const remembered = (name: string) => quoted.get(name) ?? quoted.set(name, JSON.stringify(name)).get(name)!;
      expect(chainLinkForm2OfRows(head, entry, rows, remembered)).toBe(expected);
      head = expected;
    }
  });
});
