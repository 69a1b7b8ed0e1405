import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildEvidence, type EvidenceMapping, type EvidenceRecord } from '../../src/ledger/index.js';
import { EvidenceTooLargeError } from '../../src/errors.js';
import { zipMembers } from '../support/zip-members.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A reply of `size` bytes landed for `asOf`, with the hash the landing stores. */
function reply(id: string, asOf: string, size: number) {
  const body = `{"orders":"${'x'.repeat(size - 14)}"}`;
  return {
    id,
    action: 'orders',
    request: '{}',
    asOf,
    fetchedAt: `${asOf}T23:00:00Z`,
    httpStatus: 200,
    contentHash: sha256(body),
    body,
  };
}

/** Panel charges of 12.3456 on 03-02, from replies of 03-01 and 03-02 (two of each). */
const RECORD: EvidenceRecord = {
  entry: {
    id: 'je:smm-panel:2026-03-02',
    date: '2026-03-02',
    sourceId: 'smm-panel',
    description: 'Panel charges',
    eventIds: ['ev:2'],
    contentHash: 'c'.repeat(64),
    chainHash: 'a'.repeat(64),
    lines: [
      { account: 'smm_services_expense', currency: 'USD', amountMicros: 12_345_600n, description: null },
      { account: 'panel_prepaid', currency: 'USD', amountMicros: -12_345_600n, description: null },
    ],
  },
  renderedLines: [
    { account: 'smm_services_expense', currency: 'USD', cents: 1235n, description: null },
    { account: 'panel_prepaid', currency: 'USD', cents: -1235n, description: null },
  ],
  events: [
    {
      id: 'ev:2',
      kind: 'order_charge',
      date: '2026-03-02',
      currency: 'USD',
      amountMicros: 12_345_600n,
      ref: 'order 7',
      detail: '{}',
    },
  ],
  replies: [
    reply('12', '2026-03-02', 400),
    reply('9', '2026-03-01', 300),
    reply('10', '2026-03-01', 300),
    reply('11', '2026-03-02', 400),
  ],
  closes: [{ metric: 'balance', valueMicros: 87_654_400n, currency: 'USD', replyId: '11' }],
};
const MAPPINGS: EvidenceMapping[] = [
  { name: 'chart', file: 'default.yaml', sha256: 'd'.repeat(64), accounts: { panel_prepaid: { type: 'asset' } } },
];

describe("an entry's evidence file", () => {
  it('gives the same bytes when rebuilt, whatever order the replies were read in', () => {
    const first = buildEvidence(RECORD, MAPPINGS);
    const again = buildEvidence({ ...RECORD, replies: [...RECORD.replies].reverse() }, MAPPINGS);
    expect(first.files).toHaveLength(1);
    expect(again.files[0]!.bytes.equals(first.files[0]!.bytes)).toBe(true);
    expect(again.manifestSha256).toBe(first.manifestSha256);
    expect(first.files[0]!.fileName).toBe('evidence-je-smm-panel-2026-03-02.zip');
  });

  it("holds a manifest naming each member's SHA-256, each reply as received under the hash stored when it landed, the lines in micros and cents", () => {
    const { files, manifestSha256 } = buildEvidence(RECORD, MAPPINGS);
    const members = zipMembers(files[0]!.bytes);
    expect([...members.keys()]).toEqual([
      'manifest.json',
      'entry.json',
      'events.json',
      'lines.json',
      'tie-out.json',
      'replies.json',
      'replies/2026-03-01/9.txt',
      'replies/2026-03-01/10.txt',
      'replies/2026-03-02/11.txt',
      'replies/2026-03-02/12.txt',
    ]);
    const manifest = JSON.parse(members.get('manifest.json')!.toString());
    expect(sha256(members.get('manifest.json')!)).toBe(manifestSha256);
    for (const member of manifest.members) expect(sha256(members.get(member.name)!)).toBe(member.sha256);
    expect(manifest.members.find((member: { name: string }) => member.name === 'replies/2026-03-01/9.txt').sha256).toBe(
      RECORD.replies[1]!.contentHash,
    );
    const entry = JSON.parse(members.get('entry.json')!.toString());
    expect(entry.lines[0]).toEqual({
      lineNo: 1,
      account: 'smm_services_expense',
      currency: 'USD',
      amountMicros: '12345600',
      description: null,
    });
    expect(JSON.parse(members.get('lines.json')!.toString()).rendered[1].cents).toBe('-1235');
    expect(JSON.parse(members.get('tie-out.json')!.toString()).closes).toEqual([
      { metric: 'balance', valueMicros: '87654400', currency: 'USD', replyId: '11' },
    ]);
  });

  it('over the limit, is split by day: every part under it, each day whole in one part, the same manifest in each', () => {
    const whole = buildEvidence(RECORD, MAPPINGS).files[0]!.bytes.length;
    // Room for the common members and one day's replies (2 × 300 or 2 × 400 bytes plus headers), not two days'.
    const limit = whole - 700;
    const { files, manifestSha256 } = buildEvidence(RECORD, MAPPINGS, limit);
    expect(files.map((file) => file.fileName)).toEqual([
      'evidence-je-smm-panel-2026-03-02-part-1-of-2.zip',
      'evidence-je-smm-panel-2026-03-02-part-2-of-2.zip',
    ]);
    const parts = files.map((file) => zipMembers(file.bytes));
    for (const file of files) expect(file.bytes.length).toBeLessThanOrEqual(limit);
    expect([...parts[0]!.keys()].filter((name) => name.startsWith('replies/'))).toEqual([
      'replies/2026-03-01/9.txt',
      'replies/2026-03-01/10.txt',
    ]);
    expect([...parts[1]!.keys()].filter((name) => name.startsWith('replies/'))).toEqual([
      'replies/2026-03-02/11.txt',
      'replies/2026-03-02/12.txt',
    ]);
    for (const members of parts) expect(sha256(members.get('manifest.json')!)).toBe(manifestSha256);
  });

  it('spreads a day larger than a part over several, and refuses (never sends) a reply larger than a part alone', () => {
    const whole = buildEvidence(RECORD, MAPPINGS).files[0]!.bytes.length;
    const { files } = buildEvidence(RECORD, MAPPINGS, whole - 1100);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) expect(file.bytes.length).toBeLessThanOrEqual(whole - 1100);
    const huge = { ...RECORD, replies: [...RECORD.replies, reply('13', '2026-03-02', 5000)] };
    expect(() => buildEvidence(huge, MAPPINGS, whole)).toThrow(EvidenceTooLargeError);
    expect(() => buildEvidence(huge, MAPPINGS, whole)).toThrow(
      /je:smm-panel:2026-03-02 cannot be cut under \d+ bytes a file: replies\/2026-03-02\/13.txt alone takes/,
    );
  });
});
